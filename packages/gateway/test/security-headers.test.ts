import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// Headers do not depend on the database: one backend is enough.
const backend = testBackends().at(-1)!;

describe("the gateway's answers tell the browser how to treat them", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(backend, {
      prepareHome: async (home) => {
        await mkdir(join(home, 'notes'), { recursive: true });
        await writeFile(join(home, 'notes', 'page.html'), '<script>alert(1)</script>');
      },
    });
  });
  afterAll(() => t?.close());

  const policyOf = (res: Response) => res.headers.get('content-security-policy') ?? '';

  it('every API answer, success or error, is nosniff and can run nothing nor be framed by another site', async () => {
    const answers = await Promise.all([
      t.owner('/api/apps'),
      fetch(`${t.url}/api/apps`),
      t.owner('/api/no-such-route'),
      t.owner('/api/files/list?path=../x'),
      fetch(`${t.url}/health`),
      t.owner('/api/files/mkdir', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 400, 200, 400]);
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(policyOf(res)).toMatch(/default-src 'none'/);
      expect(policyOf(res)).toMatch(/frame-ancestors 'self'/);
    }
  });

  it("a served file keeps its own sandboxed policy, and a request the server cannot parse is answered in the error shape", async () => {
    const page = await t.owner('/files/notes/page.html');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(policyOf(page)).toMatch(/^sandbox; default-src 'none'/);
    const huge = await fetch(`${t.url}/api/files/list?path=${'x'.repeat(70_000)}`, { headers: { cookie: t.ownerCookie } });
    expect(huge.status).toBe(431);
    expect(huge.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('too_large');
  });
});
