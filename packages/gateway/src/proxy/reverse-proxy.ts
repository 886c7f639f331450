import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { EDGE_SECRET_HEADER, type ErrorCode } from '@matrix-os/protocol';
import { PLATFORM_JWT_HEADER } from '../auth/platform-jwt.ts';
import { endSocketWithError, errorBody } from '../errors.ts';

// Hop-by-hop headers, the owner's bearer credentials (the platform's JWT too) and the edge's secret:
// an upstream process never sees them.
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'authorization', PLATFORM_JWT_HEADER, EDGE_SECRET_HEADER]);

/** Headers of a proxied answer, as the upstream sent them (multi-valued ones as arrays). */
export type AnswerHeaders = Record<string, string | string[] | number | undefined>;

/** Adds a Content-Security-Policy to an answer's own: browsers enforce every policy, so the process cannot loosen it. */
export function addPolicy(headers: AnswerHeaders, policy: string): void {
  headers['content-security-policy'] = [...[headers['content-security-policy'] ?? []].flat().map(String), policy];
}

/** What any proxied request may carry and take: the largest body, and how long the answer may take to start. */
export interface ProxyLimits {
  /** Largest request body passed on; a bigger one gets 413. */
  maxBodyBytes: number;
  /** How long the upstream may take to start answering; then 504. */
  headersTimeoutMs: number;
}

/** One request's way to a process on the loopback interface, and the rules it passes under. */
export interface ProxyTarget extends ProxyLimits {
  port: number;
  /** Path and query sent upstream, with the mount prefix already stripped. */
  path: string;
  /** Where the upstream is mounted (sent as `x-forwarded-prefix`). */
  prefix: string;
  /** What the upstream is called in error bodies ("The app", "The code editor"). */
  name: string;
  /** The Cookie header the upstream sees, or undefined for none. */
  cookies: (header: string | undefined) => string | undefined;
  /** Last say over the answer's headers (an app's sandbox policy, for example). */
  answerHeaders?: (headers: AnswerHeaders) => void;
}

/** The request headers the upstream receives, plus where it is mounted. */
export function forwardedHeaders(headers: IncomingHttpHeaders, target: ProxyTarget, remote: string | undefined, keepUpgrade = false): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === 'cookie') continue;
    if (DROPPED.has(k) && !(keepUpgrade && (k === 'upgrade' || k === 'connection'))) continue;
    out[k] = v;
  }
  const cookie = target.cookies(headers.cookie);
  if (cookie) out.cookie = cookie;
  out['x-forwarded-prefix'] = target.prefix;
  if (remote) out['x-forwarded-for'] = remote;
  return out;
}

/** The gateway's error shape, written straight to Node's response (a proxied request never returns to Hono). */
function answerError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', connection: 'close' });
  res.end(JSON.stringify(errorBody(code, message)));
}

/** Sends one HTTP request to the target and streams the answer back; resolves when it is done. */
export function proxyHttp(req: IncomingMessage, res: ServerResponse, target: ProxyTarget): Promise<void> {
  return new Promise((resolve) => {
    const tooLarge = () => answerError(res, 413, 'too_large', `The request body is larger than ${target.maxBodyBytes} bytes.`);
    if (Number(req.headers['content-length'] ?? 0) > target.maxBodyBytes) {
      tooLarge();
      req.resume();
      return resolve();
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: target.port, method: req.method, path: target.path, headers: forwardedHeaders(req.headers, target, req.socket.remoteAddress) },
      (up) => {
        clearTimeout(timer);
        const headers: AnswerHeaders = { ...up.headers };
        for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete headers[h];
        // Whatever the process says its content is, a browser must not guess otherwise.
        headers['x-content-type-options'] = 'nosniff';
        target.answerHeaders?.(headers);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.once('end', resolve);
        up.once('error', () => (res.destroy(), resolve()));
      },
    );
    const timer = setTimeout(() => {
      upstream.destroy();
      answerError(res, 504, 'timeout', `${target.name} did not answer within ${Math.round(target.headersTimeoutMs / 1000)} s.`);
      resolve();
    }, target.headersTimeoutMs);
    upstream.once('error', () => {
      clearTimeout(timer);
      answerError(res, 502, 'unavailable', `${target.name} did not answer.`);
      resolve();
    });
    res.once('close', () => (clearTimeout(timer), upstream.destroy()));
    // A chunked body is counted as it streams: past the limit the upstream request is abandoned.
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= target.maxBodyBytes) return void (upstream.write(chunk) || (req.pause(), upstream.once('drain', () => req.resume())));
      req.removeAllListeners('data');
      req.resume();
      clearTimeout(timer);
      upstream.destroy();
      tooLarge();
      resolve();
    });
    req.once('end', () => received <= target.maxBodyBytes && upstream.end());
  });
}

const UPGRADE_REFUSALS = {
  401: ['Unauthorized', 'unauthorized', 'Sign in first.'],
  403: ['Forbidden', 'forbidden', 'This socket was opened from another site. Open Matrix OS itself and try again there.'],
  404: ['Not Found', 'not_found', 'Nothing to connect to here.'],
  502: ['Bad Gateway', 'unavailable', 'The process behind this socket did not answer.'],
  503: ['Service Unavailable', 'unavailable', 'The process behind this socket is not running.'],
} as const satisfies Record<number, readonly [string, ErrorCode, string]>;

/** Answers a refused WebSocket upgrade with its status and the JSON error shape, then closes the socket. */
export function refuseUpgrade(socket: Duplex, status: keyof typeof UPGRADE_REFUSALS): void {
  const [text, code, message] = UPGRADE_REFUSALS[status];
  endSocketWithError(socket, status, text, code, message);
}

/** Pipes an upgraded client socket to the target, replaying the upgrade request; `onClose` runs once. */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget, onClose: () => void = () => {}): void {
  const upstream: Socket = connect(target.port, '127.0.0.1');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
    upstream.destroy();
    onClose();
  };
  upstream.once('connect', () => {
    const headers = forwardedHeaders(req.headers, target, req.socket.remoteAddress, true);
    const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`];
    for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.once('error', () => {
    if (!closed && upstream.bytesRead === 0) refuseUpgrade(socket, 502);
    close();
  });
  upstream.once('close', close);
  socket.once('error', close);
  socket.once('close', close);
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Installs the server's one `upgrade` listener: an upgrade `admit` refuses is answered 403; a path
 * under one of `proxied`'s prefixes goes to that proxy, every other path to the gateway's own
 * sockets (installed by `inject`).
 */
export function routeUpgrades(server: Server, inject: (server: { on: (event: 'upgrade', fn: UpgradeListener) => unknown }) => void, proxied: Record<string, UpgradeListener>, admit: (req: IncomingMessage) => boolean): void {
  const own: UpgradeListener[] = [];
  inject({ on: (_event, fn) => own.push(fn) });
  const prefixes = Object.entries(proxied);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!admit(req)) return refuseUpgrade(socket, 403);
    const url = req.url ?? '';
    const hit = prefixes.find(([prefix]) => url.startsWith(prefix));
    if (hit) hit[1](req, socket, head);
    else for (const fn of own) fn(req, socket, head);
  });
}
