import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, type KyselyConfig } from 'kysely';
import pg from 'pg';
import { acquireFolderLock, type FolderLock } from './folder-lock.ts';

export type DbKind = 'postgres' | 'pglite';

/** A Kysely instance plus what callers need to know about where it points. */
export interface MatrixDb<DB = any> {
  db: Kysely<DB>;
  kind: DbKind;
  /** Closes the pool or the embedded database and releases its folder lock. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** When set, connect to this PostgreSQL server; otherwise open embedded PGlite. */
  databaseUrl?: string;
  /** The Matrix data dir; PGlite keeps its files in `<dataDir>/pglite`. Ignored for PostgreSQL. */
  dataDir?: string;
  /** Run PGlite in memory (tests). */
  inMemory?: boolean;
  /** Every statement is cancelled after this long (PostgreSQL enforces it server-side). */
  statementTimeoutMs?: number;
  poolSize?: number;
  /** Sees every statement's SQL text as it runs (tests use it to prove what ran). */
  onQuery?: (sql: string) => void;
}

// bigint (int8) and numeric come back as strings by default; apps declare `bigint`
// for counters that fit comfortably in a JS number, so parse them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));
// `date` has no time zone: a Date object would shift it by the server's offset.
pg.types.setTypeParser(1082, (v) => v);

function queryLog(options: CreateDbOptions): KyselyConfig['log'] {
  const onQuery = options.onQuery;
  return onQuery ? (event) => onQuery(event.query.sql) : undefined;
}

/** Opens the machine's database: PostgreSQL when a URL is given, embedded PGlite otherwise. */
export async function createDb<DB = any>(options: CreateDbOptions): Promise<MatrixDb<DB>> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      statement_timeout: statementTimeoutMs,
      connectionTimeoutMillis: 10_000,
    });
    // A broken idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: queryLog(options) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  return openPglite<DB>(options, statementTimeoutMs);
}

async function openPglite<DB>(options: CreateDbOptions, statementTimeoutMs: number): Promise<MatrixDb<DB>> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  let lock: FolderLock | undefined;
  let dataDir: string | undefined;
  if (!options.inMemory) {
    if (!options.dataDir) throw new Error('createDb: dataDir is required for embedded PGlite');
    dataDir = join(options.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
    // PGlite does not honour its own postmaster.pid: two processes on one folder corrupt it silently.
    lock = acquireFolderLock(dataDir);
  }
  try {
    // `date` stays a plain YYYY-MM-DD string, as with pg below.
    const client = new PGlite({ ...(dataDir ? { dataDir } : {}), parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) } });
    await client.query(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`);
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client), log: queryLog(options) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
