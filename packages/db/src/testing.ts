import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDb, type MatrixDb } from './create-db.ts';

/** A database made for one test file and dropped after it. */
export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  /** Set for PostgreSQL: the URL of the fresh database. */
  url?: string;
  open(): Promise<MatrixDb>;
  drop(): Promise<void>;
}

export interface TestBackend {
  kind: 'pglite' | 'postgres';
  create(): Promise<TestDatabase>;
}

/** The real PostgreSQL server the suite uses, set by scripts/test.mjs when it answered. */
export function testPostgresUrl(): string | undefined {
  return process.env.MATRIX_TEST_POSTGRES_URL || undefined;
}

function adminDb(url: string): Kysely<any> {
  return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
}

async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `matrix_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = adminDb(serverUrl);
  try {
    await sql`create database ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    open: () => createDb({ databaseUrl: url.toString() }),
    async drop() {
      const a = adminDb(serverUrl);
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(a);
      } finally {
        await a.destroy();
      }
    },
  };
}

/**
 * The backends a database test runs on: embedded PGlite always, real PostgreSQL when the suite
 * found one (scripts/test.mjs makes it mandatory in CI and reports when it was missing).
 */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [
    {
      kind: 'pglite',
      async create() {
        return { kind: 'pglite', open: () => createDb({ inMemory: true }), drop: async () => {} };
      },
    },
  ];
  const url = testPostgresUrl();
  if (url) backends.push({ kind: 'postgres', create: () => createPostgresDatabase(url) });
  return backends;
}
