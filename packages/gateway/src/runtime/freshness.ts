import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders inside an app that are never sources: dependencies, VCS and dot folders. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || /\.timestamp-\d+/.test(name);
}

/** The newest modification time (ms) of any file under `dir`, skipping `skip` (relative paths) and ignored names. */
export async function newestMtime(dir: string, skip: ReadonlySet<string> = new Set(), rel = ''): Promise<number> {
  let newest = 0;
  const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (isIgnoredName(e.name)) continue;
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (skip.has(childRel)) continue;
    if (e.isDirectory()) newest = Math.max(newest, await newestMtime(dir, skip, childRel));
    else if (e.isFile()) newest = Math.max(newest, (await stat(join(dir, childRel)).catch(() => null))?.mtimeMs ?? 0);
  }
  return newest;
}

/** True when the build output was written after the newest source file changed (so a rebuild would change nothing). */
export async function isOutputFresh(appDir: string, output: string): Promise<boolean> {
  const outNewest = await newestMtime(join(appDir, output));
  if (outNewest === 0) return false;
  const srcNewest = await newestMtime(appDir, new Set([output]));
  return outNewest >= srcNewest;
}
