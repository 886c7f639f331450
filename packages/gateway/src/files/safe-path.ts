import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import { decodeUrlSegments } from './url-segments.ts';

// The one rule for paths the owner, the shell or the kernel hand to the gateway: a path is relative
// to the home, and whatever it names, after every symlink is followed, stays inside the home.

const MAX_PATH_CHARS = 4096;
const MAX_NAME_BYTES = 255;
/** Top-level folders only the gateway itself touches (history and trash). */
export const RESERVED_TOP = new Set(['.git', '.trash']);

/** A home folder and its real path (computed once: the home itself may be reached through a link). */
export interface HomeRoot {
  dir: string;
  real: string;
}

/** Opens a home for path checks; the folder must exist. */
export async function openHomeRoot(dir: string): Promise<HomeRoot> {
  return { dir, real: await realpath(dir) };
}

const invalid = (message: string) => new AppError('bad_request', message, 'path');

/**
 * Splits a home-relative path (`notes/a.md`; `''` is the home itself) into segments, refusing every
 * form that could name something outside: `..` and `.`, absolute paths, backslashes, NUL and other
 * control characters, and anything still percent-encoded (a second decoding must never happen).
 */
export function parseHomePath(input: unknown): string[] {
  if (typeof input !== 'string') throw invalid('path: expected a string.');
  if (input.length > MAX_PATH_CHARS) throw invalid('path: too long.');
  if (input.startsWith('/')) throw invalid('path: must be relative to the home (no leading "/").');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(input)) throw invalid('path: control characters and backslashes are not allowed.');
  if (!isStorableText(input)) throw invalid(`path: ${UNSTORABLE_TEXT_MESSAGE}.`);
  if (/%[0-9a-f]{2}/i.test(input)) throw invalid('path: percent-encoded characters are not allowed; send the decoded name.');
  const segments = input.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') throw invalid('path: "." and ".." are not allowed.');
    if (Buffer.byteLength(s) > MAX_NAME_BYTES) throw invalid('path: a name is longer than 255 bytes.');
  }
  if (segments.length > 0 && RESERVED_TOP.has(segments[0]!.toLowerCase())) {
    throw new AppError('forbidden', `"${segments[0]}" is managed by the system.`, 'path');
  }
  return segments;
}

/** Splits the raw, still percent-encoded rest of a URL (`a/b%20c.txt`) into checked segments, decoding each once. */
export function parseUrlPath(raw: string): string[] {
  const decoded = decodeUrlSegments(raw);
  if (!decoded) throw invalid('path: malformed percent-encoding.');
  if (decoded.some((s) => s.includes('/'))) throw invalid('path: an encoded "/" is not allowed.');
  return parseHomePath(decoded.join('/'));
}

/** True when `real` (a real path) is the home or inside it. */
export function isInside(root: HomeRoot, real: string): boolean {
  return real === root.real || real.startsWith(root.real.endsWith(sep) ? root.real : root.real + sep);
}

function fsError(err: unknown, rel: string): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AppError('not_found', `Nothing at "${rel || '/'}".`, 'path');
  if (code === 'ELOOP' || code === 'EACCES' || code === 'EPERM') return new AppError('forbidden', `"${rel}" cannot be reached.`, 'path');
  return err as AppError;
}

const outside = (rel: string) => new AppError('forbidden', `"${rel}" leads outside the home.`, 'path');

/** An existing file or folder, every link followed. */
export interface ResolvedTarget {
  rel: string;
  /** The real absolute path (inside the home). */
  path: string;
  stats: Stats;
}

/** Resolves an existing path following every link; 404 when missing, 403 when it leads outside the home. */
export async function resolveExisting(root: HomeRoot, segments: string[]): Promise<ResolvedTarget> {
  const rel = segments.join('/');
  let real: string;
  try {
    real = await realpath(join(root.real, ...segments));
  } catch (err) {
    throw fsError(err, rel);
  }
  if (!isInside(root, real)) throw outside(rel);
  try {
    return { rel, path: real, stats: await stat(real) };
  } catch (err) {
    throw fsError(err, rel);
  }
}

/** A directory entry itself (not what a link in its place points to), in a real parent inside the home. */
export interface ResolvedEntry {
  rel: string;
  /** Real parent folder joined with the entry's own name. */
  path: string;
  /** The entry's own stats, or null when nothing is there yet. */
  lstat: Stats | null;
}

/**
 * Resolves the entry a path names without following a link in the last place (for create, move,
 * trash): the parent must exist and really be inside the home; a link already in that place must
 * lead inside too. 404 when the parent is missing.
 */
export async function resolveEntry(root: HomeRoot, segments: string[]): Promise<ResolvedEntry> {
  if (segments.length === 0) throw new AppError('bad_request', 'The home itself cannot be changed this way.', 'path');
  const rel = segments.join('/');
  const parentRel = segments.slice(0, -1).join('/');
  let parent: string;
  try {
    parent = await realpath(join(root.real, ...segments.slice(0, -1)));
  } catch (err) {
    const e = fsError(err, parentRel);
    throw e.code === 'not_found' ? new AppError('not_found', `The folder "${parentRel || '/'}" does not exist.`, 'path') : e;
  }
  if (!isInside(root, parent)) throw outside(rel);
  const path = join(parent, segments.at(-1)!);
  const own = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') throw new AppError('not_found', `"${parentRel}" is not a folder.`, 'path');
    throw fsError(err, rel);
  });
  if (own?.isSymbolicLink()) {
    const target = await realpath(path).catch(() => null);
    // A dangling link could be re-pointed or filled later: treat it like one that leads out.
    if (!target || !isInside(root, target)) throw outside(rel);
  }
  return { rel, path, lstat: own };
}
