import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { errorBody } from '../errors.ts';
import { parseRange } from './byte-range.ts';
import { contentTypeOf } from './content-type.ts';
import { etagListed, etagOf } from './file-info.ts';
import type { ResolvedTarget } from './safe-path.ts';

// Whole small files are read in one call: cheaper than setting up a stream for them.
const SMALL_FILE = 64 * 1024;
const STREAM_CHUNK = 256 * 1024;

// A file opened from the gateway's origin must never run script there: the sandbox makes the page
// an opaque origin with scripts off, while images and styles still show in a preview.
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'";

/** How a raw file is asked for. */
export interface ServeRequest {
  method: string;
  download: boolean;
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

function dispositionOf(name: string, download: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${download ? 'attachment' : 'inline'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function notModified(req: ServeRequest, etag: string, mtimeMs: number): boolean {
  if (req.ifNoneMatch !== undefined) return etagListed(req.ifNoneMatch, etag);
  if (req.ifModifiedSince) {
    const since = Date.parse(req.ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

/** Answers a GET/HEAD for a file already resolved inside the home: conditional requests, one byte range, safe headers. */
export async function serveFile(target: ResolvedTarget, req: ServeRequest): Promise<Response> {
  const { stats, path } = target;
  const name = target.rel.split('/').at(-1) ?? 'file';
  const type = contentTypeOf(name);
  const etag = etagOf(stats);
  const headers: Record<string, string> = {
    'content-type': type,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'cache-control': 'private, no-cache',
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'content-disposition': dispositionOf(name, req.download),
  };
  // Chrome's PDF viewer refuses to render in a sandboxed document; a PDF runs no script on our origin.
  if (type !== 'application/pdf') headers['content-security-policy'] = FILE_CSP;
  if (notModified(req, etag, stats.mtimeMs)) return new Response(null, { status: 304, headers });

  const size = stats.size;
  const wanted = req.ifRange === undefined || req.ifRange === etag ? parseRange(req.range, size) : null;
  if (wanted === 'unsatisfiable') {
    headers['content-range'] = `bytes */${size}`;
    headers['content-type'] = 'application/json';
    delete headers['content-disposition'];
    return Response.json(errorBody('bad_request', `The range is outside the file (${size} bytes).`), { status: 416, headers });
  }
  const start = wanted?.start ?? 0;
  const end = wanted?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  headers['content-length'] = String(length);
  if (wanted) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = wanted ? 206 : 200;
  if (req.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  if (!wanted && size <= SMALL_FILE) {
    const bytes = await readFile(path);
    headers['content-length'] = String(bytes.byteLength);
    return new Response(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { status, headers });
  }
  const stream = createReadStream(path, { start, end, highWaterMark: STREAM_CHUNK });
  return new Response(Readable.toWeb(stream) as ReadableStream, { status, headers });
}
