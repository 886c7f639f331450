import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';

/** A short fingerprint of the query a cursor belongs to. */
export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** Encodes the next page's position as an opaque cursor bound to its query. */
export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint })).toString('base64url');
}

/** Decodes a cursor; one that is malformed or belongs to another query is refused. */
export function decodeCursor(cursor: string, fingerprint: string, maxOffset: number): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('validation', 'cursor: not a cursor this bridge issued', 'cursor');
  }
  const { o, q } = (parsed ?? {}) as { o?: unknown; q?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > maxOffset || typeof q !== 'string') {
    throw new AppError('validation', 'cursor: not a cursor this bridge issued', 'cursor');
  }
  if (q !== fingerprint) throw new AppError('validation', 'cursor: belongs to a different query', 'cursor');
  return o;
}
