import { Hono } from 'hono';
import { createNodeWebSocket } from '@hono/node-ws';
import type { Kysely } from 'kysely';
import type { AppCredentials } from './auth/app-credential.ts';
import type { OwnerAuth } from './auth/owner-auth.ts';
import type { PlatformJwtVerifier } from './auth/platform-jwt.ts';
import type { GatewayConfig } from './config.ts';
import { createErrorHandler, errorBody } from './errors.ts';
import type { EventBus } from './events/event-bus.ts';
import { mountEventSocket } from './events/socket.ts';
import type { GatewayEnv } from './gateway-env.ts';
import type { Logger } from './logger.ts';
import { limitTime } from './middleware/limits/index.ts';
import { requestId } from './middleware/request-id/index.ts';
import { identifyClient } from './middleware/client/index.ts';
import { allowedOriginsOf, requireTrustedOrigin } from './middleware/origin/index.ts';
import { securityHeaders } from './middleware/security-headers/index.ts';
import type { AppRegistry } from './registry/app-registry.ts';
import type { AppRuntime } from './runtime/app-runtime.ts';
import { createAppServingRoutes } from './routes/app-serving.ts';
import { createAppRoutes } from './routes/apps.ts';
import { createAuthRoutes } from './routes/auth.ts';
import { createBridgeRoutes } from './routes/bridge.ts';
import { createCanvasRoutes, mountCanvasSocket } from './routes/canvas.ts';
import { CanvasHub } from './canvas/canvas-hub.ts';
import { CanvasStore } from './canvas/canvas-store.ts';
import { createHealthRoutes } from './routes/health.ts';
import { createFileRoutes } from './routes/files.ts';
import type { ChatService } from './chat/chat-service.ts';
import { createChatRoutes } from './routes/chat.ts';
import type { CodeEditor } from './code-editor/code-editor.ts';
import { createCodeRoutes } from './routes/code.ts';
import { createSettingsRoutes } from './routes/settings.ts';
import type { ProxyLimits } from './proxy/reverse-proxy.ts';
import { createTerminalRoutes, mountTerminalSocket } from './routes/terminal.ts';
import type { TerminalManager } from './terminal/terminal-manager.ts';

/** Everything the routes need, built once by `startGateway` (or by a test). */
export interface GatewayDeps {
  config: GatewayConfig;
  db: Kysely<any>;
  dbKind: string;
  logger: Logger;
  events: EventBus;
  registry: AppRegistry;
  /** Builds, serves and supervises apps; absent in tools that need no app serving. */
  runtime?: AppRuntime;
  owner?: OwnerAuth;
  platform?: PlatformJwtVerifier;
  apps: AppCredentials;
  startedAt: number;
  /** Canvas documents; made here when the caller brings none. */
  canvas?: CanvasStore;
  /** Chat with the AI kernel; absent in tools that need no chat. */
  chat?: ChatService;
  /** Terminal sessions over tmux; absent in tools that need no terminal. */
  terminals?: TerminalManager;
  /** The code editor behind `/code/`; absent in tools that need none. */
  editor?: CodeEditor;
}

/** Limits of requests the gateway proxies to a process (node apps, the code editor). */
export function proxyLimits(config: GatewayConfig): ProxyLimits {
  return { maxBodyBytes: config.uploadMaxBytes, headersTimeoutMs: config.requestTimeoutMs };
}

/** Wires the route groups into one Hono app; returns it with the WebSocket injector for the server. */
export function createGatewayApp(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  const { injectWebSocket, upgradeWebSocket, wss } = createNodeWebSocket({ app });
  // No gateway socket takes client messages anywhere near ws's 100 MiB default: refuse big frames (1009) before they are buffered.
  wss.options.maxPayload = 1024 * 1024;
  const auth = { owner: deps.owner, platform: deps.platform, apps: deps.apps };

  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}.`, undefined, c.get('requestId')), 404));
  app.use('*', securityHeaders(), requestId(), identifyClient(deps.config.edgeSecret), requireTrustedOrigin(allowedOriginsOf(deps.config)));
  app.use('/api/*', limitTime(deps.config.requestTimeoutMs));

  app.route('/', createHealthRoutes(deps));
  app.route('/api/auth', createAuthRoutes({ ...auth, publicUrlIsHttps: deps.config.publicUrl?.startsWith('https:') ?? false }));
  app.route('/api/apps', createAppRoutes({ ...auth, registry: deps.registry, runtime: deps.runtime }));
  if (deps.runtime) app.route('/apps', createAppServingRoutes({ runtime: deps.runtime, limits: proxyLimits(deps.config) }));
  const files = createFileRoutes({ ...auth, homeDir: deps.config.homeDir, uploadMaxBytes: deps.config.uploadMaxBytes, events: deps.events });
  app.route('/api/files', files.api);
  app.route('/files', files.raw);
  app.route('/api/bridge', createBridgeRoutes({ ...auth, db: deps.db, registry: deps.registry, events: deps.events, ratePerSec: deps.config.bridgeRatePerSec }));
  mountEventSocket(app, upgradeWebSocket, { ...auth, events: deps.events });
  const canvas = deps.canvas ?? new CanvasStore(deps.db, new CanvasHub());
  app.route('/api/canvas', createCanvasRoutes({ ...auth, canvas }));
  mountCanvasSocket(app, upgradeWebSocket, { ...auth, canvas });
  if (deps.terminals) {
    app.route('/api/terminal', createTerminalRoutes({ ...auth, terminals: deps.terminals }));
    mountTerminalSocket(app, upgradeWebSocket, { ...auth, terminals: deps.terminals });
  }
  const settings = createSettingsRoutes({ ...auth, db: deps.db, events: deps.events, authMode: deps.config.auth.mode });
  app.route('/api/settings', settings.settings);
  app.route('/api/integrations', settings.integrations);
  if (deps.editor) app.route('/', createCodeRoutes({ ...auth, editor: deps.editor, limits: proxyLimits(deps.config) }));
  if (deps.chat) app.route('/api/chat', createChatRoutes({ ...auth, chat: deps.chat, homeDir: deps.config.homeDir }));

  return { app, injectWebSocket };
}
