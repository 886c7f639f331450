/** An error from the OS with the gateway's error code (`not_found`, `validation`, `unauthorized`, …). */
export class MatrixError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MatrixError';
  }
}

/** Turns an error body `{ error: { code, message, field } }` (or anything else) into a MatrixError. */
export function errorFromBody(status: number, body: unknown): MatrixError {
  const e = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new MatrixError(e.code, e.message, typeof e.field === 'string' ? e.field : undefined);
  }
  return new MatrixError(status >= 500 ? 'unavailable' : 'bad_request', `The gateway answered ${status}.`);
}
