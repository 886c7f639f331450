import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { BRIDGE_LIMITS, SYSTEM_COLUMNS, type BridgeQuery, type BridgeReply, type ColumnType, type DataChangeEvent } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { RegisteredApp } from '../registry/app-registry.ts';
import { compileFilter } from './compile.ts';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor.ts';
import { mapDbError } from './db-errors.ts';
import { parseWhere } from './filter.ts';
import { checkValue } from './values.ts';

type Columns = Record<string, ColumnType>;
type Writes = Omit<DataChangeEvent, 'type' | 'app'> | null;

/** A bridge reply plus the change it made, which the caller publishes once committed. */
export interface BridgeResult {
  reply: BridgeReply;
  change: Writes;
}

const invalid = (field: string, message: string) => new AppError('validation', `${field}: ${message}`, field);

/** The columns the app declares now, plus id and timestamps; columns it dropped stay hidden. */
function tableColumns(app: RegisteredApp, table: string): Columns {
  const def = app.storage?.tables[table];
  // The same answer whether the table belongs to another app, to nobody, or is a system table.
  if (!def || !Object.hasOwn(app.storage!.tables, table)) throw new AppError('not_found', `No table "${table}" in this app.`, 'table');
  return { ...SYSTEM_COLUMNS, ...(def.columns as Columns) };
}

function checkRow(row: Record<string, unknown>, columns: Columns, field: string, allowId: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const f = `${field}.${key}`;
    const type = Object.hasOwn(columns, key) ? columns[key] : undefined;
    if (!type) throw invalid(f, 'unknown column');
    if (key === 'created_at' || key === 'updated_at' || (key === 'id' && !allowId)) throw invalid(f, 'is set by the bridge');
    out[key] = value === null ? null : checkValue(type, value, f);
  }
  return out;
}

function orderOf(query: Extract<BridgeQuery, { action: 'find' }>, columns: Columns): [string, 'asc' | 'desc'][] {
  const given = Array.isArray(query.orderBy) ? query.orderBy : Object.entries(query.orderBy ?? {});
  const order = given.map(([col, dir], i): [string, 'asc' | 'desc'] => {
    const type = Object.hasOwn(columns, col) ? columns[col] : undefined;
    if (!type) throw invalid(`orderBy.${i}`, `unknown column "${col}"`);
    if (type === 'json') throw invalid(`orderBy.${i}`, 'json columns cannot be ordered');
    return [col, dir];
  });
  if (order.length === 0) order.push(['created_at', 'asc']);
  // A unique last key makes pages stable when other keys tie.
  if (!order.some(([c]) => c === 'id')) order.push(['id', 'asc']);
  return order;
}

/**
 * Runs one bridge query inside the app's own schema. Every identifier was checked against the
 * app's declared storage before it reaches SQL; every value is bound.
 */
export async function executeBridgeQuery(db: Kysely<any>, app: RegisteredApp, query: BridgeQuery): Promise<BridgeResult> {
  try {
    return await run(db.withSchema(app.schema), app, query);
  } catch (err) {
    throw mapDbError(err);
  }
}

async function run(db: Kysely<any>, app: RegisteredApp, query: BridgeQuery): Promise<BridgeResult> {
  if (query.action === 'tables') {
    const tables = Object.fromEntries(
      Object.entries(app.storage?.tables ?? {}).map(([name, t]) => [name, { columns: { ...SYSTEM_COLUMNS, ...t.columns } }]),
    );
    return { reply: { tables }, change: null };
  }
  const columns = tableColumns(app, query.table);
  const table = query.table;
  const filter = (where: Record<string, unknown> | undefined) => (where ? parseWhere(where, columns) : undefined);

  switch (query.action) {
    case 'find': {
      const where = filter(query.where);
      const order = orderOf(query, columns);
      const limit = query.limit ?? BRIDGE_LIMITS.defaultLimit;
      const fingerprint = queryFingerprint([table, query.where ?? null, order]);
      const offset = query.cursor ? decodeCursor(query.cursor, fingerprint, BRIDGE_LIMITS.maxOffset) : (query.offset ?? 0);
      let q = db.selectFrom(table).select(Object.keys(columns));
      if (where) q = q.where((eb) => compileFilter(eb, where));
      for (const [col, dir] of order) q = q.orderBy(col, dir);
      const rows = await q.limit(limit + 1).offset(offset).execute();
      const more = rows.length > limit;
      if (more) rows.pop();
      const next = offset + limit;
      return {
        reply: { rows: rows as never, nextCursor: more && next <= BRIDGE_LIMITS.maxOffset ? encodeCursor(next, fingerprint) : null },
        change: null,
      };
    }
    case 'get': {
      const row = await db.selectFrom(table).select(Object.keys(columns)).where('id', '=', query.id.toLowerCase()).executeTakeFirst();
      if (!row) throw new AppError('not_found', 'No row with that id.', 'id');
      return { reply: { row: row as never }, change: null };
    }
    case 'count': {
      const where = filter(query.where);
      let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count'));
      if (where) q = q.where((eb) => compileFilter(eb, where));
      const r = await q.executeTakeFirstOrThrow();
      return { reply: { count: Number(r.count) }, change: null };
    }
    case 'insert': {
      const input = Array.isArray(query.data) ? query.data : [query.data];
      const rows = input.map((r, i) => {
        const row = checkRow(r, columns, Array.isArray(query.data) ? `data.${i}` : 'data', true);
        row.id ??= randomUUID();
        return row;
      });
      const result = await db.insertInto(table).values(rows).returning('id').execute();
      const ids = result.map((r) => r.id as string);
      return { reply: { ids }, change: { table, op: 'insert', ids } };
    }
    case 'update':
    case 'delete': {
      const target = targetRows(db, table, query, columns);
      let ids: string[];
      if (query.action === 'update') {
        const data = checkRow(query.data, columns, 'data', false);
        if (Object.keys(data).length === 0) throw invalid('data', 'expected at least one column to change');
        const result = await db
          .updateTable(table)
          .set({ ...data, updated_at: sql`now()` })
          .where('id', 'in', target)
          .returning('id')
          .execute();
        ids = result.map((r) => r.id as string);
      } else {
        const result = await db.deleteFrom(table).where('id', 'in', target).returning('id').execute();
        ids = result.map((r) => r.id as string);
      }
      if (query.id && ids.length === 0) throw new AppError('not_found', 'No row with that id.', 'id');
      return { reply: { changed: ids.length, ids }, change: ids.length ? { table, op: query.action, ids } : null };
    }
  }
}

/** The rows an update or delete touches: one id, or a filter with a required bound. */
function targetRows(db: Kysely<any>, table: string, query: Extract<BridgeQuery, { action: 'update' | 'delete' }>, columns: Columns) {
  if (query.id !== undefined) {
    if (query.where) throw invalid('where', 'give either id or where, not both');
    return db.selectFrom(table).select('id').where('id', '=', query.id.toLowerCase());
  }
  if (!query.where) throw invalid('where', 'an id or a where filter is required');
  if (query.limit === undefined) throw invalid('limit', `required with where (at most ${BRIDGE_LIMITS.maxLimit} rows change at once)`);
  const where = parseWhere(query.where, columns);
  return db
    .selectFrom(table)
    .select('id')
    .where((eb) => compileFilter(eb, where))
    .orderBy('id')
    .limit(query.limit);
}
