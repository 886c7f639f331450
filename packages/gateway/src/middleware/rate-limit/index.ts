import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors.ts';
import { TokenBuckets } from './token-bucket.ts';

/** Answers 429 with Retry-After once `key(c)` has used its budget. */
export function rateLimit(opts: { ratePerSec: number; burst: number; key: (c: Context) => string; message?: string }): MiddlewareHandler {
  const buckets = new TokenBuckets(opts.ratePerSec, opts.burst);
  return async (c, next) => {
    const wait = buckets.take(opts.key(c));
    if (wait > 0) {
      throw new AppError('rate_limited', opts.message ?? 'Too many requests. Slow down and try again shortly.', undefined, {
        'retry-after': String(Math.max(1, wait)),
      });
    }
    await next();
  };
}
