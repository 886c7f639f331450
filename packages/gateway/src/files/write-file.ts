import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../errors.ts';
import { drainBody } from '../middleware/limits/index.ts';
import { etagListed, etagOf, fileInfo, type FileInfo } from './file-info.ts';
import { KeyedLock } from './keyed-lock.ts';
import { resolveEntry, resolveExisting, type HomeRoot } from './safe-path.ts';

/** Names of files still being uploaded; hidden from listings and from change events. */
export const UPLOAD_TEMP = /\.~upload-[0-9a-f]{12}$/;

const writes = new KeyedLock();

/** Preconditions and limits of one write. */
export interface WriteOptions {
  maxBytes: number;
  contentLength?: number;
  /** Write only when the file's current ETag is listed (412 otherwise, also when it is missing). */
  ifMatch?: string;
  /** `*`: write only when nothing is there yet. */
  ifNoneMatch?: string;
}

function checkPreconditions(current: Stats | null, opts: WriteOptions, rel: string): void {
  if (opts.ifMatch !== undefined && (!current || !etagListed(opts.ifMatch, etagOf(current)))) {
    throw new AppError('precondition_failed', `"${rel}" changed since you read it (or is gone); read it again before saving.`, 'path');
  }
  if (opts.ifNoneMatch !== undefined && current && etagListed(opts.ifNoneMatch, etagOf(current))) {
    throw new AppError('precondition_failed', `"${rel}" already exists.`, 'path');
  }
}

/** Where the bytes go: the entry itself, or the file a link inside the home leads to. */
async function destinationOf(root: HomeRoot, segments: string[]): Promise<{ rel: string; path: string; current: Stats | null }> {
  const entry = await resolveEntry(root, segments);
  if (entry.lstat?.isSymbolicLink()) {
    const target = await resolveExisting(root, segments);
    return { rel: entry.rel, path: target.path, current: target.stats };
  }
  return { rel: entry.rel, path: entry.path, current: entry.lstat };
}

/**
 * Streams a request body into a file of the home: the bytes go to a temp file beside it and replace
 * the file in one rename, so readers never see half a file and an aborted or oversized upload leaves
 * nothing behind. Over `maxBytes` → 413; a failed precondition → 412.
 */
export async function writeFileStream(root: HomeRoot, segments: string[], body: ReadableStream<Uint8Array> | null, opts: WriteOptions): Promise<{ info: FileInfo; created: boolean }> {
  const dest = await destinationOf(root, segments);
  if (dest.current?.isDirectory()) throw new AppError('conflict', `"${dest.rel}" is a folder.`, 'path');
  checkPreconditions(dest.current, opts, dest.rel);
  const tooLarge = new AppError('too_large', `The file is larger than the upload limit of ${Math.round(opts.maxBytes / 1024 / 1024)} MiB.`);
  if ((opts.contentLength ?? 0) > opts.maxBytes) {
    await drainBody(body);
    throw tooLarge;
  }

  const temp = join(dirname(dest.path), `.${basename(dest.path)}.~upload-${randomBytes(6).toString('hex')}`);
  const file = await open(temp, 'wx', 0o644);
  let closed = false;
  try {
    let written = 0;
    if (body) {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        written += value.byteLength;
        if (written > opts.maxBytes) {
          reader.releaseLock();
          await drainBody(body);
          throw tooLarge;
        }
        await file.write(value);
      }
    }
    await file.close();
    closed = true;
    return await writes.run(dest.path, async () => {
      const current = await stat(dest.path).catch(() => null);
      checkPreconditions(current, opts, dest.rel);
      if (current) await chmod(temp, current.mode & 0o7777);
      await rename(temp, dest.path);
      return { info: fileInfo(dest.rel, await stat(dest.path)), created: !current };
    });
  } catch (err) {
    if (!closed) await file.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
}
