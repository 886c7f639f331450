import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { appContentSecurityPolicy, inlineScriptHashes } from './csp.ts';
import { resolveInside, safeSegments } from './serve-path.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.pdf': 'application/pdf',
};

/** Content type by file extension; unknown files download as bytes. */
export const contentTypeOf = (path: string) => TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

// Files up to this size are read whole (faster than a stream for small assets).
const SMALL_FILE = 256 * 1024;
// HTML CSP hashes by path, valid while size and mtime match.
const htmlCsp = new Map<string, { tag: string; csp: string }>();

/** Headers every app response carries; the sandboxed iframe has an opaque origin, so assets need CORS. */
function baseHeaders(type: string, etag: string, csp: string): Record<string, string> {
  return {
    'content-type': type,
    etag,
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    'content-security-policy': csp,
  };
}

/**
 * Answers a GET/HEAD for `rawPath` (percent-encoded, relative to the app root) from `root`.
 * Paths without an extension that match no file get `index.html` (single-page apps).
 */
export async function serveStatic(root: string, rawPath: string, req: { method: string; ifNoneMatch?: string }): Promise<Response | null> {
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
      htmlCsp.set(path, { tag: etag, csp });
    }
  }
  const headers = baseHeaders(type, etag, csp);
  if (req.ifNoneMatch && req.ifNoneMatch.split(',').some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers });
  headers['content-length'] = String(stat.size);
  if (req.method === 'HEAD') return new Response(null, { headers });
  if (html) return new Response(new Uint8Array(html), { headers });
  if (stat.size <= SMALL_FILE) return new Response(new Uint8Array(await readFile(path)), { headers });
  return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { headers });
}
