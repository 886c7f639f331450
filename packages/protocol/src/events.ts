import { z } from 'zod/v4';
import { chatEventSchema, notifyEventSchema, windowEventSchema } from './chat.ts';
import { shellPrefsEventSchema } from './shell-prefs.ts';

/** Published after a committed bridge mutation. */
export const dataChangeEventSchema = z.object({
  type: z.literal('data:change'),
  app: z.string(),
  table: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  ids: z.array(z.string()),
});
export type DataChangeEvent = z.infer<typeof dataChangeEventSchema>;

/** Progress of an app build: one `started`, any number of `log` lines, then `succeeded`, `failed` or `skipped`. */
export const appBuildEventSchema = z.object({
  type: z.literal('app:build'),
  slug: z.string(),
  phase: z.enum(['started', 'log', 'succeeded', 'failed', 'skipped']),
  line: z.string().optional(),
  reason: z.string().optional(),
});
export type AppBuildEvent = z.infer<typeof appBuildEventSchema>;

/** A `node` app's process changed state; `reason` says why it failed or is backing off. */
export const appProcessEventSchema = z.object({
  type: z.literal('app:process'),
  slug: z.string(),
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'backoff', 'failed']),
  reason: z.string().optional(),
});
export type AppProcessEvent = z.infer<typeof appProcessEventSchema>;

/** A file or folder of the home was added, changed or removed (path relative to the home). */
export const fileChangeEventSchema = z.object({
  type: z.literal('file:change'),
  kind: z.enum(['add', 'change', 'unlink', 'addDir', 'unlinkDir']),
  path: z.string(),
});
export type FileChangeEvent = z.infer<typeof fileChangeEventSchema>;

/** Events carried on `/ws`. Other issues add members (file:change, app:build, …) here. */
export const gatewayEventSchema = z.discriminatedUnion('type', [
  dataChangeEventSchema,
  z.object({ type: z.literal('app:registry'), slug: z.string(), status: z.enum(['ok', 'invalid', 'removed']) }),
  appBuildEventSchema,
  appProcessEventSchema,
  chatEventSchema,
  windowEventSchema,
  notifyEventSchema,
  fileChangeEventSchema,
  shellPrefsEventSchema,
]);
export type GatewayEvent = z.infer<typeof gatewayEventSchema>;

/** What the server sends: an event with its sequence number, or a control message. */
export type ServerMessage =
  | { type: 'event'; seq: number; event: GatewayEvent }
  | { type: 'ready'; seq: number; replayed: number; gap: boolean }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };

/** What a client may send on `/ws`. `since` resumes after the last sequence number it saw. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), since: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
