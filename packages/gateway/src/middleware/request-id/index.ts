import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Gives each request an id, echoed in `x-request-id` and in error bodies, so logs can be matched. */
export function requestId(): MiddlewareHandler {
  return async (c, next) => {
    const id = randomUUID();
    c.set('requestId', id);
    c.header('x-request-id', id);
    await next();
  };
}
