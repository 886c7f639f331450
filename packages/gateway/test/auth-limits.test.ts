import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_JWT_HEADER } from '../src/index.ts';
import { testBackends } from '@matrix-os/db/testing';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const pglite = testBackends()[0]!;

describe('hosted mode: the platform signs every request', () => {
  let t: TestGateway;
  let sign: (claims: { sub?: string; aud?: string; exp?: string }) => Promise<string>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    sign = async ({ sub = 'user_1', aud = 'machine-7', exp = '2m' }) =>
      new SignJWT({}).setProtectedHeader({ alg: 'EdDSA' }).setSubject(sub).setAudience(aud).setIssuedAt().setExpirationTime(exp).sign(privateKey);
    t = await startTestGateway(pglite, {
      env: { MATRIX_AUTH_MODE: 'platform', MATRIX_PLATFORM_PUBLIC_KEY: await exportSPKI(publicKey), MATRIX_MACHINE_ID: 'machine-7' },
      ownerSignIn: false,
    });
  });
  afterAll(() => t.close());

  it('lets a valid platform JWT through and refuses forged, foreign, expired or missing ones', async () => {
    const call = (token?: string) => fetch(`${t.url}/api/apps`, { headers: token ? { [PLATFORM_JWT_HEADER]: token } : {} });
    expect((await call(await sign({}))).status).toBe(200);
    expect((await call()).status).toBe(401);
    expect((await call(await sign({ aud: 'machine-8' }))).status).toBe(401);
    expect((await call(await sign({ exp: '-1m' }))).status).toBe(401);
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA' }).setSubject('user_1').setAudience('machine-7').setIssuedAt().setExpirationTime('2m').sign(other.privateKey);
    expect((await call(forged)).status).toBe(401);
    // Password sign-in does not exist on a hosted machine.
    const login = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"whatever1"}' });
    expect(login.status).toBe(404);
  });
});

describe('limits every route shares', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(pglite, {
      prepareHome: (home) => writeAppManifest(home, 'notes', dataApp('Notes', { notes: { body: 'text' } })),
      env: { MATRIX_BRIDGE_RATE_PER_SEC: '5' },
    });
  });
  afterAll(() => t.close());

  it('login is rate-limited per address after ten tries', async () => {
    const attempt = () => fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"password":"wrong-password"}' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await attempt();
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('an app over its query budget gets 429, and other apps are unaffected', async () => {
    const token = await t.appToken('notes');
    const statuses = await Promise.all(Array.from({ length: 20 }, () => t.bridge(token, { action: 'count', table: 'notes' }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses).toContain(429);
  });

  it('bodies over the limit get 413, malformed JSON 400, unknown routes 404, all in the one error shape', async () => {
    const token = await t.appToken('notes');
    await new Promise((r) => setTimeout(r, 3000));
    const big = await fetch(`${t.url}/api/bridge/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'insert', table: 'notes', data: { body: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'too_large' } });
    const bad = await fetch(`${t.url}/api/bridge/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"action":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation', message: 'The request body is not valid JSON.' } });
    const missing = await t.owner('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
