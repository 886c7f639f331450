import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { bridgeQuerySchema } from '@matrix-os/protocol';
import { executeBridgeQuery } from '../bridge/execute.ts';
import { AppError } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireApp, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { rateLimit } from '../middleware/rate-limit/index.ts';
import { readJson } from '../middleware/validate/index.ts';
import type { AppRegistry } from '../registry/app-registry.ts';

/** `POST /api/bridge/query`: an app's scoped CRUD on its own schema; the app comes from its credential. */
export function createBridgeRoutes(deps: AuthDeps & { db: Kysely<any>; registry: AppRegistry; events: EventBus; ratePerSec: number }) {
  return new Hono<GatewayEnv>().post(
    '/query',
    requireApp(deps),
    rateLimit({
      ratePerSec: deps.ratePerSec,
      burst: deps.ratePerSec * 2,
      key: (c) => (c.get('principal') as { app: string }).app,
      message: 'This app is sending too many queries. Slow down and try again shortly.',
    }),
    limitBody(1024 * 1024),
    async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'app') throw new AppError('forbidden', 'Only apps use the bridge.');
      const app = deps.registry.get(principal.app);
      if (!app?.storage) throw new AppError('not_found', 'This app declares no storage.');
      const query = await readJson(c, bridgeQuerySchema);
      const { reply, change } = await executeBridgeQuery(deps.db, app, query);
      if (change) deps.events.publish({ type: 'data:change', app: app.slug, ...change });
      return c.json(reply);
    },
  );
}
