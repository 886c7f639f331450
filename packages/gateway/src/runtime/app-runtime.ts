import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../logger.ts';
import type { AppRegistry } from '../registry/app-registry.ts';
import { buildAppEnv } from './app-env.ts';
import { AppLogs } from './app-log.ts';
import { planApp, type AppPlan } from './app-plan.ts';
import { AppProcess } from './app-process.ts';
import { processRecordDir } from './process-records.ts';
import { buildApp, LAST_GOOD_DIR, recoverLastGood } from './app-builder.ts';
import { AppWatcher } from './app-watcher.ts';
import { isOutputFresh } from './freshness.ts';
import type { SupervisorPolicy } from './process-state.ts';
import { findSharedNodeModules, linkSharedToolchain } from './toolchain.ts';
import { forgetServedFiles } from './static-files.ts';

export interface AppRuntimeOptions {
  homeDir: string;
  /** The gateway's data folder; app processes get a HOME of their own under it. */
  dataDir: string;
  registry: AppRegistry;
  events: EventBus;
  logger: Logger;
  /** Stop an idle `node` app after this long. */
  idleMs: number;
  /** Memory cap of builds and app processes, MiB. */
  memoryMb: number;
  /** Follow `home/apps` for changes (off in tools that only build once). */
  watch?: boolean;
  policy?: SupervisorPolicy;
  /** The gateway's environment, read only for the allow-listed names. */
  parentEnv?: Record<string, string | undefined>;
}

export type BuildState = 'none' | 'queued' | 'building' | 'ok' | 'failed';

/** What `GET /api/apps` shows about an app's runtime. */
export interface AppRuntimeStatus {
  build: { state: BuildState; reason: string | null; finishedAt: string | null };
  process: { state: string; reason: string | null } | null;
  /** True when something can be served at `/apps/<slug>/` right now. */
  serving: boolean;
}

interface AppState {
  slug: string;
  plan: AppPlan | null;
  /** Why the current manifest cannot run (the last good plan keeps serving). */
  planErrors: string[];
  /** The refusal reasons last written to the log, so an unchanged broken manifest is logged once. */
  refusal: string;
  build: AppRuntimeStatus['build'];
  buildAgain: boolean;
  process: AppProcess | null;
}

/**
 * Discovers, builds, serves and supervises the apps under `home/apps`. Each app fails alone: a
 * broken manifest, a failed build or a crashing process shows its reason and touches nothing else.
 */
export class AppRuntime {
  readonly appsDir: string;
  readonly logs: AppLogs;
  private readonly apps = new Map<string, AppState>();
  private readonly watcher: AppWatcher | null;
  private queue: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private toolchainBin = '';
  private closed = false;

  constructor(private readonly o: AppRuntimeOptions) {
    this.appsDir = join(o.homeDir, 'apps');
    this.logs = new AppLogs(join(o.homeDir, 'system', 'logs', 'apps'));
    this.watcher =
      o.watch === false
        ? null
        : new AppWatcher({
            appsDir: this.appsDir,
            ownedPaths: (slug) => {
              const out = this.apps.get(slug)?.plan?.build?.output;
              return out ? [out, LAST_GOOD_DIR] : [LAST_GOOD_DIR];
            },
            onChange: (slug) => void this.onFolderChanged(slug),
          });
  }

  /** Links the shared toolchain, brings every registered app up to date and starts watching. Builds run in the background. */
  async start(): Promise<void> {
    const nodeModules = findSharedNodeModules();
    this.toolchainBin = join(nodeModules, '.bin');
    await mkdir(this.appsDir, { recursive: true });
    await linkSharedToolchain(this.appsDir, nodeModules);
    await mkdir(join(this.o.homeDir, 'system', 'logs', 'apps'), { recursive: true });
    await mkdir(this.appHome(), { recursive: true });
    for (const app of this.o.registry.list()) await this.refresh(app.slug);
    await this.watcher?.start();
  }

