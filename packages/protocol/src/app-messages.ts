import { z } from 'zod/v4';
import { dataChangeEventSchema } from './events.ts';
import { APP_CALLS, APP_MESSAGE_LIMITS, fitsAppMessageLimit } from './app-request.ts';

/*
 * The postMessage protocol between the shell and an app's sandboxed iframe.
 *
 * app → shell   request  { matrix: 1, id, call, args }
 * shell → app   reply    { matrix: 1, id, ok: true, result } | { matrix: 1, id, ok: false, error }
 * shell → app   push     { matrix: 1, event: 'hello' | 'data:change' | 'theme', payload }
 *
 * The iframe has no `allow-same-origin`, so its origin is opaque ("null"): the app posts to the
 * parent with target "*", and the shell identifies the sender by `event.source` (the iframe's
 * window), never by anything inside the message. The shell sends `hello` on the iframe's `load`
 * event and forwards every call to the gateway with that app's own credential; the meaning of each
 * call (how `db.find` becomes a bridge query, how `readData` is stored) lives in `@matrix-os/app-sdk`
 * (`dispatchAppCall`), so the shell and the SDK's standalone transport share one implementation.
 */

const version = z.literal(1);
const messageId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const appRequestSchema = z.object({
  matrix: version,
  id: messageId,
  call: z.enum(APP_CALLS),
  args: z.array(z.unknown()).max(APP_MESSAGE_LIMITS.maxArgs),
});
/** app → shell: one call, answered by exactly one reply with the same `id`. */
export type AppRequest = z.infer<typeof appRequestSchema>;

export const appErrorSchema = z.object({ code: z.string().max(64), message: z.string().max(2000) });

export const appReplySchema = z.discriminatedUnion('ok', [
  z.object({ matrix: version, id: messageId, ok: z.literal(true), result: z.unknown() }),
  z.object({ matrix: version, id: messageId, ok: z.literal(false), error: appErrorSchema }),
]);
/** shell → app: the outcome of the request with the same `id`. */
export type AppReply = z.infer<typeof appReplySchema>;

/** The theme an app follows: light or dark, and the `--matrix-*` CSS variables the shell uses. */
export const appThemeSchema = z.object({
  mode: z.enum(['light', 'dark']),
  vars: z
    .record(z.string().regex(/^--matrix-[a-z0-9-]{1,48}$/), z.string().max(200))
    .refine((v) => Object.keys(v).length <= 64, 'at most 64 variables'),
});
export type AppTheme = z.infer<typeof appThemeSchema>;

export const appPushSchema = z.discriminatedUnion('event', [
  z.object({
    matrix: version,
    event: z.literal('hello'),
    payload: z.object({
      app: z.object({ name: z.string().max(200), slug: z.string().max(63) }),
      theme: appThemeSchema,
    }),
  }),
  z.object({ matrix: version, event: z.literal('data:change'), payload: dataChangeEventSchema }),
  z.object({ matrix: version, event: z.literal('theme'), payload: appThemeSchema }),
]);
/** shell → app: an unsolicited message (the handshake, a data change, a theme change). */
export type AppPush = z.infer<typeof appPushSchema>;

/** Parses a message received by an app; `null` for anything that is not a reply or push. */
export function parseShellMessage(data: unknown): AppReply | AppPush | null {
  if (typeof data !== 'object' || data === null || (data as { matrix?: unknown }).matrix !== 1) return null;
  if (!fitsAppMessageLimit(data)) return null;
  const reply = appReplySchema.safeParse(data);
  if (reply.success) return reply.data;
  const push = appPushSchema.safeParse(data);
  return push.success ? push.data : null;
}
