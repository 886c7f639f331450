import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { environOf, pidsMentioning, rawUpgrade, writeFakeCodeServer } from './support/code-server.ts';

// The editor needs no database of its own: one backend is enough.
const backend = testBackends().at(-1)!;
const SECRET = 'code-editor-test-secret-value';

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const navigate = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };

describe('/code/ when code-server is not installed', () => {
  let t: TestGateway;
  let runtimeDir = '';
  beforeAll(async () => {
    runtimeDir = await mkdtemp(join(tmpdir(), 'matrix-runtime-'));
    t = await startTestGateway(backend, { env: { MATRIX_RUNTIME_DIR: runtimeDir } });
  });
  afterAll(async () => {
    await t.close();
    await rm(runtimeDir, { recursive: true, force: true });
  });

  it('tells the owner what to run, as a page in the browser and as JSON to a client', async () => {
    const page = await t.owner('/code/', { headers: navigate });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('The code editor is not installed');
    expect(html).toContain('scripts/install-code-server.sh');
    expect(html).toContain('href="/"');
    const json = await t.owner('/code/static/x.js');
    expect(json.status).toBe(503);
    expect(((await json.json()) as { error: { message: string } }).error.message).toMatch(/not installed.*install-code-server\.sh/);
    expect(await (await t.owner('/api/code/status')).json()).toEqual({ installed: false, version: null, state: 'not-installed', reason: null });
    const socket = await rawUpgrade(t.url, '/code/stable-x', { cookie: t.ownerCookie });
    expect(socket.status).toBe(503);
  });

  it('keeps everything else working', async () => {
    expect((await t.owner('/api/files/list?path=')).status).toBe(200);
    expect((await t.owner('/api/terminal/sessions')).status).toBe(200);
  });
});

