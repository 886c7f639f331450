import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@matrix-os/protocol';
import type { Logger } from './logger.ts';

/** The gateway's one error type; `onError` turns it into the JSON error shape. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** Builds the JSON error body; used by every route through `handleError`. */
export function errorBody(code: ErrorCode, message: string, field?: string, requestId?: string): ErrorBody {
  return { error: { code, message, ...(field ? { field } : {}), ...(requestId ? { requestId } : {}) } };
}

/** Hono `onError`: known errors keep their message; anything else is logged and answered generically. */
export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    const requestId = c.get('requestId') as string | undefined;
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      return c.json(errorBody(err.code, err.message, err.field, requestId), err.status as 400);
    }
    // Hono's own HTTP errors (body limit, timeout) carry a status but a plain-text body.
    const status = (err as { status?: number }).status;
    if (status === 413) return c.json(errorBody('too_large', 'The request body is too large.', undefined, requestId), 413);
    if (status === 504 || status === 503) {
      return c.json(errorBody('timeout', 'The request took too long.', undefined, requestId), 504);
    }
    logger.error({ err, requestId, method: c.req.method, path: c.req.path }, 'request failed');
    return c.json(errorBody('internal', 'Something went wrong. Try again; if it keeps happening, check the gateway log.', undefined, requestId), 500);
  };
}

/** Writes a whole HTTP answer in the error shape straight to a socket, then closes it (where no response object exists). */
export function endSocketWithError(socket: Duplex, status: number, statusText: string, code: ErrorCode, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** The server's answer to a request Node could not even parse (a URL or headers too large, bad syntax), in the error shape. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  if (err.code === 'HPE_HEADER_OVERFLOW') return endSocketWithError(socket, 431, 'Request Header Fields Too Large', 'too_large', 'The request\'s URL or headers are too large.');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return endSocketWithError(socket, 408, 'Request Timeout', 'timeout', 'The request took too long to arrive.');
  endSocketWithError(socket, 400, 'Bad Request', 'bad_request', 'The request is not valid HTTP.');
}
