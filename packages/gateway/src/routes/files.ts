import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { z } from 'zod/v4';
import { AppError } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import { asFileError } from '../files/fs-errors.ts';
import { SmallFileCache } from '../files/small-file-cache.ts';
import { copyPath, listFolder, makeFolder, movePath, statPath } from '../files/file-ops.ts';
import { openHomeRoot, parseHomePath, parseUrlPath, resolveExisting, type HomeRoot } from '../files/safe-path.ts';
import { searchByName } from '../files/search.ts';
import { prepareFileReply, replyAsResponse, sendReply } from '../files/serve-file.ts';
import { listTrash, moveToTrash, purgeTrash, restoreFromTrash } from '../files/trash.ts';
import { writeFileStream } from '../files/write-file.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput, readJson } from '../middleware/validate/index.ts';

export interface FileRoutesDeps extends AuthDeps {
  homeDir: string;
  /** Where the home watcher publishes `file:change`; served files are cached until the next one. */
  events: EventBus;
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

/**
 * Wraps every handler: file-system errors come out as JSON errors (404, 409, 403) instead of 500,
 * and any request that may change the home drops the cache of served files, whatever its outcome.
 */
function fileHandlers(cache: SmallFileCache) {
  return <C extends Context>(handler: (c: C) => Promise<Response>) =>
    async (c: C): Promise<Response> => {
      try {
        return await handler(c);
      } catch (err) {
        throw asFileError(err);
      } finally {
        if (c.req.method !== 'GET' && c.req.method !== 'HEAD') cache.clear();
      }
    };
}

const segmentsOf = (c: Context) => parseHomePath(parseInput(pathQuery, { path: c.req.query('path') }).path);

/**
 * The file routes, owner only: `api` for `/api/files/*` (list, stat, search, mkdir, move, copy,
 * trash, restore) and `raw` for `/files/*` (read with ranges and conditional requests, streamed write).
 */
export function createFileRoutes(deps: FileRoutesDeps) {
  const home = homeRootOf(deps.homeDir);
  const cache = new SmallFileCache();
  deps.events.subscribe((e) => {
    if (e.event.type === 'file:change') cache.clear();
  });
  const fileHandler = fileHandlers(cache);
  return { api: createApiRoutes(deps, home, fileHandler), raw: createRawRoutes(deps, home, cache, fileHandler) };
}

type FileHandler = ReturnType<typeof fileHandlers>;

function createApiRoutes(deps: FileRoutesDeps, home: () => Promise<HomeRoot>, fileHandler: FileHandler) {
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
    .get('/trash', fileHandler(async (c) => c.json(await listTrash(await home()))))
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

function createRawRoutes(deps: FileRoutesDeps, home: () => Promise<HomeRoot>, cache: SmallFileCache, fileHandler: FileHandler) {
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps))
    .on(['GET', 'HEAD'], '/*', fileHandler(async (c) => {
      const segments = rawSegments(c);
      const rel = segments.join('/');
      const stamp = cache.stamp;
      const hit = cache.get(rel);
      const target = hit?.target ?? (await resolveExisting(await home(), segments));
      if (!target.stats.isFile()) throw new AppError('bad_request', `"${target.rel || '/'}" is a folder; list it with /api/files/list.`, 'path');
      const reply = await prepareFileReply(target, {
        method: c.req.method,
        download: c.req.query('download') === '1',
        range: c.req.header('range'),
        ifRange: c.req.header('if-range'),
        ifNoneMatch: c.req.header('if-none-match'),
        ifModifiedSince: c.req.header('if-modified-since'),
      }, hit?.bytes);
      if (!hit && reply.status === 200 && reply.body.kind === 'bytes') cache.set(rel, { target, bytes: reply.body.bytes }, stamp);
      // Under the Node server, big files skip the web-stream layer (the hot path of file serving).
      const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
      if (reply.body.kind !== 'file' || !outgoing) return replyAsResponse(reply);
      await sendReply(reply, outgoing);
      return RESPONSE_ALREADY_SENT;
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
