import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import type { TerminalSession } from '@matrix-os/protocol';
import { copyFixtureApp } from './support/runtime.ts';
import { createSession } from './support/terminal.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// Origins are judged before any database work: one backend is enough.
const backend = testBackends().at(-1)!;
const EVIL = 'http://evil.example';
const PLATFORM = 'https://platform.example';
const SLUG = 'echo-node';

/** Opens a WebSocket with the given headers: 101 when it opened, else the refusal's status and body. */
function tryUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

describe('a page on another site cannot act as the owner', () => {
  let t: TestGateway;
  let own: string;
  let session: TerminalSession;
  let canvasId: string;

  beforeAll(async () => {
    t = await startTestGateway(backend, { env: { MATRIX_ALLOWED_ORIGINS: PLATFORM }, prepareHome: (home) => copyFixtureApp(home, 'echo-node', SLUG) });
    own = t.url;
    session = await createSession(t, { name: 'cross-site' });
    const res = await t.owner('/api/canvas', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'cross-site' }) });
    canvasId = ((await res.json()) as { id: string }).id;
  });
  afterAll(() => t?.close());

  const ws = (path: string) => `${t.url.replace(/^http/, 'ws')}${path}`;

  it("refuses the owner's sockets to another site's page, with the owner's cookie, in the one error shape", async () => {
    const sockets = ['/ws', `/ws/terminal/${session.id}`, `/ws/canvas/${canvasId}`, '/code/', `/apps/${SLUG}/socket`];
    for (const path of sockets) {
      const refused = await tryUpgrade(ws(path), { cookie: t.ownerCookie, origin: EVIL });
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden' } });
    }
    // A sibling subdomain and another local port are other sites too (SameSite=Lax lets both send the cookie).
    const host = new URL(t.url);
    for (const origin of [`http://sub.${host.hostname}:${host.port}`, `http://${host.hostname}:${Number(host.port) + 1}`, `https://${host.host}`, 'null']) {
      expect((await tryUpgrade(ws('/ws'), { cookie: t.ownerCookie, origin })).status).toBe(403);
    }
  });

  it("opens them for the machine's own page and the platform's", async () => {
    for (const origin of [own, PLATFORM]) {
      for (const path of ['/ws', `/ws/terminal/${session.id}`, `/ws/canvas/${canvasId}`, `/apps/${SLUG}/socket`]) {
        expect({ path, origin, status: (await tryUpgrade(ws(path), { cookie: t.ownerCookie, origin })).status }).toEqual({ path, origin, status: 101 });
      }
    }
    // An app's document runs sandboxed, with the opaque origin "null": its own sockets still open.
    expect((await tryUpgrade(ws(`/apps/${SLUG}/socket`), { origin: 'null' })).status).toBe(101);
  });

  it('refuses state-changing requests from another site, even the text/plain ones a page may send without asking', async () => {
    const before = ((await (await t.owner('/api/terminal/sessions')).json()) as { sessions: unknown[] }).sessions.length;
    const attempts: [string, string, string?][] = [
      ['POST', '/api/files/mkdir', JSON.stringify({ path: 'planted' })],
      ['POST', '/api/terminal/sessions', JSON.stringify({ name: 'planted' })],
      ['PUT', '/api/settings/shell', JSON.stringify({ theme: 'dark' })],
      ['POST', '/api/apps/rescan'],
      ['PUT', '/files/planted.txt', 'planted'],
      ['DELETE', `/api/canvas/${canvasId}`],
      ['POST', `/apps/${SLUG}/echo`, 'planted'],
    ];
    for (const [method, path, body] of attempts) {
      const variants: Record<string, string>[] = [{ origin: EVIL, 'content-type': 'text/plain' }, { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, { 'sec-fetch-site': 'same-site' }];
      for (const headers of variants) {
        const res = await t.owner(path, { method, headers, body });
        expect({ method, path, headers, status: res.status }).toEqual({ method, path, headers, status: 403 });
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
    }
    await expect(stat(join(t.homeDir, 'planted'))).rejects.toThrow();
    await expect(stat(join(t.homeDir, 'planted.txt'))).rejects.toThrow();
    expect(((await (await t.owner('/api/terminal/sessions')).json()) as { sessions: unknown[] }).sessions).toHaveLength(before);
    expect(((await (await t.owner('/api/settings/shell')).json()) as { theme: string }).theme).toBe('system');
    expect((await t.owner(`/api/canvas/${canvasId}`)).status).toBe(200);
  });

  it("a JSON route takes only JSON, even from the machine's own page", async () => {
    const res = await t.owner('/api/files/mkdir', { method: 'POST', headers: { origin: own, 'content-type': 'text/plain' }, body: JSON.stringify({ path: 'planted' }) });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    await expect(stat(join(t.homeDir, 'planted'))).rejects.toThrow();
  });

  it("accepts the machine's own page, the platform's, the address bar, and callers that are not browsers", async () => {
    const cases: Record<string, string>[] = [{ origin: own }, { origin: PLATFORM }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}];
    for (const [i, extra] of cases.entries()) {
      const res = await t.owner('/api/files/mkdir', { method: 'POST', headers: { ...extra, 'content-type': 'application/json' }, body: JSON.stringify({ path: `made-${i}` }) });
      expect({ extra, status: res.status }).toEqual({ extra, status: 201 });
    }
    // A sandboxed app posting to its own server.
    expect((await fetch(`${t.url}/apps/${SLUG}/echo`, { method: 'POST', headers: { origin: 'null' }, body: 'hi' })).status).toBe(200);
    // Reading is never refused for its origin: a cross-site page cannot read the answer anyway.
    expect((await t.owner('/api/files/list', { headers: { origin: EVIL } })).status).toBe(200);
  });
});
