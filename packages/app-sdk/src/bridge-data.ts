import {
  KV_TABLE,
  MAX_PAGE,
  countQuery,
  deleteQuery,
  findPageQuery,
  findTotal,
  getQuery,
  insertQuery,
  kvLookupQuery,
  updateQuery,
} from './bridge-queries.ts';
import { MatrixError } from './matrix-error.ts';
import type { AppData, BridgeTransport, DataChangeEvent, FindOptions, MatrixDb, Row } from './types.ts';

/** A missing row (not a missing table) reads as "nothing there" for findOne, update and delete. */
const isMissingRow = (err: unknown) => err instanceof MatrixError && err.code === 'not_found' && err.field === 'id';

async function orZero(run: () => Promise<unknown>): Promise<{ changed: number }> {
  try {
    return { changed: ((await run()) as { changed: number }).changed };
  } catch (err) {
    if (isMissingRow(err)) return { changed: 0 };
    throw err;
  }
}

function explainKv(err: unknown): never {
  if (err instanceof MatrixError && err.code === 'not_found' && err.field === 'table') {
    throw new MatrixError(
      'not_found',
      `readData/writeData need a "${KV_TABLE}" table in matrix.json: "storage": { "tables": { "${KV_TABLE}": { "columns": { "key": "text", "value": "json" }, "indexes": [["key"]] } } }`,
      'table',
    );
  }
  throw err;
}

/** The app data API over one bridge transport: what standalone apps use and what the shell forwards to. */
export function createBridgeData(transport: BridgeTransport): AppData {
  const q = <T>(body: Record<string, unknown>) => transport.query(body) as Promise<T>;

  const db: MatrixDb = {
    async find<T extends Row>(table: string, options: FindOptions = {}) {
      const total = findTotal(options);
      const rows: T[] = [];
      let cursor: string | undefined;
      while (rows.length < total) {
        const page = await q<{ rows: T[]; nextCursor: string | null }>(
          findPageQuery(table, options, Math.min(MAX_PAGE, total - rows.length), cursor),
        );
        rows.push(...page.rows);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return rows;
    },
    async findOne<T extends Row>(table: string, id: string) {
      try {
        return (await q<{ row: T }>(getQuery(table, id))).row;
      } catch (err) {
        if (isMissingRow(err)) return null;
        throw err;
      }
    },
    async insert(table, data) {
      const { ids } = await q<{ ids: string[] }>(insertQuery(table, data));
      return { id: ids[0]! };
    },
    bulkInsert: (table, rows) => (rows.length === 0 ? Promise.resolve({ ids: [] }) : q<{ ids: string[] }>(insertQuery(table, rows))),
    update: (table, id, data) => orZero(() => q(updateQuery(table, id, data))),
    async bulkUpdate(table, updates) {
      // One request per row: the bridge updates by id or by a filter, never with per-row values.
      let changed = 0;
      for (const { id, data } of updates) changed += (await db.update(table, id, data)).changed;
      return { changed };
    },
    delete: (table, id) => orZero(() => q(deleteQuery(table, id))),
    count: async (table, where) => (await q<{ count: number }>(countQuery(table, where))).count,
    onChange: (table, cb) => transport.subscribe((e) => e.table === table && cb(e)),
  };

  return {
    db,
    async readData<T>(key: string) {
      const { rows } = await q<{ rows: { value: T }[] }>(kvLookupQuery(key)).catch(explainKv);
      return rows[0]?.value ?? null;
    },
    async writeData(key, value) {
      const { rows } = await q<{ rows: { id: string }[] }>(kvLookupQuery(key)).catch(explainKv);
      const stored = value === undefined ? null : value;
      if (rows[0]) await q(updateQuery(KV_TABLE, rows[0].id, { value: stored }));
      else await q(insertQuery(KV_TABLE, { key, value: stored }));
    },
    onDataChange: (cb: (event: DataChangeEvent) => void) => transport.subscribe(cb),
  };
}
