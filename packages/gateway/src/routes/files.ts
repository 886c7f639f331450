import { Hono, type Context } from 'hono';
import { z } from 'zod/v4';
import { AppError } from '../errors.ts';
import { asFileError } from '../files/fs-errors.ts';
import { copyPath, listFolder, makeFolder, movePath, statPath } from '../files/file-ops.ts';
import { openHomeRoot, parseHomePath, parseUrlPath, resolveExisting, type HomeRoot } from '../files/safe-path.ts';
import { searchByName } from '../files/search.ts';
import { serveFile } from '../files/serve-file.ts';
import { listTrash, moveToTrash, purgeTrash, restoreFromTrash } from '../files/trash.ts';
import { writeFileStream } from '../files/write-file.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput, readJson } from '../middleware/validate/index.ts';

export interface FileRoutesDeps extends AuthDeps {
  homeDir: string;
  /** Largest file one upload (`PUT /files/…`) may write. */
  uploadMaxBytes: number;
}

const JSON_LIMIT = 16 * 1024;
const path = z.string().max(4096);
const pathQuery = z.object({ path: path.default('') });
const moveBody = z.object({ from: path, to: path, overwrite: z.boolean().default(false) });
const searchQuery = z.object({ q: z.string().min(1).max(200), path: path.default(''), limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** The home's root, opened on first use (the gateway creates the home before serving). */
function homeRootOf(homeDir: string): () => Promise<HomeRoot> {
  let root: Promise<HomeRoot> | null = null;
  return () => {
    root ??= openHomeRoot(homeDir).catch((err) => {
      root = null;
      throw err;
    });
    return root;
  };
}

/** A handler whose file-system errors come out as JSON errors (404, 409, 403) instead of 500. */
function fileHandler<C extends Context>(handler: (c: C) => Promise<Response>) {
  return async (c: C): Promise<Response> => {
    try {
      return await handler(c);
    } catch (err) {
      throw asFileError(err);
    }
  };
}

const segmentsOf = (c: Context) => parseHomePath(parseInput(pathQuery, { path: c.req.query('path') }).path);

/** `/api/files/*`: list, stat, search, mkdir, move, copy, trash and restore — owner only. */
export function createFileRoutes(deps: FileRoutesDeps) {
  const home = homeRootOf(deps.homeDir);
  const json = limitBody(JSON_LIMIT);
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps))
    .get('/list', fileHandler(async (c) => c.json(await listFolder(await home(), segmentsOf(c)))))
    .get('/stat', fileHandler(async (c) => c.json({ file: await statPath(await home(), segmentsOf(c)) })))
    .get('/search', fileHandler(async (c) => {
      const q = parseInput(searchQuery, c.req.query());
      return c.json(await searchByName(await home(), parseHomePath(q.path), q.q, q.limit));
    }))
    .post('/mkdir', json, fileHandler(async (c) => {
      const body = await readJson(c, z.object({ path, parents: z.boolean().default(false) }));
      return c.json({ file: await makeFolder(await home(), parseHomePath(body.path), body.parents) }, 201);
    }))
    .post('/move', json, fileHandler(async (c) => {
      const body = await readJson(c, moveBody);
      return c.json({ file: await movePath(await home(), parseHomePath(body.from), parseHomePath(body.to), body.overwrite) });
    }))
    .post('/copy', json, fileHandler(async (c) => {
      const body = await readJson(c, moveBody);
      return c.json({ file: await copyPath(await home(), parseHomePath(body.from), parseHomePath(body.to), body.overwrite) }, 201);
    }))
    .get('/trash', fileHandler(async (c) => c.json({ items: await listTrash(await home()) })))
    .post('/trash', json, fileHandler(async (c) => {
      const body = await readJson(c, z.object({ path }));
      return c.json({ item: await moveToTrash(await home(), parseHomePath(body.path)) }, 201);
    }))
    .post('/trash/:id/restore', json, fileHandler(async (c) => {
      const body = c.req.header('content-length') === '0' ? {} : await readJson(c, z.object({ to: path.optional() }));
      const to = 'to' in body && body.to !== undefined ? parseHomePath(body.to) : null;
      return c.json({ item: await restoreFromTrash(await home(), c.req.param('id') ?? '', to) });
    }))
    .delete('/trash/:id', fileHandler(async (c) => c.json({ deleted: await purgeTrash(await home(), c.req.param('id') ?? '') })))
    .delete('/trash', fileHandler(async (c) => c.json({ deleted: await purgeTrash(await home(), null) })));
}

/** The home-relative segments of a raw `/files/<path>` URL, decoded exactly once. */
function rawSegments(c: Context): string[] {
  const pathname = new URL(c.req.url).pathname;
  return parseUrlPath(pathname.slice('/files/'.length));
}

/** `/files/*`: raw file content — GET/HEAD (ranges, conditional requests) and PUT (streamed write) — owner only. */
export function createRawFileRoutes(deps: FileRoutesDeps) {
  const home = homeRootOf(deps.homeDir);
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps))
    .on(['GET', 'HEAD'], '/*', fileHandler(async (c) => {
      const target = await resolveExisting(await home(), rawSegments(c));
      if (!target.stats.isFile()) throw new AppError('bad_request', `"${target.rel || '/'}" is a folder; list it with /api/files/list.`, 'path');
      return serveFile(target, {
        method: c.req.method,
        download: c.req.query('download') === '1',
        range: c.req.header('range'),
        ifRange: c.req.header('if-range'),
        ifNoneMatch: c.req.header('if-none-match'),
        ifModifiedSince: c.req.header('if-modified-since'),
      });
    }))
    .put('/*', fileHandler(async (c) => {
      const segments = rawSegments(c);
      if (segments.length === 0) throw new AppError('bad_request', 'Name a file to write.', 'path');
      const length = c.req.header('content-length');
      const { info, created } = await writeFileStream(await home(), segments, c.req.raw.body, {
        maxBytes: deps.uploadMaxBytes,
        contentLength: length === undefined ? undefined : Number(length),
        ifMatch: c.req.header('if-match'),
        ifNoneMatch: c.req.header('if-none-match'),
      });
      c.header('etag', info.etag);
      return c.json({ file: info }, created ? 201 : 200);
    }));
}
