import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { createDb, runMigrations } from '@matrix-os/db';
import { AppCredentials } from './auth/app-credential.ts';
import { OwnerAuth } from './auth/owner-auth.ts';
import { PlatformJwtVerifier } from './auth/platform-jwt.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayDatabase } from './db-types.ts';
import { EventBus } from './events/event-bus.ts';
import { createLogger, type Logger } from './logger.ts';
import { gatewayMigrations } from './migrations/index.ts';
import { canvasMigrations } from './canvas/canvas-migrations.ts';
import { AppRegistry, appsDirOf } from './registry/app-registry.ts';
import { createGatewayApp, proxyLimits, type GatewayDeps } from './server.ts';
import { createAppUpgradeHandler } from './routes/app-serving.ts';
import { createCodeUpgradeHandler } from './routes/code.ts';
import { routeUpgrades } from './proxy/reverse-proxy.ts';
import { answerClientError } from './errors.ts';
import { loadEdgeSecretFile } from './auth/edge-secret.ts';
import { edgeSecretMatcher } from './middleware/client/index.ts';
import { allowedOriginsOf, upgradeFromTrustedOrigin } from './middleware/origin/index.ts';
import { startCodeEditor } from './code-editor/start-code-editor.ts';
import { AppRuntime } from './runtime/app-runtime.ts';
import { processRecordDir, reapRecordedGroups } from './runtime/process-records.ts';
import { CanvasHub } from './canvas/canvas-hub.ts';
import { CanvasStore } from './canvas/canvas-store.ts';
import { startChat } from './chat/start-chat.ts';
import { ensureSecret } from './settings.ts';
import { watchHome } from './files/home-watcher.ts';
import { layDownHome } from './home/lay-down.ts';
import { startTerminals } from './terminal/start-terminals.ts';

export interface RunningGateway {
  url: string;
  /** Present on first start in owner mode: open this link to choose the owner password. */
  setupUrl: string | null;
  deps: GatewayDeps;
  close(): Promise<void>;
}

/** Opens the database, migrates, registers apps and serves the gateway. */
export async function startGateway(given: GatewayConfig, options: { logger?: Logger; onQuery?: (sql: string) => void } = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(given.logLevel);
  const config: GatewayConfig = given.edgeSecret || !given.edgeSecretFile ? given : { ...given, edgeSecret: await loadEdgeSecretFile(given.edgeSecretFile) };
  // Before the registry looks at home/apps, so the default apps are there on first start.
  if (config.homeTemplateDir) {
    const laid = await layDownHome(config.homeTemplateDir, config.homeDir);
    logger.info({ added: laid.added.length, updated: laid.updated.length, removed: laid.removed.length, kept: laid.kept.length }, 'home laid down');
  }
  await mkdir(appsDirOf(config.homeDir), { recursive: true });
  const database = await createDb<GatewayDatabase>({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: config.statementTimeoutMs,
    onQuery: options.onQuery,
  });
  try {
    const db = database.db;
    await runMigrations(db as Kysely<any>, 'gateway', gatewayMigrations);
    await runMigrations(db as Kysely<any>, 'canvas', canvasMigrations);
    const events = new EventBus();
    const registry = new AppRegistry(db, appsDirOf(config.homeDir), events, logger);
    await registry.start();
    const apps = new AppCredentials(await ensureSecret(db, 'app_credential_key'));
    let owner: OwnerAuth | undefined;
    let platform: PlatformJwtVerifier | undefined;
    let setupToken: string | null = null;
    if (config.auth.mode === 'owner') {
      owner = new OwnerAuth(db);
      ({ setupToken } = await owner.init(config.auth.ownerPassword));
    } else {
      platform = await PlatformJwtVerifier.create(config.auth.publicKeyPem, config.auth.machineId, config.auth.issuer);
    }
    // A gateway killed outright left its apps, builds and code editor running: stop them first.
    const reaped = reapRecordedGroups(processRecordDir(config.dataDir));
    if (reaped) logger.warn({ groups: reaped }, 'stopped processes an earlier gateway left running');
    const runtime = new AppRuntime({ homeDir: config.homeDir, dataDir: config.dataDir, registry, events, logger, idleMs: config.appIdleMs, memoryMb: config.appMemoryMb });
    await runtime.start();
    const watcher = await watchHome(config.homeDir, events, logger);
    const terminals = await startTerminals(config, logger);
    const editor = await startCodeEditor(config, logger);
    const canvas = new CanvasStore(db as Kysely<any>, new CanvasHub());
    const kernel = await startChat({ config, db: db as Kysely<any>, events, registry, runtime, canvas, logger });
    const deps: GatewayDeps = { config, db: db as Kysely<any>, dbKind: database.kind, logger, events, registry, runtime, owner, platform, apps, terminals, editor, startedAt: Date.now(), canvas, chat: kernel.chat };
    const { app, injectWebSocket } = createGatewayApp(deps);
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
    server.on('clientError', answerClientError);
    const allowed = allowedOriginsOf(config);
    const fromEdge = edgeSecretMatcher(config.edgeSecret);
    routeUpgrades(
      server as Server,
      (s) => injectWebSocket(s as Server),
      {
        '/apps/': createAppUpgradeHandler(runtime, proxyLimits(config)),
        '/code/': createCodeUpgradeHandler({ owner, platform, apps, editor, limits: proxyLimits(config) }),
      },
      (req) => upgradeFromTrustedOrigin(req, allowed, fromEdge),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    }).catch(async (err) => {
      await editor.close();
      await terminals.close();
      await kernel.close();
      await watcher.close();
      await runtime.close();
      throw err;
    });
    const { port } = server.address() as AddressInfo;
    const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    logger.info({ url, database: database.kind, home: config.homeDir }, 'gateway listening');
    return {
      url,
      setupUrl: setupToken ? `${url}/?setup=${setupToken}` : null,
      deps,
      async close() {
        await editor.close();
        await terminals.close();
        await kernel.close();
        await watcher.close();
        await runtime.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
