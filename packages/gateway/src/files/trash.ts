import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrashItem } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import { makeFolder } from './file-ops.ts';
import { isInside, resolveEntry, type HomeRoot } from './safe-path.ts';

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

/** What is in the trash, newest first. */
export async function listTrash(root: HomeRoot): Promise<TrashItem[]> {
  const dir = await trashDir(root);
  const items: TrashItem[] = [];
  for (const id of await readdir(dir)) {
    if (!ID.test(id)) continue;
    const info = await readFile(join(dir, id, 'info.json'), 'utf8').catch(() => null);
    if (info) items.push(JSON.parse(info) as TrashItem);
  }
  return items.sort((a, b) => b.id.localeCompare(a.id));
}

/** Puts an item back where it was (or at `to`); 409 when something else is there now. */
export async function restoreFromTrash(root: HomeRoot, id: string, to: string[] | null): Promise<TrashItem> {
  const dir = itemDir(await trashDir(root), id);
  const raw = await readFile(join(dir, 'info.json'), 'utf8').catch(() => null);
  if (!raw) throw new AppError('not_found', 'No such item in the trash.', 'id');
  const item = JSON.parse(raw) as TrashItem;
  const segments = to ?? item.path.split('/');
  // The folder it was in may be gone too: bring it back, checked like any folder the owner makes.
  if (segments.length > 1) await makeFolder(root, segments.slice(0, -1), true);
  const dest = await resolveEntry(root, segments);
  if (dest.lstat) throw new AppError('conflict', `Something is already at "${dest.rel}"; restore it somewhere else.`, 'to');
  await rename(join(dir, 'entry'), dest.path);
  await rm(dir, { recursive: true, force: true });
  return { ...item, path: dest.rel };
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
