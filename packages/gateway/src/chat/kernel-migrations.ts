import { sql, type Kysely } from 'kysely';
import type { Migration } from '@matrix-os/db';
import type { ColumnType, Generated } from 'kysely';

/** The kernel's tables (namespace `kernel`): conversations, their messages, memory and schedules. */
export const kernelMigrations: Record<string, Migration> = {
  '001_conversations_memory_schedules': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('kernel_conversations')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        // The SDK session the next turn resumes.
        .addColumn('session_id', 'text')
        .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('kernel_messages')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('kernel_conversations.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('tools', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('kernel_messages_conversation').on('kernel_messages').columns(['conversation_id', 'created_at']).execute();
      await db.schema
        .createTable('kernel_memories')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('kernel_schedules')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('last_run_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};

/** The kernel's tables as Kysely sees them. */
export interface KernelDatabase {
  kernel_conversations: {
    id: string;
    title: string;
    session_id: string | null;
    cost_usd: Generated<number>;
    input_tokens: ColumnType<string | number, number | undefined, number>;
    output_tokens: ColumnType<string | number, number | undefined, number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  kernel_messages: { id: string; conversation_id: string; role: 'user' | 'assistant' | 'error'; content: string; tools: ColumnType<unknown, string, string>; created_at: Generated<Date> };
  kernel_memories: { id: string; text: string; tags: ColumnType<string[], string, string>; created_at: Generated<Date> };
  kernel_schedules: { id: string; cron: string; prompt: string; last_run_at: Date | null; created_at: Generated<Date> };
}
