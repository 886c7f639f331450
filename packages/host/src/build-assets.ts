import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

/** Where the shell's build output (content-hashed chunks, styles, fonts) is fetched from. */
export const BUILD_ASSET_PREFIX = '/_next/static/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The names carry their content's hash: a file never changes under its name.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// A build's assets are a few MiB; the cap only guards against a folder that is not one.
const MAX_CACHED_BYTES = 64 * 1024 * 1024;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
}

/** The file a request path names inside the assets folder, or null for anything else (a dot segment, an encoded slash). */
export function assetPath(url: string): string | null {
  const path = url.split('?')[0]!;
  if (!path.startsWith(BUILD_ASSET_PREFIX)) return null;
  const segments: string[] = [];
  for (const raw of path.slice(BUILD_ASSET_PREFIX.length).split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) return null;
    segments.push(s);
  }
  return segments.length ? segments.join('/') : null;
}

/**
 * The shell's build assets, answered by the edge from memory with the gzip made at build time,
 * instead of the shell's server compressing every chunk again on every cold load.
 */
export class BuildAssets {
  private readonly cache = new Map<string, Asset>();
  private cachedBytes = 0;

  constructor(private readonly dir: string) {}

  /** Answers a GET or HEAD for an asset that exists; false leaves the request to the shell. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const rel = assetPath(req.url ?? '/');
    const asset = rel === null ? null : await this.load(rel);
    if (!asset) return false;
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? asset.gzip : null;
    const body = gzip ?? asset.body;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      'cache-control': IMMUTABLE,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  private async load(rel: string): Promise<Asset | null> {
    const hit = this.cache.get(rel);
    if (hit) return hit;
    const file = join(this.dir, rel);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || info.size > MAX_FILE_BYTES) return null;
    const asset: Asset = {
      body: await readFile(file),
      gzip: await readFile(`${file}.gz`).catch(() => null),
      type: TYPES[extname(rel)] ?? 'application/octet-stream',
    };
    const size = asset.body.length + (asset.gzip?.length ?? 0);
    if (this.cachedBytes + size <= MAX_CACHED_BYTES) {
      this.cache.set(rel, asset);
      this.cachedBytes += size;
    }
    return asset;
  }
}
