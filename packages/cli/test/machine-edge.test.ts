import { chmod, copyFile, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_SECRET_HEADER } from '@matrix-os/protocol';
import { testBackends } from '@matrix-os/db/testing';
import { loadConfig, startGateway, type RunningGateway } from '@matrix-os/gateway';
import { haveNginx, startNginx, testNginxConfig, unusedPort } from '../../host/test/support/nginx.ts';
import { startMachine, type RunningMachine } from '../src/start-machine.ts';

const PASSWORD = 'machine edge password';
const MIB = 1024 * 1024;
// A self-signed certificate made once for these tests (see its README), so no openssl is needed.
const TLS_FIXTURES = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));

// The edge does not care which database is behind the gateway: real PostgreSQL when the suite has
// it (it starts faster than a fresh PGlite folder), PGlite otherwise.
const backend = testBackends().at(-1)!;
// Starting a machine on a loaded laptop (six test runs on two cores) can take most of a minute.
const START_TIMEOUT_MS = 240_000;

/** A fresh data folder and database for one machine; `env` to start it with, `remove` afterwards. */
async function freshMachineData(prefix: string): Promise<{ dir: string; env: Record<string, string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const database = await backend.create();
  return {
    dir,
    env: { MATRIX_DATA_DIR: join(dir, 'data'), MATRIX_HOME_TEMPLATE: 'off', MATRIX_OWNER_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', ...(database.url ? { DATABASE_URL: database.url } : {}) },
    async remove() {
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A machine as `matrix start` runs it (gateway and Node edge; no shell build needed), for the
 * enclosing `describe`: started before its tests, stopped and removed after.
 */
function machineFixture(): { machine: RunningMachine } {
  const held = {} as { machine: RunningMachine };
  let data: Awaited<ReturnType<typeof freshMachineData>> | undefined;
  beforeAll(async () => {
    data = await freshMachineData('matrix-machine-edge-');
    held.machine = await startMachine(loadConfig({ PORT: '0', ...data.env }), { shellDir: join(data.dir, 'no-shell'), log: () => {} });
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await held.machine?.stop();
    await data?.remove();
  });
  return held;
}

const login = (url: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ password }) });

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const uploadTemps = async (home: string) => (await readdir(home)).filter((n) => n.includes('.~upload-'));

/**
 * Starts `PUT /files/<name>` for 8 MiB over `socket`, sends one MiB of it, waits for `started`, then
 * drops the connection the way a closed tab or a cancelled upload does.
 */
async function abandonUpload(socket: Socket, host: string, cookie: string, name: string, started: () => Promise<void>): Promise<void> {
  socket.write(`PUT /files/${name} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${8 * MIB}\r\n\r\n`);
  socket.write(Buffer.alloc(MIB, 7));
  await started();
  socket.destroy();
}

describe('a machine started by `matrix start` (Node edge)', () => {
  const m = machineFixture();

  it('believes X-Forwarded-Proto only from its edge: the cookie is Secure when the edge saw TLS, never on a local claim', async () => {
    const gateway = m.machine.gateway.url;
    const secret = m.machine.gateway.deps.config.edgeSecret!;
    const cookieOf = (res: Response) => res.headers.getSetCookie().join('\n');
    expect(cookieOf(await login(gateway, PASSWORD, { 'x-forwarded-proto': 'https' }))).not.toMatch(/;\s*Secure/i);
    expect(cookieOf(await login(gateway, PASSWORD, { 'x-forwarded-proto': 'https', [EDGE_SECRET_HEADER]: 'a'.repeat(43) }))).not.toMatch(/;\s*Secure/i);
    expect(cookieOf(await login(gateway, PASSWORD, { 'x-forwarded-proto': 'https', [EDGE_SECRET_HEADER]: secret }))).toMatch(/;\s*Secure/i);
    // Through the edge over plain HTTP, whatever the browser claims.
    expect(cookieOf(await login(m.machine.url, PASSWORD, { 'x-forwarded-proto': 'https' }))).not.toMatch(/;\s*Secure/i);
  });

  it('cancels the upstream request when the client goes away: an aborted upload leaves no temp file in the home', async () => {
    const home = m.machine.gateway.deps.config.homeDir;
    const res = await login(m.machine.url, PASSWORD);
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const { port } = new URL(m.machine.url);
    const socket = connect(Number(port), '127.0.0.1');
    await abandonUpload(socket, `127.0.0.1:${port}`, cookie, 'big.bin', () => waitUntil(async () => (await uploadTemps(home)).length > 0, 'the upload to reach the home'));
    await waitUntil(async () => (await uploadTemps(home)).length === 0, 'the temp file of the aborted upload to go', 10_000);
    expect(await readdir(home)).not.toContain('big.bin');
  });
});

// A machine of its own: the login limit's budget for 127.0.0.1 is untouched by the tests above.
describe("the gateway's private port", () => {
  const m = machineFixture();

  it('counts a local process that sends X-Forwarded-For as itself: the login limit holds', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(m.machine.gateway.url, 'not the password', { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

/** An HTTPS request that accepts the test's self-signed certificate; resolves with status and Set-Cookie. */
function httpsPost(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!haveNginx)('a gateway behind a real nginx with TLS', () => {
  let dir: string;
  let data: Awaited<ReturnType<typeof freshMachineData>>;
  let gateway: RunningGateway;
  let nginx: { stop(): Promise<void> };
  let base: string;
  beforeAll(async () => {
    data = await freshMachineData('matrix-nginx-tls-');
    dir = data.dir;
    // nginx's workers run unprivileged: they must reach their temp folders.
    await chmod(dir, 0o755);
    // nginx's master reads the key; a copy in the test folder keeps the fixture's own mode out of it.
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await copyFile(join(TLS_FIXTURES, 'key.pem'), key);
    await copyFile(join(TLS_FIXTURES, 'cert.pem'), cert);
    const secretFile = join(dir, 'run', 'edge-secret.conf');
    gateway = await startGateway(loadConfig({ PORT: '0', ...data.env, MATRIX_EDGE_SECRET_FILE: secretFile }));
    const port = await unusedPort();
    const gatewayAddr = new URL(gateway.url).host;
    const conf = join(dir, 'nginx.conf');
    await writeFile(conf, testNginxConfig(dir, { listen: port, tls: { certificate: cert, key }, upstreams: { gateway: gatewayAddr, shell: gatewayAddr }, edgeSecretFile: secretFile }));
    base = `https://127.0.0.1:${port}`;
    nginx = await startNginx(dir, conf, () => httpsPost(`${base}/api/auth/status`, ''));
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await nginx?.stop();
    await gateway?.close();
    await data?.remove();
  });

  it('the secret file the gateway made is private, and the session cookie is Secure because the browser came over TLS', async () => {
    expect((await stat(join(dir, 'run', 'edge-secret.conf'))).mode & 0o777).toBe(0o600);
    const res = await httpsPost(`${base}/api/auth/login`, JSON.stringify({ password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(res.cookies.join('\n')).toMatch(/matrix_session=[^;]+;.*Secure/i);
  });

  it("judges origins by what the browser asked for: the machine's own https page on this port passes, another site's does not", async () => {
    const body = JSON.stringify({ password: 'not the password' });
    expect((await httpsPost(`${base}/api/auth/login`, body, { origin: base })).status).toBe(401);
    expect((await httpsPost(`${base}/api/auth/login`, body, { origin: base.replace('https:', 'http:') })).status).toBe(403);
    expect((await httpsPost(`${base}/api/auth/login`, body, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('an aborted upload never reaches the home: nginx passes on only whole bodies', async () => {
    const home = gateway.deps.config.homeDir;
    const cookie = (await httpsPost(`${base}/api/auth/login`, JSON.stringify({ password: PASSWORD }))).cookies[0]!.split(';')[0]!;
    const { port } = new URL(base);
    const socket = tlsConnect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false });
    await new Promise((r) => socket.once('secureConnect', r));
    await abandonUpload(socket, `127.0.0.1:${port}`, cookie, 'big.bin', () => new Promise((r) => setTimeout(r, 500)));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await uploadTemps(home)).toEqual([]);
    expect(await readdir(home)).not.toContain('big.bin');
  });
});
