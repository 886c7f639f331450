import type { Principal } from './middleware/auth/index.ts';
import type { ClientInfo } from './middleware/client/index.ts';

/** Hono context variables every gateway route can read. */
export interface GatewayEnv {
  Variables: { requestId: string; principal: Principal; client: ClientInfo };
}
