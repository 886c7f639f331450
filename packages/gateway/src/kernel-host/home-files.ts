import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HomeEntry } from '@matrix-os/kernel';
import { AppError } from '../errors.ts';
import { openHomeRoot, parseHomePath, resolveEntry, resolveExisting, type HomeRoot } from '../files/safe-path.ts';

const MAX_READ_BYTES = 1024 * 1024;
const MAX_LIST = 500;

/** Creates every missing folder of `segments` one level at a time, each checked to stay inside the home. */
export async function ensureFolders(root: HomeRoot, segments: string[]): Promise<void> {
  for (let i = 1; i <= segments.length; i++) {
    const entry = await resolveEntry(root, segments.slice(0, i));
    if (!entry.lstat) await mkdir(entry.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    else if (!entry.lstat.isDirectory() && !entry.lstat.isSymbolicLink()) throw new AppError('conflict', `"${entry.rel}" is a file, not a folder.`, 'path');
  }
}

/** The kernel's file access: the gateway's home path rules (relative, no escape through links). */
export function createHomeFiles(homeDir: string) {
  let root: Promise<HomeRoot> | null = null;
  const home = () => (root ??= openHomeRoot(homeDir));
  return {
    async read(path: string): Promise<string> {
      const target = await resolveExisting(await home(), parseHomePath(path));
      if (target.stats.isDirectory()) throw new AppError('bad_request', `"${path}" is a folder; use list_files.`, 'path');
      if (target.stats.size > MAX_READ_BYTES) throw new AppError('too_large', `"${path}" is ${target.stats.size} bytes; only files up to 1 MiB are read.`, 'path');
      return readFile(target.path, 'utf8');
    },
    async write(path: string, content: string): Promise<void> {
      const r = await home();
      const segments = parseHomePath(path);
      if (segments.length === 0) throw new AppError('bad_request', 'A file path is required.', 'path');
      await ensureFolders(r, segments.slice(0, -1));
      const entry = await resolveEntry(r, segments);
      if (entry.lstat?.isDirectory()) throw new AppError('conflict', `"${path}" is a folder.`, 'path');
      // Written beside and renamed over, so a reader never sees half a file.
      const tmp = `${entry.path}.~kernel-${process.pid}-${Date.now()}`;
      await writeFile(tmp, content);
      await rename(tmp, entry.path);
    },
    async list(path: string): Promise<HomeEntry[]> {
      const target = await resolveExisting(await home(), parseHomePath(path));
      if (!target.stats.isDirectory()) throw new AppError('bad_request', `"${path}" is a file; use read_file.`, 'path');
      const entries = await readdir(target.path, { withFileTypes: true });
      const out: HomeEntry[] = [];
      for (const e of entries.slice(0, MAX_LIST)) {
        if (e.name === '.git') continue;
        const size = e.isFile() ? ((await stat(join(target.path, e.name)).catch(() => null))?.size ?? 0) : 0;
        out.push({ name: e.name, kind: e.isDirectory() ? 'folder' : 'file', size });
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
