import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import { AppError } from '../../errors.ts';

// Reading (and discarding) an oversized body lets the client see the 413 instead of a reset
// connection; past this much we stop reading and let the socket close.
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

/** Reads and discards a request body (up to 16 MiB) so the client sees the answer instead of a reset. */
export async function drainBody(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    seen += value.byteLength;
    if (seen > DRAIN_MAX_BYTES) return void (await reader.cancel());
  }
}

/** Refuses bodies over `maxBytes` with 413 without keeping them in memory. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new AppError('too_large', `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);
  const streaming = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(declared) <= maxBytes) return next();
      await drainBody(c.req.raw.body);
      throw tooLarge();
    }
    return streaming(c, next);
  };
}

/** Ends a request that runs longer than `ms` with 504. */
export function limitTime(ms: number): MiddlewareHandler {
  return timeout(ms, () => new AppError('timeout', 'The request took too long.') as never);
}
