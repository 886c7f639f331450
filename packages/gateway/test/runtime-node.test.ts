import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { EDGE_SECRET_HEADER } from '@matrix-os/protocol';
import { appLog, copyFixtureApp, waitForApp } from './support/runtime.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// The runtime does not touch the database: one backend is enough.
const backend = testBackends()[0]!;
const SLUG = 'echo-node';
const PLANTED = { DATABASE_URL: 'postgres://owner:pw@127.0.0.1/secret', ANTHROPIC_API_KEY: 'sk-must-not-leak', MATRIX_OWNER_TOKEN: 'owner-token' };

describe('a node app run on demand and proxied at /apps/<slug>/', () => {
  let t: TestGateway;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // Secrets in the gateway's own environment must not reach the app.
    for (const [k, v] of Object.entries(PLANTED)) (saved[k] = process.env[k]), (process.env[k] = v);
    t = await startTestGateway(backend, { env: { MATRIX_APP_IDLE_SEC: '2' }, prepareHome: (home) => copyFixtureApp(home, 'echo-node', SLUG) });
  });
  afterAll(async () => {
    await t?.close();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  });

  const envOfApp = async () => (await (await fetch(`${t.url}/apps/${SLUG}/env`)).json()) as { env: Record<string, string>; pid: number };

  it('starts the app on the first request and proxies HTTP with the mount prefix stripped', async () => {
    expect((await waitForApp(t, SLUG, () => true)).process).toBeNull();
    const res = await fetch(`${t.url}/apps/${SLUG}/echo?x=1`, { method: 'POST', body: 'hello app' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { method: string; url: string; body: string; headers: Record<string, string> };
    expect(body).toMatchObject({ method: 'POST', url: '/echo?x=1', body: 'hello app' });
    expect(body.headers['x-forwarded-prefix']).toBe(`/apps/${SLUG}`);
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts[^;]*; frame-ancestors 'self'$/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // An open socket keeps the app from idling, so the state does not depend on how fast this runs.
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/apps/${SLUG}/socket`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect((await waitForApp(t, SLUG, (a) => a.process?.state === 'running')).process).toEqual({ state: 'running', reason: null });
    ws.close();
  });

  it('gives the app neither the database URL nor any credential of the owner', async () => {
    const { env } = await envOfApp();
    expect(env.PORT).toMatch(/^\d+$/);
    expect(env.HOME).not.toBe(process.env.HOME);
    const leaked = Object.keys(env).filter((k) => /DATABASE|MATRIX|ANTHROPIC|TOKEN|SECRET|PASSWORD|KEY/i.test(k));
    expect(leaked).toEqual([]);
    expect(JSON.stringify(env)).not.toMatch(/sk-must-not-leak|owner-token|postgres:\/\//);
    // Nor the edge's secret, which a request bound for the gateway carries.
    const echoed = (await (await t.owner(`/apps/${SLUG}/echo`, { headers: { [EDGE_SECRET_HEADER]: 'edge-secret-that-must-stay-here-0123456789' } })).json()) as { headers: Record<string, string> };
    expect(echoed.headers.cookie).toBeUndefined();
    expect(echoed.headers[EDGE_SECRET_HEADER]).toBeUndefined();
  });

  it('proxies WebSockets to the app', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/apps/${SLUG}/socket`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping'));
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    expect(reply).toBe('echo: ping');
    ws.close();
  });

  it('restarts a process that crashed and records why', async () => {
    const { pid } = await envOfApp();
    await fetch(`${t.url}/apps/${SLUG}/crash`);
    const after = await waitForApp(t, SLUG, (a) => a.process?.state !== 'running');
    expect(after.process?.reason).toMatch(/exited with code 7/);
    // The next request waits out the back-off and reaches a new process.
    expect((await envOfApp()).pid).not.toBe(pid);
    expect(await appLog(t, SLUG)).toMatch(/process exited with code 7/);
  });

  it('stops an idle app and starts it again on the next request', async () => {
    const { pid } = await envOfApp();
    await waitForApp(t, SLUG, (a) => a.process?.state === 'stopped', 15_000);
    expect(await appLog(t, SLUG)).toMatch(/process stopped after 2 s without use/);
    expect((await envOfApp()).pid).not.toBe(pid);
  });
});
