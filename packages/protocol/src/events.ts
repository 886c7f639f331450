import { z } from 'zod/v4';

/** Published after a committed bridge mutation. */
export const dataChangeEventSchema = z.object({
  type: z.literal('data:change'),
  app: z.string(),
  table: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  ids: z.array(z.string()),
});
export type DataChangeEvent = z.infer<typeof dataChangeEventSchema>;

/** Events carried on `/ws`. Other issues add members (file:change, app:build, …) here. */
export const gatewayEventSchema = z.discriminatedUnion('type', [
  dataChangeEventSchema,
  z.object({ type: z.literal('app:registry'), slug: z.string(), status: z.enum(['ok', 'invalid', 'removed']) }),
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
