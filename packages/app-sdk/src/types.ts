import type { AppTheme, DataChangeEvent } from '@matrix-os/protocol';

export type { AppTheme, DataChangeEvent };

/** A row as the bridge returns it: the app's columns plus `id`, `created_at`, `updated_at`. */
export type Row = Record<string, unknown> & { id: string; created_at: string; updated_at: string };

/** A filter in the bridge's operator syntax: `{ done: false, title: { $ilike: "%milk%" } }`. */
export type Where = Record<string, unknown>;

export type SortDirection = 'asc' | 'desc';

/** `{ col: "asc" }`, `[["col", "desc"]]`, or a column name (ascending). */
export type OrderBy = string | Record<string, SortDirection | 'ASC' | 'DESC'> | Array<[string, SortDirection | 'ASC' | 'DESC']>;

export interface FindOptions {
  where?: Where;
  orderBy?: OrderBy;
  /** Rows to return; without it `find` pages through up to `FIND_ALL_MAX` rows. */
  limit?: number;
  offset?: number;
}

/** An app's own tables, reached through the gateway's data bridge. */
export interface MatrixDb {
  find<T extends Row = Row>(table: string, options?: FindOptions): Promise<T[]>;
  findOne<T extends Row = Row>(table: string, id: string): Promise<T | null>;
  insert(table: string, data: Record<string, unknown>): Promise<{ id: string }>;
  bulkInsert(table: string, rows: Record<string, unknown>[]): Promise<{ ids: string[] }>;
  update(table: string, id: string, data: Record<string, unknown>): Promise<{ changed: number }>;
  bulkUpdate(table: string, updates: { id: string; data: Record<string, unknown> }[]): Promise<{ changed: number }>;
  delete(table: string, id: string): Promise<{ changed: number }>;
  count(table: string, where?: Where): Promise<number>;
  /** Calls `cb` after every committed change to `table`; returns a function that stops it. */
  onChange(table: string, cb: (event: DataChangeEvent) => void): () => void;
}

/** The data half of the API: what both transports implement over the bridge. */
export interface AppData {
  db: MatrixDb;
  /** Reads a value from the app's key-value store (its `kv` table); `null` when unset. */
  readData<T = unknown>(key: string): Promise<T | null>;
  /** Stores a JSON value under `key` in the app's key-value store. */
  writeData(key: string, value: unknown): Promise<void>;
  /** Calls `cb` after every committed change to any of the app's tables. */
  onDataChange(cb: (event: DataChangeEvent) => void): () => void;
}

/** `window.MatrixOS`: everything an app may ask of the OS. */
export interface MatrixOS extends AppData {
  readonly app: { name: string; slug: string };
  readonly theme: AppTheme;
  /** Resolves once the OS has introduced itself (the shell's hello, or the standalone session). */
  readonly ready: Promise<void>;
  onThemeChange(cb: (theme: AppTheme) => void): () => void;
  /** Opens another app (by slug), optionally at a path inside it. */
  openApp(name: string, path?: string): Promise<void>;
}

/** How the data API reaches the gateway: one bridge query at a time, plus the change feed. */
export interface BridgeTransport {
  query(body: Record<string, unknown>): Promise<unknown>;
  subscribe(cb: (event: DataChangeEvent) => void): () => void;
}