  /** Stops watching, cancels a running build and stops every app process. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.watcher?.close();
    await Promise.all([...this.apps.values()].map((a) => a.process?.close()));
    await this.queue.catch(() => {});
    await this.logs.flush();
  }

  status(slug: string): AppRuntimeStatus | null {
    const a = this.apps.get(slug);
    if (!a) return null;
    return {
      build: a.build,
      process: a.process?.status() ?? null,
      serving: this.serveRoot(slug) !== null,
    };
  }

  /** The reasons the current manifest cannot run, if any. */
  planErrors(slug: string): string[] {
    return this.apps.get(slug)?.planErrors ?? [];
  }

  /** The app's plan (last good one when the manifest is broken now). */
  planOf(slug: string): AppPlan | null {
    return this.apps.get(slug)?.plan ?? null;
  }

  /** The folder to serve for a `vite`/`static` app: the output, or the last good output while a build runs. */
  serveRoot(slug: string): string | null {
    const a = this.apps.get(slug);
    if (!a?.plan || a.plan.runtime === 'node') return null;
    const appDir = join(this.appsDir, slug);
    if (a.build.state === 'building' && existsSync(join(appDir, LAST_GOOD_DIR))) return join(appDir, LAST_GOOD_DIR);
    const dir = join(appDir, a.plan.serveDir);
    return existsSync(dir) ? dir : null;
  }

  /** The supervisor of a `node` app (created on first use). */
  processOf(slug: string): AppProcess | null {
    const a = this.apps.get(slug);
    if (!a?.plan || a.plan.runtime !== 'node' || this.closed) return null;
    // While a build runs its output is moved aside; after a failed one the last good output is back.
    if (a.build.state === 'queued' || a.build.state === 'building') return null;
    a.process ??= new AppProcess(
      { appDir: join(this.appsDir, slug), start: a.plan.start!, healthCheck: a.plan.healthCheck, env: this.env(), memoryMb: this.o.memoryMb, recordDir: processRecordDir(this.o.dataDir) },
      {
        log: (line) => void this.logs.append(slug, line),
        onPhase: (state, reason) => this.o.events.publish({ type: 'app:process', slug, state, ...(reason ? { reason } : {}) }),
        idleMs: this.o.idleMs,
        policy: this.o.policy,
      },
    );
    return a.process;
  }

  /** Queues a rebuild, even when the output looks fresh; null when the app has nothing to build. */
  rebuild(slug: string): AppRuntimeStatus | null {
    const a = this.apps.get(slug);
    if (!a?.plan?.build) return null;
    this.enqueueBuild(a);
    return this.status(slug);
  }

  private appHome(): string {
    return join(this.o.dataDir, 'app-home');
  }

  private env(): Record<string, string> {
    return buildAppEnv({ parent: this.o.parentEnv ?? process.env, home: this.appHome(), toolchainBin: this.toolchainBin, memoryMb: this.o.memoryMb, nodeEnv: 'production' });
  }

  private async onFolderChanged(slug: string): Promise<void> {
    if (this.closed) return;
    try {
      // Only folders are apps; a file beside them (a README) is not.
      const st = await stat(join(this.appsDir, slug)).catch(() => null);
      if (st?.isDirectory()) await this.o.registry.syncApp(slug);
      else if (this.o.registry.get(slug)) await this.o.registry.remove(slug);
      else return;
      await this.refresh(slug);
    } catch (err) {
      this.o.logger.error({ err, slug }, 'app refresh failed');
    }
  }

