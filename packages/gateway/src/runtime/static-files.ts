import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { getMimeType } from 'hono/utils/mime';
import { parseRange } from '../files/byte-range.ts';
import { appContentSecurityPolicy, inlineScriptHashes } from './csp.ts';
import { resolveInside, safeSegments } from './serve-path.ts';

/** Content type by file name; unknown kinds are plain bytes. */
const contentTypeOf = (path: string) => getMimeType(path) ?? 'application/octet-stream';

// Files up to this size are read whole: a web stream costs far more per byte than one read here.
const WHOLE_FILE = 4 * 1024 * 1024;
// HTML CSP hashes by path, valid while size and mtime match.
const htmlCsp = new Map<string, { tag: string; csp: string }>();

// Small files served in the last moments, by root and request path: an app's assets are asked for
// again and again, and resolving each path segment on disk costs more than sending the bytes.
// A build clears it (forgetServedFiles); a static app edited by hand is seen within RECENT_MS.
const RECENT_MS = 2000;
const RECENT_MAX_BYTES = 256 * 1024;
const RECENT_MAX_ENTRIES = 512;
const recent = new Map<string, { at: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }>();

/** Drops every remembered file, so the next request reads the new build from disk. */
export function forgetServedFiles(): void {
  recent.clear();
}

function fromRecent(key: string, req: { method: string; ifNoneMatch?: string }): Response | null {
  const hit = recent.get(key);
  if (!hit) return null;
  if (performance.now() - hit.at > RECENT_MS) {
    recent.delete(key);
    return null;
  }
  if (req.ifNoneMatch && req.ifNoneMatch.split(',').some((t) => t.trim() === hit.headers.etag)) {
    const { 'content-length': _, ...headers } = hit.headers;
    return new Response(null, { status: 304, headers });
  }
  return new Response(req.method === 'HEAD' ? null : hit.body, { headers: hit.headers });
}

/** Headers every app response carries; the sandboxed iframe has an opaque origin, so assets need CORS. */
function baseHeaders(type: string, etag: string, csp: string): Record<string, string> {
  return {
    'content-type': type,
    etag,
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    'content-security-policy': csp,
    'accept-ranges': 'bytes',
  };
}

/** What a request asks of a file: method, and the conditional and range headers. */
export interface StaticRequest {
  method: string;
  ifNoneMatch?: string;
  range?: string;
  ifRange?: string;
}

/**
 * Answers a GET/HEAD for `rawPath` (percent-encoded, relative to the app root) from `root`.
 * Paths without an extension that match no file get `index.html` (single-page apps).
 */
export async function serveStatic(root: string, rawPath: string, req: StaticRequest): Promise<Response | null> {
  const key = `${root}\0${rawPath}`;
  // A range (media seeking, resumed downloads) is cut from the file itself, never from memory.
  const remembered = req.range ? null : fromRecent(key, req);
  if (remembered) return remembered;
  const segments = safeSegments(rawPath);
  if (!segments) return null;
  let found = await resolveInside(root, segments);
  if (found.kind === 'refused') return null;
  if (found.kind === 'missing' && !extname(segments.at(-1) ?? '')) found = await resolveInside(root, ['index.html']);
  if (found.kind !== 'file') return null;
  const { path, stat } = found;
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const type = contentTypeOf(path);
  let csp = appContentSecurityPolicy();
  let html: Buffer | null = null;
  if (type.startsWith('text/html')) {
    const cached = htmlCsp.get(path);
    if (cached?.tag === etag) csp = cached.csp;
    else {
      html = await readFile(path);
      csp = appContentSecurityPolicy(inlineScriptHashes(html.toString('utf8')));
      if (htmlCsp.size > 1000) htmlCsp.clear();
      htmlCsp.set(path, { tag: etag, csp });
    }
  }
  const headers = baseHeaders(type, etag, csp);
  if (req.ifNoneMatch && req.ifNoneMatch.split(',').some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers });
  // A document is never cut: its CSP hashes cover the whole of it.
  const wanted = !type.startsWith('text/html') && (req.ifRange === undefined || req.ifRange === etag) ? parseRange(req.range, stat.size) : null;
  if (wanted === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${stat.size}`, 'content-length': '0' } });
  if (wanted) {
    headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${stat.size}`;
    headers['content-length'] = String(wanted.end - wanted.start + 1);
    const part = req.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(path, { start: wanted.start, end: wanted.end })) as ReadableStream);
    return new Response(part, { status: 206, headers });
  }
  headers['content-length'] = String(stat.size);
  if (req.method === 'HEAD') return new Response(null, { headers });
  if (html || stat.size <= WHOLE_FILE) {
    const body = new Uint8Array(html ?? (await readFile(path)));
    if (body.byteLength <= RECENT_MAX_BYTES) {
      if (recent.size >= RECENT_MAX_ENTRIES) recent.delete(recent.keys().next().value!);
      recent.set(key, { at: performance.now(), headers, body });
    }
    return new Response(body, { headers });
  }
  return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { headers });
}
