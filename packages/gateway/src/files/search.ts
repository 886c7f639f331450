import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileInfo, type FileInfo } from './file-info.ts';
import { RESERVED_TOP, resolveExisting, type HomeRoot } from './safe-path.ts';
import { UPLOAD_TEMP } from './write-file.ts';

// A search walks at most this many entries, so one request cannot keep the disk busy for long.
const MAX_VISITED = 50_000;
const SKIPPED = new Set(['node_modules']);

/**
 * Finds files and folders whose name contains `query` (any case) under `segments`, breadth first.
 * Links are never followed, so the walk cannot leave the home.
 */
export async function searchByName(root: HomeRoot, segments: string[], query: string, limit: number): Promise<{ results: FileInfo[]; truncated: boolean }> {
  const start = await resolveExisting(root, segments);
  const needle = query.toLowerCase();
  const results: FileInfo[] = [];
  const queue: { real: string; rel: string }[] = [{ real: start.path, rel: start.rel }];
  let visited = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const entries = await readdir(dir.real, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (++visited > MAX_VISITED) return { results, truncated: true };
      if (dir.rel === '' && RESERVED_TOP.has(e.name.toLowerCase())) continue;
      if (SKIPPED.has(e.name) || UPLOAD_TEMP.test(e.name) || e.isSymbolicLink()) continue;
      const rel = dir.rel ? `${dir.rel}/${e.name}` : e.name;
      const real = join(dir.real, e.name);
      if (e.name.toLowerCase().includes(needle)) {
        const st = await lstat(real).catch(() => null);
        if (st) results.push(fileInfo(rel, st));
        if (results.length >= limit) return { results, truncated: true };
      }
      if (e.isDirectory()) queue.push({ real, rel });
    }
  }
  return { results, truncated: false };
}
