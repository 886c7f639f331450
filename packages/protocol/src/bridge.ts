import { z } from 'zod/v4';

/** Upper bounds that keep one bridge request cheap; the gateway enforces them. */
export const BRIDGE_LIMITS = {
  defaultLimit: 100,
  maxLimit: 1000,
  maxInsertRows: 500,
  maxOffset: 100_000,
  maxFilterDepth: 8,
  maxFilterNodes: 200,
  maxInList: 500,
  maxStringValue: 10_000,
} as const;

const tableName = z.string().min(1).max(63);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid');
/** A filter tree; its structure and types are checked against the app's schema by the gateway. */
const where = z.record(z.string(), z.unknown());
const row = z.record(z.string(), z.unknown());
const direction = z.enum(['asc', 'desc']);
const orderBy = z.union([
  z.array(z.tuple([z.string().max(63), direction])).max(8),
  z.record(z.string().max(63), direction).refine((o) => Object.keys(o).length <= 8, 'at most 8 columns'),
]);
const bound = z.number().int().min(1).max(BRIDGE_LIMITS.maxLimit);

export const bridgeQuerySchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('find'),
    table: tableName,
    where: where.optional(),
    orderBy: orderBy.optional(),
    limit: bound.optional(),
    offset: z.number().int().min(0).max(BRIDGE_LIMITS.maxOffset).optional(),
    cursor: z.string().max(2000).optional(),
  }),
  z.object({ action: z.literal('get'), table: tableName, id: uuid }),
  z.object({ action: z.literal('count'), table: tableName, where: where.optional() }),
  z.object({
    action: z.literal('insert'),
    table: tableName,
    data: z.union([row, z.array(row).min(1).max(BRIDGE_LIMITS.maxInsertRows)]),
  }),
  z.object({
    action: z.literal('update'),
    table: tableName,
    id: uuid.optional(),
    where: where.optional(),
    limit: bound.optional(),
    data: row,
  }),
  z.object({
    action: z.literal('delete'),
    table: tableName,
    id: uuid.optional(),
    where: where.optional(),
    limit: bound.optional(),
  }),
  z.object({ action: z.literal('tables') }),
]);

/** The body of `POST /api/bridge/query`; the calling app comes from its credential, never from here. */
export type BridgeQuery = z.infer<typeof bridgeQuerySchema>;
export type BridgeAction = BridgeQuery['action'];

export type BridgeRow = Record<string, unknown> & { id: string; created_at: string; updated_at: string };

/** Replies, one shape per action. */
export type BridgeReply =
  | { rows: BridgeRow[]; nextCursor: string | null }
  | { row: BridgeRow }
  | { count: number }
  | { ids: string[] }
  | { changed: number; ids: string[] }
  | { tables: Record<string, { columns: Record<string, string> }> };
