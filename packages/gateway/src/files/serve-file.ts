import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/** What to send: no body, bytes already in memory, or a byte range of a file on disk. */
export type FileBody = { kind: 'none' } | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer> } | { kind: 'file'; path: string; start: number; end: number };

/** A prepared answer to a raw file request; sent as a web `Response` or straight to Node's socket. */
export interface FileReply {
  status: number;
  headers: Record<string, string>;
  body: FileBody;
}

/**
 * Prepares the answer to a GET/HEAD for a file already resolved inside the home: conditional
 * requests, one byte range, safe headers. `cached` holds the whole file when it was read before.
 */
export async function prepareFileReply(target: ResolvedTarget, req: ServeRequest, cached?: Uint8Array<ArrayBuffer>): Promise<FileReply> {
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
  if (notModified(req, etag, stats.mtimeMs)) return { status: 304, headers, body: { kind: 'none' } };

  const size = stats.size;
  const wanted = req.ifRange === undefined || req.ifRange === etag ? parseRange(req.range, size) : null;
  if (wanted === 'unsatisfiable') {
    const bytes = new TextEncoder().encode(JSON.stringify(errorBody('bad_request', `The range is outside the file (${size} bytes).`)));
    const { 'content-disposition': _, ...rest } = headers;
    return { status: 416, headers: { ...rest, 'content-type': 'application/json', 'content-range': `bytes */${size}`, 'content-length': String(bytes.byteLength) }, body: { kind: 'bytes', bytes } };
  }
  const start = wanted?.start ?? 0;
  const end = wanted?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  headers['content-length'] = String(length);
  if (wanted) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = wanted ? 206 : 200;
  if (req.method === 'HEAD' || length === 0) return { status, headers, body: { kind: 'none' } };
  if (!wanted && size <= SMALL_FILE) {
    const bytes = cached ?? (await readFile(path));
    headers['content-length'] = String(bytes.byteLength);
    return { status, headers, body: { kind: 'bytes', bytes: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) } };
  }
  return { status, headers, body: { kind: 'file', path, start, end } };
}

const fileStream = (body: Extract<FileBody, { kind: 'file' }>) => createReadStream(body.path, { start: body.start, end: body.end, highWaterMark: STREAM_CHUNK });

/** The reply as a web `Response`. */
export function replyAsResponse(reply: FileReply): Response {
  const { body } = reply;
  const payload = body.kind === 'none' ? null : body.kind === 'bytes' ? body.bytes : (Readable.toWeb(fileStream(body)) as ReadableStream);
  return new Response(payload, { status: reply.status, headers: reply.headers });
}

/** Writes the reply straight to Node's response: a file goes through a plain stream pipe, no web-stream layer. */
export async function sendReply(reply: FileReply, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(reply.status, reply.headers);
  const { body } = reply;
  if (body.kind === 'file') await pipeline(fileStream(body), outgoing).catch(() => outgoing.destroy());
  else outgoing.end(body.kind === 'bytes' ? body.bytes : undefined);
}
