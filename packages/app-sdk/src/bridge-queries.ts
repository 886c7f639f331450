import type { BRIDGE_LIMITS } from '@matrix-os/protocol';
import { MatrixError } from './matrix-error.ts';
import type { FindOptions, OrderBy, SortDirection, Where } from './types.ts';

// Type-checked copies of the bridge's bounds: importing the values would pull Zod into every app bundle.
/** Most rows the bridge returns per page. */
export const MAX_PAGE: (typeof BRIDGE_LIMITS)['maxLimit'] = 1000;
/** Most rows one insert may carry. */
export const MAX_INSERT: (typeof BRIDGE_LIMITS)['maxInsertRows'] = 500;
/** Most rows a `find` without a `limit` returns (it pages through the table up to this). */
export const FIND_ALL_MAX = 10_000;
/** The table behind `readData` / `writeData`, declared by the app as `{ key: "text", value: "json" }`. */
export const KV_TABLE = 'kv';

const invalid = (message: string) => new MatrixError('validation', message);

/** Turns every accepted `orderBy` form into the bridge's `[[column, direction], …]`. */
export function normalizeOrderBy(orderBy: OrderBy | undefined): [string, SortDirection][] | undefined {
  if (orderBy === undefined) return undefined;
  if (typeof orderBy === 'string') return [[orderBy, 'asc']];
  const pairs = Array.isArray(orderBy) ? orderBy : Object.entries(orderBy);
  return pairs.map(([col, dir]) => {
    const d = String(dir).toLowerCase();
    if (typeof col !== 'string' || (d !== 'asc' && d !== 'desc')) {
      throw invalid(`orderBy: expected "asc" or "desc" for "${String(col)}"`);
    }
    return [col, d];
  });
}

function checkCount(value: number | undefined, name: string, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw invalid(`${name}: expected an integer ≥ ${min}`);
  }
}

/** How many rows a `find` asks for in total. */
export function findTotal(options: FindOptions): number {
  checkCount(options.limit, 'limit', 0);
  checkCount(options.offset, 'offset', 0);
  return options.limit ?? FIND_ALL_MAX;
}

/** One page of a `find`: the first page carries the offset, later ones the bridge's cursor. */
export function findPageQuery(table: string, options: FindOptions, pageSize: number, cursor?: string): Record<string, unknown> {
  const orderBy = normalizeOrderBy(options.orderBy);
  return {
    action: 'find',
    table,
    ...(options.where ? { where: options.where } : {}),
    ...(orderBy ? { orderBy } : {}),
    limit: Math.min(Math.max(pageSize, 1), MAX_PAGE),
    ...(cursor ? { cursor } : options.offset ? { offset: options.offset } : {}),
  };
}

export const getQuery = (table: string, id: string) => ({ action: 'get', table, id });

export const countQuery = (table: string, where?: Where) => ({ action: 'count', table, ...(where ? { where } : {}) });

export function insertQuery(table: string, data: Record<string, unknown> | Record<string, unknown>[]) {
  if (Array.isArray(data) && data.length > MAX_INSERT) throw invalid(`bulkInsert: at most ${MAX_INSERT} rows at once`);
  return { action: 'insert', table, data };
}

export const updateQuery = (table: string, id: string, data: Record<string, unknown>) => ({ action: 'update', table, id, data });

export const deleteQuery = (table: string, id: string) => ({ action: 'delete', table, id });

/** The kv row for `key` (newest first, in case two writers raced and both inserted). */
export function kvLookupQuery(key: string): Record<string, unknown> {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw invalid('key: expected a string of 1 to 200 characters');
  return { action: 'find', table: KV_TABLE, where: { key }, orderBy: [['updated_at', 'desc']], limit: 1 };
}
