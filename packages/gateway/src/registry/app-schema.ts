import { sql, type Kysely } from 'kysely';
import type { ColumnType } from '@matrix-os/protocol';
import { PHYSICAL_TYPES, type DdlStep, type PhysicalSchema } from './storage-plan.ts';

/** The PostgreSQL schema that holds one app's tables. Slugs never contain `_`, so names never collide. */
export function appSchemaName(slug: string): string {
  return `app_${slug.replaceAll('-', '_')}`;
}

/** SQL type for a manifest column type. Text sorts by code point ("C") so PGlite and PostgreSQL agree. */
function sqlType(type: ColumnType) {
  switch (type) {
    case 'text':
      return sql`text collate "C"`;
    case 'float':
      return sql`double precision`;
    case 'json':
      return sql`jsonb`;
    default:
      return sql.raw(type);
  }
}

/** Reads the app schema's tables and columns, or null when the schema does not exist yet. */
export async function readPhysicalSchema(db: Kysely<any>, schema: string): Promise<PhysicalSchema | null> {
  const exists = await db
    .selectFrom('information_schema.schemata')
    .select('schema_name')
    .where('schema_name', '=', schema)
    .executeTakeFirst();
  if (!exists) return null;
  const rows = await db
    .selectFrom('information_schema.columns')
    .select(['table_name', 'column_name', 'data_type'])
    .where('table_schema', '=', schema)
    .execute();
  const physical: PhysicalSchema = {};
  for (const r of rows as { table_name: string; column_name: string; data_type: string }[]) {
    (physical[r.table_name] ??= {})[r.column_name] = PHYSICAL_TYPES[r.data_type] ?? 'unknown';
  }
  return physical;
}

/** Runs planned DDL steps inside the given transaction. */
export async function applyDdl(trx: Kysely<any>, schema: string, steps: DdlStep[]): Promise<void> {
  const s = trx.schema.withSchema(schema);
  for (const step of steps) {
    switch (step.kind) {
      case 'createSchema':
        await trx.schema.createSchema(schema).ifNotExists().execute();
        break;
      case 'createTable': {
        let t = s
          .createTable(step.table)
          .ifNotExists()
          .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));
        for (const [name, type] of Object.entries(step.columns)) t = t.addColumn(name, sqlType(type));
        await t.execute();
        break;
      }
      case 'addColumn':
        await s.alterTable(step.table).addColumn(step.column, sqlType(step.type)).execute();
        break;
      case 'createIndex':
        await s.createIndex(step.name).ifNotExists().on(step.table).columns(step.columns).execute();
        break;
    }
  }
}

/** Serialises storage changes of one app across processes (advisory lock held until commit). */
export async function lockAppSchema(trx: Kysely<any>, schema: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`matrix-app-schema:${schema}`}))`.execute(trx);
}
