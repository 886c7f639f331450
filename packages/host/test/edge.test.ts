import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { EDGE_SECRET_HEADER, edgeSecretDirective } from '@matrix-os/protocol';
import { assetPath } from '../src/build-assets.ts';
import { routeFor, startEdge, type Upstream } from '../src/index.ts';
import { haveNginx, startNginx, testNginxConfig, unusedPort } from './support/nginx.ts';


/** An upstream that answers with its own name and what it was sent, and echoes on WebSockets. */
async function fakeUpstream(name: Upstream): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify({ name, url: req.url, forwardedFor: req.headers['x-forwarded-for'], edge: req.headers[EDGE_SECRET_HEADER] ?? null }));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => ws.on('message', (m) => ws.send(`${name}:${req.url}:${m}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, nosniff: res.headers.get('x-content-type-options'), body: (await res.json()) as { name: string; url: string; forwardedFor: string; edge: string | null; error?: { code: string } } };
}

const SECRET = 'edge-secret-for-the-test-0123456789abcdef';

function wsEcho(url: string, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(message));
    ws.on('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.on('error', reject);
  });
}

describe('the route table', () => {
  it('sends the runtime API to the gateway and everything else to the shell', () => {
    expect(routeFor('/api/files/list').upstream).toBe('gateway');
    expect(routeFor('/ws/terminal/abc').upstream).toBe('gateway');
    expect(routeFor('/apps/tasks/').upstream).toBe('gateway');
    expect(routeFor('/code/').upstream).toBe('gateway');
    expect(routeFor('/').upstream).toBe('shell');
    expect(routeFor('/_next/static/x.js').upstream).toBe('shell');
    expect(routeFor('/apis').upstream).toBe('shell');
  });
});

describe('edges in front of a shell and a gateway', () => {
  let shell: Server;
  let gateway: Server;
  let dir: string;
  beforeAll(async () => {
    shell = await fakeUpstream('shell');
    gateway = await fakeUpstream('gateway');
    dir = await mkdtemp(join(tmpdir(), 'matrix-edge-'));
  });
  afterAll(async () => {
    shell.close();
    gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  // A build's static folder: a chunk with the gzip the build writes beside it, and a font without one.
  const CHUNK = `console.log(${JSON.stringify('matrix '.repeat(2000))});`;
  const assetsDir = () => join(dir, 'static');
  beforeAll(async () => {
    // nginx's workers run as an unprivileged user: they must be able to read the folder.
    await chmod(dir, 0o755);
    await mkdir(join(assetsDir(), 'chunks'), { recursive: true });
    await writeFile(join(assetsDir(), 'chunks', 'app-1a2b.js'), CHUNK);
    await writeFile(join(assetsDir(), 'chunks', 'app-1a2b.js.gz'), gzipSync(CHUNK));
    await writeFile(join(assetsDir(), 'font.woff2'), Buffer.from([1, 2, 3]));
  });

  /** Fetches a build asset with or without gzip; the body as sent (still compressed when it was). */
  async function fetchAsset(url: string, gzip: boolean) {
    const res = await new Promise<IncomingMessage>((resolve, reject) => void httpGet(url, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, resolve).on('error', reject));
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  }

  it('names a build asset only by plain segments under /_next/static/', () => {
    expect(assetPath('/_next/static/chunks/app-1a2b.js?v=1')).toBe('chunks/app-1a2b.js');
    for (const bad of ['/_next/static/../secret', '/_next/static/chunks/%2e%2e/x', '/_next/static/a%2fb', '/_next/static/', '/_next/static//x', '/other/x.js', '/_next/static/%E0%A4%A'])
      expect(assetPath(bad)).toBeNull();
  });

  it('the local Node edge answers build assets itself, gzipped when asked, cached for good; anything else there goes to the shell', async () => {
    const edge = await startEdge({ port: 0, upstreams: { shell: { host: '127.0.0.1', port: portOf(shell) }, gateway: { host: '127.0.0.1', port: portOf(gateway) } }, buildAssetsDir: assetsDir() });
    const base = `http://127.0.0.1:${portOf(edge)}`;
    try {
      const zipped = await fetchAsset(`${base}/_next/static/chunks/app-1a2b.js`, true);
      expect(zipped.status).toBe(200);
      expect(zipped.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
      expect(zipped.body.length).toBeLessThan(CHUNK.length / 10);
      expect(gunzipSync(zipped.body).toString()).toBe(CHUNK);
      const plain = await fetchAsset(`${base}/_next/static/chunks/app-1a2b.js`, false);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(CHUNK);
      expect((await fetchAsset(`${base}/_next/static/font.woff2`, true)).headers).toMatchObject({ 'content-type': 'font/woff2', 'x-content-type-options': 'nosniff' });
      // Not a file of the build: the shell answers, as it would without the edge.
      expect((await get(`${base}/_next/static/chunks/missing.js`)).body).toMatchObject({ name: 'shell', url: '/_next/static/chunks/missing.js' });
      expect((await get(`${base}/_next/static/%2e%2e/edge.test.ts`)).body).toMatchObject({ name: 'shell' });
    } finally {
      edge.close();
    }
  });

  it('the local Node edge routes HTTP and WebSockets and will not let a client fake its address or its secret', async () => {
    const edge = await startEdge({ port: 0, upstreams: { shell: { host: '127.0.0.1', port: portOf(shell) }, gateway: { host: '127.0.0.1', port: portOf(gateway) } }, edgeSecret: SECRET });
    const base = `http://127.0.0.1:${portOf(edge)}`;
    try {
      expect((await get(`${base}/api/apps`)).body).toMatchObject({ name: 'gateway', url: '/api/apps', edge: SECRET });
      expect((await get(`${base}/canvas?x=1`)).body).toMatchObject({ name: 'shell', url: '/canvas?x=1', edge: null });
      expect((await get(`${base}/api/apps`, { 'x-forwarded-for': '6.6.6.6' })).body.forwardedFor).toBe('127.0.0.1');
      // A client's own copy of the header is never passed on: the gateway gets the real one, the shell none.
      expect((await get(`${base}/api/apps`, { [EDGE_SECRET_HEADER]: 'forged' })).body.edge).toBe(SECRET);
      expect((await get(`${base}/`, { [EDGE_SECRET_HEADER]: 'forged' })).body.edge).toBeNull();
      expect((await get(`${base}/`)).nosniff).toBe('nosniff');
      expect(await wsEcho(`${base.replace('http', 'ws')}/ws?since=3`, 'hi')).toBe('gateway:/ws?since=3:hi');
    } finally {
      edge.close();
    }
  });

  it('answers 502 with a clear message when an upstream is down', async () => {
    const edge = await startEdge({ port: 0, upstreams: { shell: { host: '127.0.0.1', port: 1 }, gateway: { host: '127.0.0.1', port: portOf(gateway) } } });
    try {
      const res = await get(`http://127.0.0.1:${portOf(edge)}/`);
      expect(res.status).toBe(502);
      expect(res.body.error?.code).toBe('unavailable');
      expect(res.nosniff).toBe('nosniff');
    } finally {
      edge.close();
    }
  });

  it.skipIf(!haveNginx)('the rendered nginx.conf passes `nginx -t` and routes the same way in a real nginx', async () => {
    const port = await unusedPort();
    const secretFile = join(dir, 'edge-secret.conf');
    await writeFile(secretFile, edgeSecretDirective(SECRET), { mode: 0o600 });
    const conf = join(dir, 'nginx.conf');
    await writeFile(
      conf,
      testNginxConfig(dir, {
        listen: port,
        upstreams: { shell: `127.0.0.1:${portOf(shell)}`, gateway: `127.0.0.1:${portOf(gateway)}` },
        buildAssetsDir: assetsDir(),
        edgeSecretFile: secretFile,
      }),
    );
    const nginx = await startNginx(dir, conf, () => fetch(`http://127.0.0.1:${port}/`));
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await get(`${base}/api/apps`)).body).toMatchObject({ name: 'gateway', url: '/api/apps', edge: SECRET });
      expect((await get(`${base}/`)).body).toMatchObject({ name: 'shell', edge: null });
      expect((await get(`${base}/api/apps`, { [EDGE_SECRET_HEADER]: 'forged', 'x-forwarded-for': '6.6.6.6' })).body).toMatchObject({ edge: SECRET, forwardedFor: '127.0.0.1' });
      expect((await get(`${base}/`, { [EDGE_SECRET_HEADER]: 'forged' })).body.edge).toBeNull();
      // nosniff once on every answer: proxied (the upstream's own copy hidden), from disk, and nginx's own errors.
      const proxied = await fetch(`${base}/api/apps`);
      expect(proxied.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${base}/_next/static/font.woff2`)).headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${base}/_next/static/missing.js`)).headers.get('x-content-type-options')).toBe('nosniff');
      expect(await wsEcho(`${base.replace('http', 'ws')}/ws/terminal/1`, 'x')).toBe('gateway:/ws/terminal/1:x');
      const chunk = await fetchAsset(`${base}/_next/static/chunks/app-1a2b.js`, true);
      expect(chunk.headers).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'public, max-age=31536000, immutable' });
      expect(gunzipSync(chunk.body).toString()).toBe(CHUNK);
    } finally {
      await nginx.stop();
    }
  });
});
