import { Hono } from 'hono';
import { slugSchema } from '@matrix-os/protocol';
import { z } from 'zod/v4';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput } from '../middleware/validate/index.ts';
import type { AppRegistry } from '../registry/app-registry.ts';
import type { AppRuntime } from '../runtime/app-runtime.ts';
import { AppError } from '../errors.ts';

const slugParam = z.object({ slug: slugSchema });

/** The owner's view of installed apps, and app credentials for the shell to hand to app windows. */
export function createAppRoutes(deps: AuthDeps & { registry: AppRegistry; runtime?: AppRuntime }) {
  const runtimeOf = (slug: string) => {
    if (!deps.registry.get(slug)) throw new AppError('not_found', `No app "${slug}".`, 'slug');
    if (!deps.runtime) throw new AppError('unavailable', 'The app runtime is not running.');
    return deps.runtime;
  };
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(16 * 1024))
    .get('/', (c) =>
      c.json({
        apps: deps.registry.list().map((a) => ({
          slug: a.slug,
          name: a.name,
          status: a.status,
          errors: [...a.errors, ...(deps.runtime?.planErrors(a.slug) ?? [])],
          ...(deps.runtime?.status(a.slug) ?? {}),
          runtime: a.manifest?.runtime ?? null,
          version: a.manifest?.version ?? null,
          description: a.manifest?.description ?? null,
          icon: a.manifest?.icon ?? null,
          tables: Object.keys(a.storage?.tables ?? {}),
        })),
      }),
    )
    .post('/rescan', async (c) => {
      await deps.registry.syncAll();
      return c.json({ apps: deps.registry.list().length });
    })
    .get('/:slug/log', async (c) => {
      const { slug } = parseInput(slugParam, c.req.param());
      const { text, truncated } = await runtimeOf(slug).logs.tail(slug);
      return c.json({ slug, log: text, truncated });
    })
    .post('/:slug/build', (c) => {
      const { slug } = parseInput(slugParam, c.req.param());
      const status = runtimeOf(slug).rebuild(slug);
      if (!status) throw new AppError('conflict', `The app "${slug}" has nothing to build (no valid build section).`, 'slug');
      return c.json({ slug, ...status }, 202);
    })
    .post('/:slug/session', async (c) => {
      const { slug } = parseInput(slugParam, c.req.param());
      const app = deps.registry.get(slug);
      if (!app) throw new AppError('not_found', `No app "${slug}".`, 'slug');
      return c.json(await deps.apps.issue(slug));
    });
}
