import type { Context } from 'hono';
import type { z } from 'zod/v4';
import { AppError } from '../../errors.ts';

/** Reads a JSON body and validates it; a bad body is a 400 naming the first bad field. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (err) {
    if ((err as { status?: number }).status === 413) throw err;
    throw new AppError('validation', 'The request body is not valid JSON.');
  }
  return parseInput(schema, body);
}

/** Validates any input (params, query, body) with the same error shape. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new AppError('validation', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
