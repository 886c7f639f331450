import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { GatewayEnv } from '../gateway-env.ts';

/** `GET /health`: the process is up and the database answers. No auth: it reveals nothing. */
export function createHealthRoutes(deps: { db: Kysely<any>; dbKind: string; startedAt: number }) {
  return new Hono<GatewayEnv>().get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ok', database: deps.dbKind, uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000) });
    } catch {
      return c.json({ status: 'degraded', database: 'unreachable' }, 503);
    }
  });
}
