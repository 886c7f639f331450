import type { Principal } from './middleware/auth/index.ts';

/** Hono context variables every gateway route can read. */
export interface GatewayEnv {
  Variables: { requestId: string; principal: Principal };
}
