import type { MiddlewareHandler } from 'hono';

/**
 * What an answer the gateway writes itself (JSON, its few HTML pages) may do as a document: run
 * nothing, load nothing but its own inline styles, and be framed only by the machine's own pages.
 */
export const GATEWAY_ANSWER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/**
 * `nosniff` on every answer, so a browser never runs something sent as another type; and the policy
 * above on JSON and HTML answers that bring none (served files and app documents bring their own).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('x-content-type-options', 'nosniff');
    if (!headers.has('content-security-policy') && /^(application\/json|text\/html)\b/.test(headers.get('content-type') ?? '')) {
      headers.set('content-security-policy', GATEWAY_ANSWER_POLICY);
    }
  };
}
