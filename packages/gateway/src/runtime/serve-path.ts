import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { decodeUrlSegments } from '../files/url-segments.ts';

export type Resolved = { kind: 'file'; path: string; stat: Stats } | { kind: 'missing' } | { kind: 'refused' };

/**
 * Splits the raw (still percent-encoded) rest of a URL path into safe segments, or null when any
 * segment is empty-after-decoding trickery, a dot name (`.`, `..`, `.env`), or holds `/`, `\` or NUL.
 */
export function safeSegments(rawPath: string): string[] | null {
  const segments = decodeUrlSegments(rawPath);
  return segments && !segments.some((seg) => seg.startsWith('.') || /[/\\\0]/.test(seg)) ? segments : null;
}

/**
 * Resolves segments to a file under `root`, following symlinks only while they stay inside it.
 * (Local to the runtime: the app output folder is its own root, not the whole home.)
 */
export async function resolveInside(root: string, segments: string[]): Promise<Resolved> {
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return { kind: 'missing' };
  const real = await realpath(join(realRoot, ...segments)).catch(() => null);
  if (!real) return { kind: 'missing' };
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return { kind: 'refused' };
  const st = await stat(real).catch(() => null);
  if (!st) return { kind: 'missing' };
  if (st.isDirectory()) {
    const index = join(real, 'index.html');
    const ist = await stat(index).catch(() => null);
    return ist?.isFile() ? { kind: 'file', path: index, stat: ist } : { kind: 'missing' };
  }
  return st.isFile() ? { kind: 'file', path: real, stat: st } : { kind: 'missing' };
}
