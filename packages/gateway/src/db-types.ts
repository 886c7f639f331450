import type { ColumnType, Generated } from 'kysely';

/** The gateway's own tables (see migrations/). */
export interface GatewayDatabase {
  matrix_settings: { key: string; value: string; updated_at: Generated<Date> };
  matrix_apps: {
    slug: string;
    name: string;
    status: 'ok' | 'invalid';
    errors: ColumnType<string[], string, string>;
    manifest: ColumnType<unknown, string | null, string | null>;
    active_storage: ColumnType<StoredStorage | null, string | null, string | null>;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
  owner_sessions: { token_hash: string; created_at: Generated<Date>; expires_at: Date };
}

/** What the registry records of an app's storage once it has been applied. */
export interface StoredStorage {
  tables: Record<string, { columns: Record<string, string>; indexes: string[][] }>;
}
