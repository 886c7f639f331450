import { normalizeTable, type ColumnType, type StorageDef } from '@matrix-os/protocol';
import type { StoredStorage } from '../db-types.ts';

/** Columns as they exist in the database, per table, typed with manifest type names. */
export type PhysicalSchema = Record<string, Record<string, ColumnType | 'unknown'>>;

export type DdlStep =
  | { kind: 'createSchema' }
  | { kind: 'createTable'; table: string; columns: Record<string, ColumnType> }
  | { kind: 'addColumn'; table: string; column: string; type: ColumnType }
  | { kind: 'createIndex'; table: string; name: string; columns: string[] };

export type StoragePlan = { ok: true; steps: DdlStep[]; storage: StoredStorage } | { ok: false; errors: string[] };

/** Maps information_schema's `data_type` to the manifest's type names. */
export const PHYSICAL_TYPES: Record<string, ColumnType> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  'double precision': 'float',
  boolean: 'boolean',
  date: 'date',
  'timestamp with time zone': 'timestamptz',
  jsonb: 'json',
  uuid: 'uuid',
};

/** A deterministic index name that always fits PostgreSQL's 63-byte limit. */
export function indexName(table: string, columns: string[]): string {
  const full = `${table}__${columns.join('__')}`;
  if (full.length <= 59) return `${full}_idx`;
  let h = 0;
  for (const ch of full) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${full.slice(0, 50)}_${h.toString(36)}_idx`.slice(0, 63);
}

/**
 * Plans the additive migration from what the database holds to what the manifest declares.
 * Tables and columns missing from the manifest are kept (never dropped); a declared column whose
 * stored type differs is refused, because converting it could lose what the user stored.
 */
export function planStorage(physical: PhysicalSchema | null, declared: StorageDef | undefined): StoragePlan {
  const storage: StoredStorage = { tables: {} };
  const steps: DdlStep[] = [];
  const errors: string[] = [];
  const tables = declared?.tables ?? {};
  if (Object.keys(tables).length && physical === null) steps.push({ kind: 'createSchema' });
  for (const [table, def] of Object.entries(tables)) {
    const { columns, indexes } = normalizeTable(def);
    storage.tables[table] = { columns, indexes };
    const existing = physical?.[table];
    if (!existing) {
      steps.push({ kind: 'createTable', table, columns });
    } else {
      for (const [column, type] of Object.entries(columns)) {
        const stored = existing[column];
        if (stored === undefined) steps.push({ kind: 'addColumn', table, column, type });
        else if (stored !== type) {
          errors.push(
            `storage.tables.${table}.columns.${column}: type changed from ${stored} to ${type}; stored data is never converted. Add a new column instead.`,
          );
        }
      }
    }
    for (const cols of [['created_at'], ...indexes]) {
      steps.push({ kind: 'createIndex', table, name: indexName(table, cols), columns: cols });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, steps, storage };
}
