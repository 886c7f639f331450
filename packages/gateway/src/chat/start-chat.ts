import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { runMigrations } from '@matrix-os/db';
import type { GatewayConfig } from '../config.ts';
import type { EventBus } from '../events/event-bus.ts';
import { createGatewayKernelHost, type KernelCanvas } from '../kernel-host/gateway-kernel-host.ts';
import type { Logger } from '../logger.ts';
import type { AppRegistry } from '../registry/app-registry.ts';
import type { AppRuntime } from '../runtime/app-runtime.ts';
import { ChatService } from './chat-service.ts';
import { kernelMigrations } from './kernel-migrations.ts';
import { startScheduleRunner } from './schedule-runner.ts';

/** Migrates the kernel's tables and starts the chat service with the gateway's kernel host. */
export async function startChat(o: { config: GatewayConfig; db: Kysely<any>; events: EventBus; registry: AppRegistry; runtime?: AppRuntime; canvas?: KernelCanvas; logger: Logger }) {
  await runMigrations(o.db, 'kernel', kernelMigrations);
  const host = createGatewayKernelHost({ homeDir: o.config.homeDir, db: o.db, registry: o.registry, runtime: o.runtime, events: o.events, canvas: o.canvas });
  const chat = new ChatService({ db: o.db, events: o.events, host, settings: o.config.kernel, stateDir: join(o.config.dataDir, 'kernel'), logger: o.logger });
  const stopSchedules = startScheduleRunner(o.db, chat, o.logger);
  if (!o.config.kernel) o.logger.info('AI kernel off: set ANTHROPIC_API_KEY to enable chat');
  return {
    chat,
    async close() {
      stopSchedules();
      await chat.close();
      host.close();
    },
  };
}
