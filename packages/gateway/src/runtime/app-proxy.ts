import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PLATFORM_JWT_HEADER } from '../auth/platform-jwt.ts';
import { PROXIED_APP_POLICY } from './csp.ts';

// Hop-by-hop headers, and every credential of the owner: an app process never sees them.
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'cookie', 'authorization', PLATFORM_JWT_HEADER]);

/** The request headers an app process receives, plus where it is mounted. */
export function forwardedHeaders(headers: IncomingHttpHeaders, prefix: string, remote: string | undefined, keepUpgrade = false): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (DROPPED.has(k) && !(keepUpgrade && (k === 'upgrade' || k === 'connection'))) continue;
    out[k] = v;
  }
  out['x-forwarded-prefix'] = prefix;
  if (remote) out['x-forwarded-for'] = remote;
  return out;
}

/** Sends one HTTP request to the app on `port` (path already stripped of `/apps/<slug>`) and streams the answer back. */
export function proxyHttp(req: IncomingMessage, res: ServerResponse, port: number, path: string, prefix: string): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path, headers: forwardedHeaders(req.headers, prefix, req.socket.remoteAddress) },
      (up) => {
        const headers: Record<string, string | string[] | undefined> = { ...up.headers };
        for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete headers[h];
        // Several CSP headers are all enforced: the app's own policy cannot loosen the sandbox.
        headers['content-security-policy'] = [...[up.headers['content-security-policy'] ?? []].flat(), PROXIED_APP_POLICY];
        // The app's sandboxed iframe has an opaque origin: its module scripts load in CORS mode.
        headers['access-control-allow-origin'] ??= '*';
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.once('end', resolve);
        up.once('error', () => (res.destroy(), resolve()));
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'unavailable', message: 'The app did not answer.' } }));
      } else res.destroy();
      resolve();
    });
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
}

/** Answers a refused WebSocket upgrade with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Pipes an upgraded client socket to the app on `port`, replaying the upgrade request; `onClose` runs once. */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, port: number, path: string, prefix: string, onClose: () => void): void {
  const upstream: Socket = connect(port, '127.0.0.1');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
    upstream.destroy();
    onClose();
  };
  upstream.once('connect', () => {
    const headers = forwardedHeaders(req.headers, prefix, req.socket.remoteAddress, true);
    const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`];
    for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.once('error', () => {
    if (!closed && upstream.bytesRead === 0) refuseUpgrade(socket, 502, 'Bad Gateway');
    close();
  });
  upstream.once('close', close);
  socket.once('error', close);
  socket.once('close', close);
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Installs the server's one `upgrade` listener: `/apps/…` goes to the app proxy, every other path
 * to the gateway's own sockets (installed by `inject`, which would otherwise refuse app paths).
 */
export function routeUpgrades(server: Server, inject: (server: { on: (event: 'upgrade', fn: UpgradeListener) => unknown }) => void, apps: UpgradeListener): void {
  const own: UpgradeListener[] = [];
  inject({ on: (_event, fn) => own.push(fn) });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').startsWith('/apps/')) apps(req, socket, head);
    else for (const fn of own) fn(req, socket, head);
  });
}
