import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { z } from 'zod/v4';
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '@matrix-os/protocol';
import { AppError } from '../../errors.ts';

/**
 * The body as text, read straight from Node's request when its length is declared (limitBody has
 * already checked it): building a web `Request` stream for every call costs more than the query.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(c.req.header('content-length'));
  if (!incoming || !Number.isInteger(declared) || incoming.readableDidRead || incoming.readableFlowing !== null) return c.req.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > declared) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `application/json` or any `+json` type, with or without parameters. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON body and validates it; a bad body is a 400 naming the first bad field. The body must
 * be declared JSON: a page on another site can send text/plain without asking the browser first,
 * never application/json, so a JSON route never acts on such a request.
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!isJsonType(c.req.header('content-type'))) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  let body: unknown;
  try {
    body = JSON.parse(await bodyText(c));
  } catch (err) {
    if ((err as { status?: number }).status === 413) throw err;
    throw new AppError('validation', 'The request body is not valid JSON.');
  }
  return parseInput(schema, body);
}

/**
 * Validates any input (params, query, body) with the same error shape. Text PostgreSQL cannot hold
 * (NUL, an unpaired surrogate) is refused here first, in any field of any route.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const unstorable = findUnstorableText(input);
  if (unstorable) {
    const field = unstorable.map(String).join('.');
    throw new AppError('validation', field ? `${field}: ${UNSTORABLE_TEXT_MESSAGE}` : `The value ${UNSTORABLE_TEXT_MESSAGE}.`, field || undefined);
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new AppError('validation', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
