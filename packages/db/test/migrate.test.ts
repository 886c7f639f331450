import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, FolderLockedError, runMigrations, type Migration } from '../src/index.ts';
import { testBackends } from '../src/testing.ts';

const migrations: Record<string, Migration> = {
  '001_people': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('people').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute();
      // Slow enough that a second starter arrives while the first still holds the lock.
      await sql`select pg_sleep(0.3)`.execute(db);
    },
  },
  '002_people_email': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('people').addColumn('email', 'text').execute();
    },
  },
};

for (const backend of testBackends()) {
  describe(`migration runner (${backend.kind})`, () => {
    it('applies numbered migrations once, in order, and records them', async () => {
      const database = await backend.create();
      const a = await database.open();
      try {
        expect(await runMigrations(a.db, 'demo', migrations)).toEqual(['001_people', '002_people_email']);
        expect(await runMigrations(a.db, 'demo', migrations)).toEqual([]);
        const recorded = await a.db.selectFrom('demo_migrations').select('name').orderBy('name').execute();
        expect(recorded.map((r) => r.name)).toEqual(['001_people', '002_people_email']);
      } finally {
        await a.close();
        await database.drop();
      }
    });
  });
}

const postgres = testBackends().find((b) => b.kind === 'postgres');
describe.runIf(postgres)('two starters at once on PostgreSQL', () => {
  it('both succeed and each migration runs exactly once', async () => {
    const database = await postgres!.create();
    const [a, b] = await Promise.all([database.open(), database.open()]);
    try {
      const [ra, rb] = await Promise.all([runMigrations(a.db, 'race', migrations), runMigrations(b.db, 'race', migrations)]);
      expect([...ra, ...rb].sort()).toEqual(['001_people', '002_people_email']);
      const cols = await a.db.selectFrom('information_schema.columns').select('column_name').where('table_name', '=', 'people').execute();
      expect(cols.map((c) => c.column_name).sort()).toEqual(['email', 'id', 'name']);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  });
});

describe('embedded PGlite folder', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a second opener of the same folder is refused with a clear message, and data persists across reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'matrix-db-'));
    dirs.push(dataDir);
    const first = await createDb({ dataDir });
    await sql`create table notes (body text)`.execute(first.db);
    await first.db.insertInto('notes').values({ body: 'kept' }).execute();
    await expect(createDb({ dataDir })).rejects.toThrow(FolderLockedError);
    await expect(createDb({ dataDir })).rejects.toThrow(/already in use by process/);
    await first.close();
    const again = await createDb({ dataDir });
    try {
      expect(await again.db.selectFrom('notes').select('body').execute()).toEqual([{ body: 'kept' }]);
    } finally {
      await again.close();
    }
  });
});
