import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors.ts';
import type { GatewayEnv } from '../../gateway-env.ts';
import { clientOf, type EdgeSecretMatcher } from '../client/index.ts';

/*
 * Cross-site request and WebSocket defence. A browser sends `Origin` with every WebSocket handshake
 * and every request whose method is not GET or HEAD, so a state-changing request or a socket from a
 * page is accepted only from the machine's own origin or one the owner allowed (the platform's).
 * A request with no Origin is not from a page's script: curl, a server, a test. Sec-Fetch-Site, which
 * browsers add to requests to secure origins, is then consulted as a second opinion.
 */

/** Paths whose documents run with an opaque origin (the sandboxed apps): `Origin: null` is theirs. */
const OPAQUE_PREFIX = '/apps/';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins a request may come from besides the machine's own (normalised, e.g. `https://example.com`). */
export type AllowedOrigins = ReadonlySet<string>;

/** The normalised origin of a URL or origin string, or null when it is not an http(s) one. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Whether a request's headers show it came from a page the machine trusts (see the note above). */
export function fromTrustedOrigin(headers: IncomingHttpHeaders, opts: { https: boolean; allowed: AllowedOrigins; opaqueAllowed: boolean }): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string') {
    if (origin === 'null') return opts.opaqueAllowed;
    const claimed = originOf(origin);
    if (!claimed) return false;
    const own = typeof headers.host === 'string' ? originOf(`${opts.https ? 'https' : 'http'}://${headers.host}`) : null;
    return claimed === own || opts.allowed.has(claimed);
  }
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** True for a path served to sandboxed app documents, whose requests carry `Origin: null`. */
export function isOpaqueOriginPath(url: string): boolean {
  return url.startsWith(OPAQUE_PREFIX);
}

const refused = () => new AppError('forbidden', 'This request came from another site. Open Matrix OS itself and try again there.');

/** Refuses state-changing requests (anything but GET, HEAD, OPTIONS) from another site with 403. */
export function requireTrustedOrigin(allowed: AllowedOrigins): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const headers = { origin: c.req.header('origin'), host: c.req.header('host'), 'sec-fetch-site': c.req.header('sec-fetch-site') };
    if (!fromTrustedOrigin(headers, { https: c.get('client').https, allowed, opaqueAllowed: isOpaqueOriginPath(c.req.path) })) throw refused();
    await next();
  };
}

/** The origins besides the machine's own: the public URL's and the owner's list (the platform's). */
export function allowedOriginsOf(config: { publicUrl?: string; allowedOrigins: readonly string[] }): AllowedOrigins {
  const set = new Set(config.allowedOrigins);
  const pub = config.publicUrl && originOf(config.publicUrl);
  if (pub) set.add(pub);
  return set;
}

/** The same rule for a raw WebSocket upgrade, which never reaches a Hono middleware: every socket passes it. */
export function upgradeFromTrustedOrigin(req: IncomingMessage, allowed: AllowedOrigins, fromEdge: EdgeSecretMatcher): boolean {
  const { https } = clientOf(req.headers, req.socket.remoteAddress, fromEdge);
  return fromTrustedOrigin(req.headers, { https, allowed, opaqueAllowed: isOpaqueOriginPath(req.url ?? '') });
}