describe('/code/ proxy (a stand-in code-server with the install layout)', () => {
  let t: TestGateway;
  let runtimeDir = '';
  let stateDir = '';
  beforeAll(async () => {
    runtimeDir = await mkdtemp(join(tmpdir(), 'matrix-runtime-'));
    await writeFakeCodeServer(runtimeDir);
    process.env.MATRIX_TEST_CODE_TOKEN = SECRET;
    t = await startTestGateway(backend, { env: { MATRIX_RUNTIME_DIR: runtimeDir, MATRIX_UPLOAD_MAX_MB: '1', MATRIX_CODE_IDLE_SEC: '10' } });
    stateDir = join(t.dataDir, 'code-server');
  });
  afterAll(async () => {
    delete process.env.MATRIX_TEST_CODE_TOKEN;
    await t.close();
    await rm(runtimeDir, { recursive: true, force: true });
  });

  it('redirects /code to /code/ and keeps the query', async () => {
    const res = await fetch(`${t.url}/code?folder=x`, { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/code/?folder=x');
  });

  it('lets nobody but the owner in, and starts nothing for them', async () => {
    expect((await fetch(`${t.url}/code/`)).status).toBe(401);
    const page = await fetch(`${t.url}/code/`, { headers: navigate, redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/?next=%2Fcode%2F');
    const forged = await fetch(`${t.url}/code/`, { headers: { cookie: 'matrix_session=forged' } });
    expect(forged.status).toBe(401);
    expect((await rawUpgrade(t.url, '/code/socket', {})).status).toBe(401);
    expect(await pidsMentioning(stateDir)).toEqual([]);
  });

  it('starts code-server on first use and proxies with the prefix stripped, keeping the owner credential back', async () => {
    const res = await t.owner('/code/some/path?q=1', { headers: { cookie: `${t.ownerCookie}; vscode-tkn=abc`, authorization: 'Bearer nope' } });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { url: string; headers: Record<string, string>; env: Record<string, string>; argv: string[] };
    expect(seen.url).toBe('/some/path?q=1');
    expect(seen.headers.cookie).toBe('vscode-tkn=abc');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-forwarded-prefix']).toBe('/code');
    // It opens the home, with no auth of its own (the gateway checked), its state outside the home.
    expect(seen.argv.at(-3)).toBe(t.homeDir);
    expect(seen.argv).toContain('none');
    expect(seen.argv).toContain(join(stateDir, 'user'));
    expect(Object.values(seen.env)).not.toContain(SECRET);
    expect(Object.keys(seen.env).filter((k) => /^(MATRIX_|DATABASE_URL|ANTHROPIC)/.test(k))).toEqual([]);
    expect(await (await t.owner('/api/code/status')).json()).toMatchObject({ installed: true, version: '0.0.0-echo', state: 'running' });
  });

  it('refuses bodies over the limit, declared or streamed, with 413', async () => {
    const small = await t.owner('/code/upload', { method: 'POST', body: 'x'.repeat(1000) });
    expect(((await small.json()) as { size: number }).size).toBe(1000);
    const declared = await t.owner('/code/upload', { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    const chunks = [Buffer.alloc(512 * 1024), Buffer.alloc(512 * 1024), Buffer.alloc(512 * 1024)];
    const stream = new ReadableStream({
      pull(ctl) {
        const next = chunks.shift();
        if (next) ctl.enqueue(next);
        else ctl.close();
      },
    });
    const streamed = await t.owner('/code/upload', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await t.owner('/code/after')).status).toBe(200);
  });

  it('pipes the owner’s WebSocket to code-server, and refuses another site’s page', async () => {
    const host = new URL(t.url).host;
    const ok = await rawUpgrade(t.url, '/code/stable-1?reconnection=true', { cookie: `${t.ownerCookie}; vscode-tkn=abc`, origin: `http://${host}` }, 'ping-through-proxy');
    expect(ok.status).toBe(101);
    expect(ok.head).toContain('x-seen-url: /stable-1?reconnection=true');
    expect(ok.head).toMatch(/x-seen-cookie: vscode-tkn=abc(\r\n|$)/);
    expect(ok.echoed).toBe('ping-through-proxy');
    const foreign = await rawUpgrade(t.url, '/code/stable-1', { cookie: t.ownerCookie, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
  });

  it('stops code-server when nobody uses it, and starts it again on the next visit', async () => {
    expect((await pidsMentioning(stateDir)).length).toBeGreaterThan(0);
    await until(async () => ((await (await t.owner('/api/code/status')).json()) as { state: string }).state === 'stopped' || undefined, 'the idle stop', 40_000);
    await until(async () => ((await pidsMentioning(stateDir)).length === 0) || undefined, 'the process to exit');
    expect((await t.owner('/code/again')).status).toBe(200);
    expect((await pidsMentioning(stateDir)).length).toBeGreaterThan(0);
    await t.stop();
    expect(await pidsMentioning(stateDir)).toEqual([]);
  });
});

// scripts/test.mjs sets this when scripts/install-code-server.sh has installed the real editor
// (CI installs it), and says so at the end of the run when it has not.
const realRuntime = process.env.MATRIX_TEST_CODE_SERVER_DIR;

describe.runIf(realRuntime)('/code/ with the real code-server', () => {
  let t: TestGateway;
  let stateDir = '';
  beforeAll(async () => {
    process.env.MATRIX_TEST_CODE_TOKEN = SECRET;
    t = await startTestGateway(backend, { env: { MATRIX_RUNTIME_DIR: realRuntime! } });
    stateDir = join(t.dataDir, 'code-server');
  });
  afterAll(async () => {
    delete process.env.MATRIX_TEST_CODE_TOKEN;
    await t.close();
  });

  it('serves the editor’s workbench for the home, and its assets, to the owner', async () => {
    // code-server sends `/` on to `./?folder=<home>`: relative, so it stays under /code/.
    const page = await t.owner('/code/', { headers: navigate });
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${t.url}/code/?folder=${t.homeDir}`);
    const html = await page.text();
    const asset = /src="(stable-[^"]+\/workbench\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    expect((await t.owner(`/code/${asset}`)).status).toBe(200);
    expect(await (await t.owner('/api/code/status')).json()).toMatchObject({ installed: true, state: 'running' });
  });

  it('runs without the gateway’s secrets and leaves no process behind when the gateway stops', async () => {
    const pids = await pidsMentioning(stateDir);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(Object.values(await environOf(pid).catch(() => ({})))).not.toContain(SECRET);
    await t.stop();
    expect(await pidsMentioning(stateDir)).toEqual([]);
  });
});
