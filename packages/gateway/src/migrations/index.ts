import { sql, type Kysely } from 'kysely';
import type { Migration } from '@matrix-os/db';

/** The gateway's own tables; app data lives in one schema per app, never here. */
export const gatewayMigrations: Record<string, Migration> = {
  '001_registry_settings_sessions': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('matrix_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('matrix_apps')
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('manifest', 'jsonb')
        // The storage last applied to the database: the bridge serves this, even while a
        // newer manifest is refused.
        .addColumn('active_storage', 'jsonb')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('owner_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
};
