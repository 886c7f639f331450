import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { EDGE_SECRET_HEADER } from '@matrix-os/protocol';
import { BUILD_ASSET_PREFIX, BuildAssets } from './build-assets.ts';
import { EDGE_ROUTES, routeFor, type EdgeRoute, type Upstream } from './route-table.ts';

export interface EdgeOptions {
  port: number;
  host?: string;
  /** Where each upstream listens: `{ host, port }`. */
  upstreams: Record<Upstream, { host: string; port: number }>;
  routes?: readonly EdgeRoute[];
  /** The shell's `.next/static` folder: its files are answered by the edge itself (see build-assets.ts). */
  buildAssetsDir?: string;
  /** Added to every request bound for the gateway, which believes X-Forwarded-* only with it (see protocol/edge.ts). */
  edgeSecret?: string;
}

// Hop-by-hop headers are the edge's business, not the upstream's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function forwardedHeaders(req: IncomingMessage, upstream: Upstream, edgeSecret: string | undefined): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== EDGE_SECRET_HEADER) headers[k] = v;
  // Replace, never append: a client must not be able to claim another address.
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-proto'] = 'http';
  if (upstream === 'gateway' && edgeSecret) headers[EDGE_SECRET_HEADER] = edgeSecret;
  return headers;
}

/** An upstream's answer headers with `nosniff` added: every answer through the edge carries it. */
function answerHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return { ...headers, 'x-content-type-options': 'nosniff' };
}

function unavailable(res: ServerResponse, upstream: Upstream): void {
  if (res.destroyed) return;
  if (res.headersSent) return void res.destroy();
  res.writeHead(502, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify({ error: { code: 'unavailable', message: `The ${upstream} is not answering. It may still be starting; try again in a moment.` } }));
}

/** The local edge: one port in front of the shell and the gateway, routed by the one route table. */
export function startEdge(options: EdgeOptions): Promise<Server> {
  const routes = options.routes ?? EDGE_ROUTES;
  const assets = options.buildAssetsDir ? new BuildAssets(options.buildAssetsDir) : null;
  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const route = routeFor(req.url ?? '/', routes);
    const target = options.upstreams[route.upstream];
    const upstream = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: forwardedHeaders(req, route.upstream, options.edgeSecret) },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, answerHeaders(up.headers));
        up.pipe(res);
      },
    );
    upstream.on('error', () => unavailable(res, route.upstream));
    // A client that goes away (an upload cancelled, a tab closed) takes its upstream request with it,
    // so the service sees the abort and cleans up instead of waiting for the rest of the body.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    if (!assets || !req.url?.startsWith(BUILD_ASSET_PREFIX)) return proxy(req, res);
    assets.serve(req, res).then(
      (served) => served || proxy(req, res),
      () => proxy(req, res),
    );
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const route = routeFor(req.url ?? '/', routes);
    if (!route.websocket) return void client.destroy();
    const target = options.upstreams[route.upstream];
    const up = connect(target.port, target.host, () => {
      const headers = { ...forwardedHeaders(req, route.upstream, options.edgeSecret), connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'websocket' };
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`))];
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    const close = () => {
      up.destroy();
      client.destroy();
    };
    up.on('error', close);
    client.on('error', close);
    up.on('close', close);
    client.on('close', close);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}
