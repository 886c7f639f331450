import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.ts';
import { parseHomePath } from '../files/safe-path.ts';

const MAX_FILES = 200;
const MAX_BYTES = 5 * 1024 * 1024;

/** Thrown when the turn was stopped while an app was being written; nothing was left behind. */
export class WriteAbortedError extends Error {
  constructor() {
    super('The turn was stopped; the app was not created.');
  }
}

/**
 * Writes a whole new app folder at once: every file goes into a hidden staging folder beside the
 * apps (the watcher and registry skip dot folders), then one rename puts it in place. A stop or a
 * failure part-way removes the staging folder, so no half-written app ever appears.
 */
export async function writeAppAtomically(appsDir: string, slug: string, files: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const names = Object.keys(files);
  if (names.length === 0) throw new AppError('validation', 'An app needs at least one file.', 'files');
  if (names.length > MAX_FILES) throw new AppError('too_large', `An app is created with at most ${MAX_FILES} files.`, 'files');
  const total = names.reduce((n, f) => n + Buffer.byteLength(files[f]!), 0);
  if (total > MAX_BYTES) throw new AppError('too_large', `The files add up to ${total} bytes; at most ${MAX_BYTES} are written at once.`, 'files');
  const checked = names.map((f) => [parseHomePath(f), files[f]!] as const);
  if (!checked.some(([s]) => s.join('/') === 'matrix.json')) throw new AppError('validation', 'An app needs a matrix.json.', 'files');

  const target = join(appsDir, slug);
  const exists = () => new AppError('conflict', `An app "${slug}" already exists; change its files with write_file or choose another slug.`, 'slug');
  if (existsSync(target)) throw exists();
  const staging = join(appsDir, `.staging-${slug}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    for (const [segments, content] of checked) {
      if (signal?.aborted) throw new WriteAbortedError();
      const file = join(staging, ...segments);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    if (signal?.aborted) throw new WriteAbortedError();
    // rename() refuses to replace a non-empty folder, so an app created meanwhile is never overwritten.
    await rename(staging, target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') throw exists();
      throw err;
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
