import { readFile, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import type { GatewayEvent } from '@matrix-os/protocol';
import { appLog, copyFixtureApp, waitForApp } from './support/runtime.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// The runtime does not touch the database: one backend is enough, and builds are the slow part.
const backend = testBackends()[0]!;
const SLUG = 'hello-vite';

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    httpGet({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('a vite app built with the shared toolchain and served at /apps/<slug>/', () => {
  let t: TestGateway;
  let asset: string;
  const buildEvents = (): GatewayEvent[] => t.gateway.deps.events.since(0).events.map((e) => e.event).filter((e) => e.type === 'app:build');

  beforeAll(async () => {
    t = await startTestGateway(backend, { prepareHome: (home) => copyFixtureApp(home, 'hello-vite', SLUG) });
  });
  afterAll(() => t?.close());

  it('builds with a real vite build, streams progress as events and keeps a log', async () => {
    const app = await waitForApp(t, SLUG, (a) => a.build?.state === 'ok' || a.build?.state === 'failed');
    expect(app.build).toMatchObject({ state: 'ok', reason: null });
    expect(app.serving).toBe(true);
    const phases = buildEvents().map((e) => (e.type === 'app:build' ? e.phase : ''));
    expect(phases[0]).toBe('started');
    expect(phases).toContain('log');
    expect(phases.at(-1)).toBe('succeeded');
    expect(await appLog(t, SLUG)).toMatch(/built in[\s\S]*build succeeded/);
    // The route waits for pending lines; by now the file holds them too.
    const log = await readFile(join(t.homeDir, 'system', 'logs', 'apps', `${SLUG}.log`), 'utf8');
    expect(log).toMatch(/build succeeded/);
  });

  it('serves the document without a session, under a strict CSP that admits its inline script by hash', async () => {
    const res = await fetch(`${t.url}/apps/${SLUG}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    const html = await res.text();
    expect(html).toContain('<div id="root">');
    asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
  });

  it('serves module assets with CORS for the opaque-origin iframe, with ETags and byte ranges', async () => {
    const res = await fetch(`${t.url}/apps/${SLUG}/${asset}`, { headers: { origin: 'null' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toContain('Hello from the fixture app');
    const again = await fetch(`${t.url}/apps/${SLUG}/${asset}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const part = await fetch(`${t.url}/apps/${SLUG}/${asset}`, { headers: { range: 'bytes=0-5' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(6);
  });

  it('falls back to index.html for app routes, answers 404 for missing files and never leaves the output', async () => {
    expect(await (await fetch(`${t.url}/apps/${SLUG}/tasks/42`)).text()).toContain('<div id="root">');
    const missing = await fetch(`${t.url}/apps/${SLUG}/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const redirect = await fetch(`${t.url}/apps/${SLUG}`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe(`/apps/${SLUG}/`);
    for (const p of ['/../matrix.json', '/%2e%2e/matrix.json', '/..%2fmatrix.json', '/src/main.jsx', '/.matrix-last-good/index.html']) {
      expect(await rawGet(t.url, `/apps/${SLUG}${p}`), p).toBe(404);
    }
  });

  it('keeps serving the last good build when a new build fails, and shows why', async () => {
    const greeting = join(t.homeDir, 'apps', SLUG, 'src', 'greeting.jsx');
    const good = await readFile(greeting, 'utf8');
    await writeFile(greeting, 'export function Greeting() { return <p>unclosed </div>; }\n');
    const app = await waitForApp(t, SLUG, (a) => a.build?.state === 'failed');
    expect(app.build?.reason).toMatch(/^build exited with code 1/);
    expect(await appLog(t, SLUG)).toMatch(/build failed: build exited with code 1/);
    const res = await fetch(`${t.url}/apps/${SLUG}/${asset}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Hello from the fixture app');

    // Fixing the source rebuilds on its own.
    await writeFile(greeting, good.replace('Hello from the fixture app', 'Hello again'));
    await waitForApp(t, SLUG, (a) => a.build?.state === 'ok');
    const html = await (await fetch(`${t.url}/apps/${SLUG}/`)).text();
    asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect(await (await fetch(`${t.url}/apps/${SLUG}/${asset}`)).text()).toContain('Hello again');
  });

  it('rebuilds on the owner’s request only', async () => {
    expect((await fetch(`${t.url}/api/apps/${SLUG}/build`, { method: 'POST' })).status).toBe(401);
    const before = (await waitForApp(t, SLUG, () => true)).build!.finishedAt;
    const res = await t.owner(`/api/apps/${SLUG}/build`, { method: 'POST' });
    expect(res.status).toBe(202);
    const after = await waitForApp(t, SLUG, (a) => a.build?.state === 'ok' && a.build.finishedAt !== before);
    expect(after.serving).toBe(true);
  });

  it('skips the build after a restart when the output is newer than every source', async () => {
    await t.stop();
    await t.restart();
    const app = await waitForApp(t, SLUG, (a) => a.build?.state !== 'queued' && a.build?.state !== 'building');
    expect(app.build?.state).toBe('ok');
    expect(buildEvents().map((e) => (e.type === 'app:build' ? e.phase : ''))).toEqual(['skipped']);
    expect((await fetch(`${t.url}/apps/${SLUG}/`)).status).toBe(200);
  });
});
