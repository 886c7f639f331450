import { sql, type Kysely } from 'kysely';
import type { Migration } from '@matrix-os/db';

/** The canvas tables, migrated in their own namespace (`canvas_migrations`). */
export const canvasMigrations: Record<string, Migration> = {
  '001_canvas_documents': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('canvas_documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('document', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};
