import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { EDGE_SECRET_HEADER } from '@matrix-os/protocol';

/** Who sent a request, as far as the gateway can tell. */
export interface ClientInfo {
  /** The browser's address when the edge vouched for the request, else the connection's own peer. */
  address: string;
  /** The browser reached the edge over TLS (only ever true when the edge vouched for the request). */
  https: boolean;
  /** The request carried the edge's secret. */
  viaEdge: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Tells whether a presented header value is the edge's secret. */
export type EdgeSecretMatcher = (presented: string | string[] | undefined) => boolean;

/** Compares a presented secret with the edge's in constant time (both hashed to one length first). */
export function edgeSecretMatcher(secret: string | undefined): EdgeSecretMatcher {
  if (!secret) return () => false;
  const expected = digest(secret);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expected);
}

/**
 * The client of a request: X-Forwarded-For and X-Forwarded-Proto count only when the request
 * carries the edge's secret. Any other local process (an app, say) that sends them is just itself.
 */
export function clientOf(headers: IncomingHttpHeaders, peer: string | undefined, fromEdge: EdgeSecretMatcher): ClientInfo {
  const own = peer ?? 'unknown';
  if (!fromEdge(headers[EDGE_SECRET_HEADER])) return { address: own, https: false, viaEdge: false };
  const forwarded = headers['x-forwarded-for'];
  const address = (typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '') || own;
  return { address, https: headers['x-forwarded-proto'] === 'https', viaEdge: true };
}

/** Sets `client` on every request (see `clientOf`). */
export function identifyClient(edgeSecret: string | undefined): MiddlewareHandler {
  const fromEdge = edgeSecretMatcher(edgeSecret);
  return async (c, next) => {
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined;
    }
    c.set('client', clientOf({ [EDGE_SECRET_HEADER]: c.req.header(EDGE_SECRET_HEADER), 'x-forwarded-for': c.req.header('x-forwarded-for'), 'x-forwarded-proto': c.req.header('x-forwarded-proto') }, peer, fromEdge));
    await next();
  };
}
