import { z } from 'zod/v4';

/** Column types an app may declare in `storage.tables.<t>.columns`. */
export const COLUMN_TYPES = [
  'text', 'integer', 'bigint', 'float', 'boolean', 'date', 'timestamptz', 'json', 'uuid',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Columns every app table has; an app may not declare them itself. */
export const SYSTEM_COLUMNS = { id: 'uuid', created_at: 'timestamptz', updated_at: 'timestamptz' } as const;

const RESERVED_PREFIXES = ['pg_', '_'];
const RESERVED_NAMES = new Set([...Object.keys(SYSTEM_COLUMNS), 'oid', 'tableoid', 'xmin', 'xmax', 'cmin', 'cmax', 'ctid']);

/** A lower-case SQL identifier that needs no quoting and collides with nothing we own. */
export const identifierSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _ starting with a letter (max 63)')
  .refine((n) => !RESERVED_PREFIXES.some((p) => n.startsWith(p)), 'uses a reserved prefix');

const columnNameSchema = identifierSchema.refine((n) => !RESERVED_NAMES.has(n), 'is a reserved column name');

/** An app slug: the folder name under home/apps and the URL segment under /apps/. */
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be lower-case letters, digits and - (max 48)');

export const columnTypeSchema = z.enum(COLUMN_TYPES, { error: `must be one of ${COLUMN_TYPES.join(', ')}` });

const indexSchema = z.union([columnNameSchema, z.array(columnNameSchema).min(1).max(8)]);

export const tableSchema = z.looseObject({
  columns: z.record(columnNameSchema, columnTypeSchema).refine((c) => Object.keys(c).length <= 200, 'at most 200 columns'),
  indexes: z.array(indexSchema).max(32).optional(),
});

export const storageSchema = z.looseObject({
  tables: z.record(identifierSchema, tableSchema).refine((t) => Object.keys(t).length <= 100, 'at most 100 tables'),
});

/** `matrix.json`: unknown fields are kept and ignored so apps from other Matrix OS versions load. */
export const manifestSchema = z.looseObject({
  name: z.string().min(1).max(100),
  slug: z.string().optional(),
  version: z.string().max(50).optional(),
  runtime: z.enum(['vite', 'static', 'node']).default('static'),
  icon: z.string().max(300).optional(),
  description: z.string().max(2000).optional(),
  build: z
    .looseObject({
      command: z.string().min(1).max(1000),
      output: z.string().max(300).default('dist'),
      timeoutSec: z.number().int().min(1).max(3600).optional(),
      timeout: z.number().int().min(1).max(3600).optional(),
      install: z.string().max(1000).optional(),
    })
    .optional(),
  serve: z
    .looseObject({
      start: z.string().min(1).max(1000),
      healthCheck: z.string().max(300).optional(),
    })
    .optional(),
  storage: storageSchema.optional(),
  permissions: z.array(z.string().max(300)).max(100).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type TableDef = z.infer<typeof tableSchema>;
export type StorageDef = z.infer<typeof storageSchema>;

/** A table's columns with index lists normalised to arrays. */
export interface NormalizedTable {
  columns: Record<string, ColumnType>;
  indexes: string[][];
}

/** Turns `indexes: ["due", ["a","b"]]` into `[["due"],["a","b"]]` and checks they name declared columns. */
export function normalizeTable(table: TableDef): NormalizedTable {
  const indexes = (table.indexes ?? []).map((i) => (typeof i === 'string' ? [i] : i));
  return { columns: { ...table.columns }, indexes };
}

/** Human-readable reasons a manifest is invalid, each naming the field path. */
export function describeManifestIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    // A bad record key (table or column name) carries its reason in nested issues.
    const nested = i.code === 'invalid_key' ? i.issues.map((n) => n.message).join('; ') : '';
    return `${i.path.length ? i.path.join('.') : '(root)'}: ${nested || i.message}`;
  });
}

/** Validates a manifest and its cross-field rules (indexes must name declared columns). */
export function parseManifest(input: unknown): { ok: true; manifest: Manifest } | { ok: false; errors: string[] } {
  const parsed = manifestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: describeManifestIssues(parsed.error) };
  const errors: string[] = [];
  for (const [tableName, table] of Object.entries(parsed.data.storage?.tables ?? {})) {
    const known = new Set([...Object.keys(table.columns), ...Object.keys(SYSTEM_COLUMNS)]);
    normalizeTable(table).indexes.forEach((cols, i) => {
      for (const c of cols) {
        if (!known.has(c)) errors.push(`storage.tables.${tableName}.indexes.${i}: column "${c}" is not declared`);
      }
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, manifest: parsed.data };
}
