/** The services behind a machine's edge. */
export type Upstream = 'shell' | 'gateway';

export interface EdgeRoute {
  /** Path prefix; `/` matches everything not matched by a longer prefix. */
  prefix: string;
  upstream: Upstream;
  /** Whether WebSocket upgrades are forwarded on this route. */
  websocket: boolean;
}

/**
 * The one route table of a machine's edge: rendered to nginx.conf in production and served by
 * the local Node edge in development. `/code/` goes to the gateway, which checks the owner's
 * session before proxying to code-server (nginx cannot check our session itself).
 */
export const EDGE_ROUTES: readonly EdgeRoute[] = [
  { prefix: '/api/', upstream: 'gateway', websocket: false },
  { prefix: '/ws', upstream: 'gateway', websocket: true },
  { prefix: '/files/', upstream: 'gateway', websocket: false },
  { prefix: '/apps/', upstream: 'gateway', websocket: true },
  { prefix: '/terminal/', upstream: 'gateway', websocket: false },
  { prefix: '/code', upstream: 'gateway', websocket: true },
  { prefix: '/health', upstream: 'gateway', websocket: false },
  { prefix: '/', upstream: 'shell', websocket: true },
];

/** The route a path takes: the longest matching prefix wins. */
export function routeFor(path: string, routes: readonly EdgeRoute[] = EDGE_ROUTES): EdgeRoute {
  let best: EdgeRoute | undefined;
  for (const r of routes) {
    if (path.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  }
  return best ?? routes[routes.length - 1]!;
}
