import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `home/apps/<slug>/matrix.json`, as a user or the kernel would. */
export async function writeAppManifest(homeDir: string, slug: string, manifest: unknown): Promise<void> {
  const dir = join(homeDir, 'apps', slug);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'matrix.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
}

/** A data app with the given tables; `static` so no build is involved. */
export function dataApp(name: string, tables: Record<string, Record<string, string>>): unknown {
  return {
    name,
    runtime: 'static',
    storage: { tables: Object.fromEntries(Object.entries(tables).map(([t, columns]) => [t, { columns }])) },
  };
}