  /** Re-reads one app from the registry: plans it, builds it when its output is stale, restarts its process. */
  private async refresh(slug: string): Promise<void> {
    const reg = this.o.registry.get(slug);
    let a = this.apps.get(slug);
    if (!reg) {
      if (a) {
        this.apps.delete(slug);
        await a.process?.close();
      }
      return;
    }
    if (!a) {
      a = { slug, plan: null, planErrors: [], refusal: '', build: { state: 'none', reason: null, finishedAt: null }, buildAgain: false, process: null };
      this.apps.set(slug, a);
    }
    // The registry already reports an unreadable manifest; only runtime-specific reasons are added here.
    const planned = reg.manifest ? planApp(reg.manifest) : null;
    const refusal = planned ? (planned.ok ? [] : planned.errors) : reg.errors;
    if (refusal.length && refusal.join('\n') !== a.refusal) await this.logs.append(slug, `manifest refused: ${refusal.join('; ')}`);
    a.refusal = refusal.join('\n');
    a.planErrors = planned && !planned.ok ? planned.errors : [];
    if (!planned?.ok) return;
    const previous = a.plan;
    a.plan = planned.plan;
    if (a.process && (previous?.start !== a.plan.start || previous?.healthCheck !== a.plan.healthCheck || a.plan.runtime !== 'node')) {
      await a.process.close();
      a.process = null;
    }
    const build = a.plan.build;
    if (!build) {
      a.build = { state: 'none', reason: null, finishedAt: null };
      // A source change of an unbuilt node app takes effect on the next request.
      await a.process?.stop();
      a.process?.reset();
      return;
    }
    if (a.build.state === 'building' || a.build.state === 'queued') {
      a.buildAgain = true;
      return;
    }
    // Only between builds: during one, the last good output is aside on purpose.
    const appDir = join(this.appsDir, slug);
    await recoverLastGood(appDir, build.output);
    if (await isOutputFresh(appDir, build.output)) {
      if (a.build.state === 'none') {
        a.build = { state: 'ok', reason: null, finishedAt: null };
        this.o.events.publish({ type: 'app:build', slug, phase: 'skipped', reason: 'output is newer than every source file' });
      }
      return;
    }
    this.enqueueBuild(a);
  }

  private enqueueBuild(a: AppState): void {
    if (a.build.state === 'queued') return;
    if (a.build.state === 'building') {
      a.buildAgain = true;
      return;
    }
    a.build = { ...a.build, state: 'queued' };
    // One build at a time: builds are CPU-heavy and the machine is small.
    this.queue = this.queue.then(() => this.runBuild(a)).catch((err) => this.o.logger.error({ err, slug: a.slug }, 'app build crashed'));
  }

  private async runBuild(a: AppState): Promise<void> {
    const plan = a.plan?.build;
    if (this.closed || !plan || this.apps.get(a.slug) !== a) return;
    const { slug } = a;
    a.build = { ...a.build, state: 'building' };
    a.buildAgain = false;
    await this.logs.rotate(slug);
    await this.logs.append(slug, `build started (timeout ${Math.round(plan.timeoutMs / 1000)} s)`);
    this.o.events.publish({ type: 'app:build', slug, phase: 'started' });
    const started = Date.now();
    const result = await buildApp({
      slug,
      appDir: join(this.appsDir, slug),
      plan,
      env: this.env(),
      memoryMb: this.o.memoryMb,
      recordDir: processRecordDir(this.o.dataDir),
      logs: this.logs,
      onLine: (line) => this.o.events.publish({ type: 'app:build', slug, phase: 'log', line: line.slice(0, 2000) }),
      signal: this.abort.signal,
    }).catch((err: Error) => ({ ok: false as const, reason: `build could not run: ${err.message}` }));
    const finishedAt = new Date().toISOString();
    // Whatever happened, the output folder may hold other files now.
    forgetServedFiles();
    if (result.ok) {
      // State and event change together, so a client never sees one without the other.
      a.build = { state: 'ok', reason: null, finishedAt };
      this.o.events.publish({ type: 'app:build', slug, phase: 'succeeded' });
      await this.logs.append(slug, `build succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // The new build takes effect on the next request.
      await a.process?.stop();
      a.process?.reset();
    } else {
      a.build = { state: 'failed', reason: result.reason, finishedAt };
      this.o.events.publish({ type: 'app:build', slug, phase: 'failed', reason: result.reason });
      await this.logs.append(slug, `build failed: ${result.reason}`);
    }
    if (a.buildAgain && !this.closed) {
      a.buildAgain = false;
      if (!(await isOutputFresh(join(this.appsDir, slug), plan.output))) this.enqueueBuild(a);
    }
  }
}
