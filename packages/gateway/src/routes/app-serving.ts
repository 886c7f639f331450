import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { slugSchema } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { addPolicy, proxyHttp, proxyUpgrade, refuseUpgrade, type ProxyLimits, type ProxyTarget } from '../proxy/reverse-proxy.ts';
import { PROXIED_APP_POLICY } from '../runtime/csp.ts';
import type { AppRuntime } from '../runtime/app-runtime.ts';
import { serveStatic } from '../runtime/static-files.ts';

/** Why an app has nothing to serve, in words for the error body. */
function unavailable(runtime: AppRuntime, slug: string): AppError {
  const s = runtime.status(slug);
  const why =
    s?.build.state === 'failed' ? `its build failed: ${s.build.reason}`
    : s?.build.state === 'queued' || s?.build.state === 'building' ? 'it is being built; try again in a moment'
    : 'it has no build output yet';
  return new AppError('unavailable', `The app "${slug}" cannot be opened: ${why}.`);
}

/** Splits `/apps/<slug>/rest?query` into the slug and the raw (still encoded) rest with its query. */
function splitAppUrl(url: string): { slug: string; rest: string } | null {
  const m = /^\/apps\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?/.exec(url);
  if (!m || !slugSchema.safeParse(m[1]).success) return null;
  return { slug: m[1]!, rest: `${m[2] ?? '/'}${m[3] ?? ''}` };
}

/** The way to a `node` app: no cookie and no owner credential reach it, and its answers stay sandboxed. */
function appTarget(slug: string, port: number, path: string, limits: ProxyLimits): ProxyTarget {
  return {
    port,
    path,
    prefix: `/apps/${slug}`,
    name: `The app "${slug}"`,
    cookies: () => undefined,
    answerHeaders(headers) {
      // Added to the app's own policy, which therefore cannot loosen the sandbox.
      addPolicy(headers, PROXIED_APP_POLICY);
      // The app's sandboxed iframe has an opaque origin: its module scripts load in CORS mode.
      headers['access-control-allow-origin'] ??= '*';
    },
    ...limits,
  };
}

/**
 * `/apps/<slug>/…`: built `vite` and `static` apps from their output folder, `node` apps through a
 * proxy to their process. No owner session is needed: the app's sandboxed iframe carries no cookie.
 */
export function createAppServingRoutes(deps: { runtime: AppRuntime; limits: ProxyLimits }) {
  const { runtime, limits } = deps;
  return new Hono<GatewayEnv>()
    .all('/:slug', (c) => {
      if (!runtime.planOf(c.req.param('slug'))) throw new AppError('not_found', 'No such app.');
      const url = new URL(c.req.url);
      return c.redirect(`${url.pathname}/${url.search}`, 308);
    })
    .all('/:slug/*', async (c) => {
      const parts = splitAppUrl(new URL(c.req.url).pathname + new URL(c.req.url).search);
      const plan = parts && runtime.planOf(parts.slug);
      if (!parts || !plan) throw new AppError('not_found', 'No such app.');
      const { slug, rest } = parts;
      if (plan.runtime === 'node') {
        const proc = runtime.processOf(slug);
        if (!proc) throw unavailable(runtime, slug);
        const port = await proc.ensureRunning().catch((err: Error) => {
          throw new AppError('unavailable', `The app "${slug}" is not running: ${err.message}`);
        });
        const { incoming, outgoing } = c.env as unknown as HttpBindings;
        await proxyHttp(incoming, outgoing, appTarget(slug, port, rest, limits));
        return RESPONSE_ALREADY_SENT;
      }
      // A person who types /apps/<slug>/ into the address bar gets the app inside the shell, where
      // it can reach its data; served bare it would run sandboxed with no way to the bridge.
      if (rest === '/' && c.req.header('sec-fetch-dest') === 'document' && c.req.header('sec-fetch-mode') === 'navigate') {
        return c.redirect(`/?open=${slug}`, 302);
      }
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') throw new AppError('bad_request', 'App files are read with GET or HEAD.');
      const root = runtime.serveRoot(slug);
      if (!root) throw unavailable(runtime, slug);
      const path = rest.split('?')[0]!;
      const res = await serveStatic(root, path, { method: c.req.method, ifNoneMatch: c.req.header('if-none-match'), range: c.req.header('range'), ifRange: c.req.header('if-range') });
      if (!res) throw new AppError('not_found', `No file ${path} in app "${slug}".`);
      return res;
    });
}

/** Handles WebSocket upgrades under `/apps/<slug>/` by proxying them to the app's process. */
export function createAppUpgradeHandler(runtime: AppRuntime, limits: ProxyLimits) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const parts = splitAppUrl(req.url ?? '');
    const proc = parts && runtime.planOf(parts.slug)?.runtime === 'node' ? runtime.processOf(parts.slug) : null;
    if (!parts || !proc) return refuseUpgrade(socket, 404);
    proc.ensureRunning().then(
      (port) => {
        proc.trackSocket(1);
        proxyUpgrade(req, socket, head, appTarget(parts.slug, port, parts.rest, limits), () => proc.trackSocket(-1));
      },
      () => refuseUpgrade(socket, 503),
    );
  };
}
