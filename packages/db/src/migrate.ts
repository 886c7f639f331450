import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';

export type { Migration };

/**
 * Applies numbered migrations ("001_init", "002_…") in order and records each in
 * `<namespace>_migrations`. Kysely holds a PostgreSQL advisory lock while it runs, so two
 * processes starting at once apply each migration exactly once.
 */
export async function runMigrations(db: Kysely<any>, namespace: string, migrations: Record<string, Migration>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `${namespace}_migrations`,
    migrationLockTableName: `${namespace}_migrations_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} of ${namespace} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
