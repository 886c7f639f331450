import { cp, lstat, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { fileInfo, type FileInfo } from './file-info.ts';
import { isInside, RESERVED_TOP, resolveEntry, resolveExisting, type HomeRoot } from './safe-path.ts';
import { UPLOAD_TEMP } from './write-file.ts';

const MAX_LIST = 10_000;

/** Lists a folder. Links that lead outside the home (or nowhere) are left out, as are the system's own folders. */
export async function listFolder(root: HomeRoot, segments: string[]): Promise<{ path: string; entries: FileInfo[]; truncated: boolean }> {
  const dir = await resolveExisting(root, segments);
  if (!dir.stats.isDirectory()) throw new AppError('bad_request', `"${dir.rel}" is a file, not a folder.`, 'path');
  const names = (await readdir(dir.path)).filter((n) => !UPLOAD_TEMP.test(n) && !(segments.length === 0 && RESERVED_TOP.has(n.toLowerCase())));
  names.sort((a, b) => a.localeCompare(b));
  const entries: FileInfo[] = [];
  for (const name of names.slice(0, MAX_LIST)) {
    const info = await entryInfo(root, dir.path, dir.rel ? `${dir.rel}/${name}` : name);
    if (info) entries.push(info);
  }
  return { path: dir.rel, entries, truncated: names.length > MAX_LIST };
}

/** One entry of a real folder, following a link only when it stays inside the home; null otherwise. */
async function entryInfo(root: HomeRoot, realDir: string, rel: string): Promise<FileInfo | null> {
  const path = join(realDir, rel.split('/').at(-1)!);
  const own = await lstat(path).catch(() => null);
  if (!own) return null;
  if (!own.isSymbolicLink()) return own.isFile() || own.isDirectory() ? fileInfo(rel, own) : null;
  const real = await realpath(path).catch(() => null);
  if (!real || !isInside(root, real)) return null;
  const target = await stat(real).catch(() => null);
  return target && (target.isFile() || target.isDirectory()) ? fileInfo(rel, target) : null;
}

/** Describes one file or folder. */
export async function statPath(root: HomeRoot, segments: string[]): Promise<FileInfo> {
  const t = await resolveExisting(root, segments);
  return fileInfo(t.rel, t.stats);
}

/** Creates a folder; with `parents`, every missing folder on the way, each checked like the last. */
export async function makeFolder(root: HomeRoot, segments: string[], parents: boolean): Promise<FileInfo> {
  if (segments.length === 0) throw new AppError('conflict', 'The home already exists.', 'path');
  const upTo = parents ? segments.map((_, i) => segments.slice(0, i + 1)) : [segments];
  let last: FileInfo | null = null;
  for (const [i, segs] of upTo.entries()) {
    const entry = await resolveEntry(root, segs);
    const isLast = i === upTo.length - 1;
    if (entry.lstat) {
      const existing = await resolveExisting(root, segs);
      if (!existing.stats.isDirectory()) throw new AppError('conflict', `"${entry.rel}" exists and is a file.`, 'path');
      if (isLast && !parents) throw new AppError('conflict', `"${entry.rel}" already exists.`, 'path');
      last = fileInfo(entry.rel, existing.stats);
      continue;
    }
    await mkdir(entry.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') throw new AppError('conflict', `"${entry.rel}" already exists.`, 'path');
      throw err;
    });
    last = fileInfo(entry.rel, await stat(entry.path));
  }
  return last!;
}

/** Where a move or copy lands; an existing destination is refused unless `overwrite`. */
async function destination(root: HomeRoot, to: string[], overwrite: boolean) {
  const dest = await resolveEntry(root, to);
  if (dest.lstat && !overwrite) throw new AppError('conflict', `"${dest.rel}" already exists.`, 'to');
  return dest;
}

function intoItself(from: string, to: string): boolean {
  return to === from || to.startsWith(`${from}/`);
}

/** Renames or moves a file or folder (a link is moved as the link). */
export async function movePath(root: HomeRoot, from: string[], to: string[], overwrite: boolean): Promise<FileInfo> {
  const src = await resolveEntry(root, from);
  if (!src.lstat) throw new AppError('not_found', `Nothing at "${src.rel}".`, 'from');
  if (intoItself(src.rel, to.join('/'))) throw new AppError('bad_request', 'A folder cannot be moved into itself.', 'to');
  const dest = await destination(root, to, overwrite);
  if (dest.lstat && overwrite) await rm(dest.path, { recursive: true, force: true });
  try {
    await rename(src.path, dest.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENOTEMPTY') {
      throw new AppError('bad_request', `"${src.rel}" cannot be moved there.`, 'to');
    }
    if (code !== 'EXDEV') throw err;
    // Another file system inside the home (a mount): copy, then remove the original.
    await cp(src.path, dest.path, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    await rm(src.path, { recursive: true, force: true });
  }
  return fileInfo(dest.rel, await stat(dest.path));
}

/**
 * Copies a file or folder. Links inside a copied folder are copied as links, never followed, so a
 * link that leads outside can never pull outside files into the home.
 */
export async function copyPath(root: HomeRoot, from: string[], to: string[], overwrite: boolean): Promise<FileInfo> {
  const src = await resolveExisting(root, from);
  if (src.stats.isDirectory() && intoItself(src.rel, to.join('/'))) throw new AppError('bad_request', 'A folder cannot be copied into itself.', 'to');
  const dest = await destination(root, to, overwrite);
  if (dest.lstat && overwrite) await rm(dest.path, { recursive: true, force: true });
  await cp(src.path, dest.path, { recursive: true, dereference: false, verbatimSymlinks: true, errorOnExist: true, force: false }).catch((err: NodeJS.ErrnoException) => {
    // Node's own refusals (into itself, file onto folder) come as ERR_FS_CP_* codes.
    if (String(err.code).startsWith('ERR_FS_CP')) throw new AppError('bad_request', `"${src.rel}" cannot be copied there.`, 'to');
    throw err;
  });
  return fileInfo(dest.rel, await stat(dest.path));
}
