import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachBackend, OWNER_PASSWORD, startTestGateway, type TestGateway } from './support/test-gateway.ts';

eachBackend((backend) => {
  describe(`owner sign-in (${backend.kind})`, () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(backend);
    });
    afterAll(() => t.close());

    it('answers /health with the database it uses', async () => {
      const res = await fetch(`${t.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: backend.kind });
    });

    it('refuses owner routes without a session and with an app credential', async () => {
      expect((await fetch(`${t.url}/api/apps`)).status).toBe(401);
      expect((await t.owner('/api/apps')).status).toBe(200);
    });

    it('a wrong password is refused with the same message, and the session cookie is httpOnly', async () => {
      const bad = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'nope-nope' }) });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toMatchObject({ error: { code: 'unauthorized', message: 'Wrong password.' } });
      const good = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: OWNER_PASSWORD }) });
      expect(good.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    });
  });
});
