import type { Stats } from 'node:fs';
import type { FileInfo } from '@matrix-os/protocol';

export type { FileInfo };

/**
 * A strong validator for a file's current content. Writes go through a new inode (temp file then
 * rename), so the inode changes on every write even when size and coarse mtime do not.
 */
export function etagOf(stats: Stats): string {
  return `"${stats.ino.toString(36)}-${stats.size.toString(36)}-${Math.floor(stats.mtimeMs).toString(36)}"`;
}

/** The JSON description of an entry at home-relative `path`. */
export function fileInfo(path: string, stats: Stats): FileInfo {
  return {
    name: path.split('/').at(-1) ?? '',
    path,
    type: stats.isDirectory() ? 'dir' : 'file',
    size: stats.isDirectory() ? 0 : stats.size,
    modified: stats.mtime.toISOString(),
    etag: etagOf(stats),
  };
}

/** True when an `If-Match` / `If-None-Match` header value lists `etag` (or `*`). */
export function etagListed(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}
