import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import { AppError } from '../../errors.ts';

/** Refuses bodies over `maxBytes` with 413 before they are read into memory. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('too_large', `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);
    },
  });
}

/** Ends a request that runs longer than `ms` with 504. */
export function limitTime(ms: number): MiddlewareHandler {
  return timeout(ms, () => new AppError('timeout', 'The request took too long.') as never);
}
