import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trashItemSchema, type TrashItem, type TrashListing } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import { makeFolder } from './file-ops.ts';
import { isInside, parseHomePath, resolveEntry, type HomeRoot } from './safe-path.ts';

export type { TrashItem };

const TRASH = '.trash';
const ID = /^[0-9a-z]{8,40}-[0-9a-f]{8}$/;

// Each item lives in `.trash/<id>/` as `entry` (the file or folder itself, renamed so no name can
// clash with the record) beside `info.json` (where it came from).
async function trashDir(root: HomeRoot): Promise<string> {
  const dir = join(root.real, TRASH);
  await mkdir(dir, { recursive: true });
  const own = await lstat(dir);
  // Someone could have put a link in its place; the trash must be a real folder of the home.
  if (!own.isDirectory() || !isInside(root, await realpath(dir))) throw new AppError('forbidden', 'The trash folder is not a folder of the home.');
  return dir;
}

function itemDir(dir: string, id: string): string {
  if (!ID.test(id)) throw new AppError('not_found', 'No such item in the trash.', 'id');
  return join(dir, id);
}

/** Moves a file or folder to the trash; it can be restored until the trash is emptied. */
export async function moveToTrash(root: HomeRoot, segments: string[]): Promise<TrashItem> {
  const src = await resolveEntry(root, segments);
  if (!src.lstat) throw new AppError('not_found', `Nothing at "${src.rel}".`, 'path');
  const dir = await trashDir(root);
  // Time first, so ids sort by deletion time.
  const id = `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
  const item: TrashItem = { id, name: segments.at(-1)!, path: src.rel, type: src.lstat.isDirectory() ? 'dir' : 'file', deletedAt: new Date().toISOString() };
  await mkdir(join(dir, id));
  await writeFile(join(dir, id, 'info.json'), JSON.stringify(item));
  try {
    await rename(src.path, join(dir, id, 'entry'));
  } catch (err) {
    await rm(join(dir, id), { recursive: true, force: true });
    throw err;
  }
  return item;
}

/** An item's record, or null when it is missing or not one (hand-edited, cut short by a crash). */
async function readRecord(itemPath: string, id: string): Promise<TrashItem | null> {
  const raw = await readFile(join(itemPath, 'info.json'), 'utf8').catch(() => null);
  if (raw === null) return null;
  try {
    const parsed = trashItemSchema.safeParse(JSON.parse(raw));
    // The folder's name is the id, whatever the record says.
    return parsed.success ? { ...parsed.data, id } : null;
  } catch {
    return null;
  }
}

/** What is in the trash, newest first; an item whose record cannot be read is listed apart, never fails the rest. */
export async function listTrash(root: HomeRoot): Promise<TrashListing> {
  const dir = await trashDir(root);
  const items: TrashItem[] = [];
  const unreadable: string[] = [];
  for (const id of await readdir(dir)) {
    if (!ID.test(id)) continue;
    const item = await readRecord(join(dir, id), id);
    if (item) items.push(item);
    else unreadable.push(id);
  }
  return { items: items.sort((a, b) => b.id.localeCompare(a.id)), unreadable: unreadable.sort().reverse() };
}

/** Puts an item back where it was (or at `to`); 409 when something else is there now. */
export async function restoreFromTrash(root: HomeRoot, id: string, to: string[] | null): Promise<TrashItem> {
  const dir = itemDir(await trashDir(root), id);
  if (!(await lstat(join(dir, 'entry')).catch(() => null))) throw new AppError('not_found', 'No such item in the trash.', 'id');
  const record = await readRecord(dir, id);
  if (!record && !to) throw new AppError('conflict', 'This item\'s record in the trash is damaged, so where it came from is unknown; restore it to a path you choose.', 'to');
  const segments = to ?? parseHomePath(record!.path);
  // The folder it was in may be gone too: bring it back, checked like any folder the owner makes.
  if (segments.length > 1) await makeFolder(root, segments.slice(0, -1), true);
  const dest = await resolveEntry(root, segments);
  if (dest.lstat) throw new AppError('conflict', `Something is already at "${dest.rel}"; restore it somewhere else.`, 'to');
  const entry = join(dir, 'entry');
  const type = (await lstat(entry)).isDirectory() ? 'dir' : 'file';
  await rename(entry, dest.path);
  await rm(dir, { recursive: true, force: true });
  return { id, name: segments.at(-1)!, type, deletedAt: record?.deletedAt ?? '', ...record, path: dest.rel };
}

/** Deletes one item for good, or the whole trash when `id` is null. */
export async function purgeTrash(root: HomeRoot, id: string | null): Promise<number> {
  const dir = await trashDir(root);
  let ids: string[];
  if (id === null) ids = (await readdir(dir)).filter((n) => ID.test(n));
  else {
    if (!(await lstat(itemDir(dir, id)).catch(() => null))) throw new AppError('not_found', 'No such item in the trash.', 'id');
    ids = [id];
  }
  for (const i of ids) await rm(join(dir, i), { recursive: true, force: true });
  return ids.length;
}
