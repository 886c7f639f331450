import { Hono } from 'hono';
import { slugSchema } from '@matrix-os/protocol';
import { z } from 'zod/v4';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput } from '../middleware/validate/index.ts';
import type { AppRegistry } from '../registry/app-registry.ts';
import { AppError } from '../errors.ts';

const slugParam = z.object({ slug: slugSchema });

/** The owner's view of installed apps, and app credentials for the shell to hand to app windows. */
export function createAppRoutes(deps: AuthDeps & { registry: AppRegistry }) {
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(16 * 1024))
    .get('/', (c) =>
      c.json({
        apps: deps.registry.list().map((a) => ({
          slug: a.slug,
          name: a.name,
          status: a.status,
          errors: a.errors,
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
    .post('/:slug/session', async (c) => {
      const { slug } = parseInput(slugParam, c.req.param());
      const app = deps.registry.get(slug);
      if (!app) throw new AppError('not_found', `No app "${slug}".`, 'slug');
      return c.json(await deps.apps.issue(slug));
    });
}
