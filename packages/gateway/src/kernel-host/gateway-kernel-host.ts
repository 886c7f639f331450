import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BuildReport, HostApp, KernelHost } from '@matrix-os/kernel';
import type { CanvasNode, CanvasRecord, WindowEvent } from '@matrix-os/protocol';
import { executeBridgeQuery } from '../bridge/execute.ts';
import type { KernelDatabase } from '../chat/kernel-migrations.ts';
import { parseCron } from '../chat/cron.ts';
import { AppError } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import { snapshotHome } from '../home/home-git.ts';
import { appsDirOf, type AppRegistry } from '../registry/app-registry.ts';
import type { AppRuntime } from '../runtime/app-runtime.ts';
import { writeAppAtomically } from './app-staging.ts';
import { createHomeFiles } from './home-files.ts';
import { createMemoryStore } from './memory-store.ts';

const LOG_TAIL_CHARS = 4000;
const ACTIVITY_LINES = 12;
const RUNTIME_PICKUP_MS = 10_000;

/** The parts of the canvas store the kernel uses: the latest canvas gets the windows it opens. */
export interface KernelCanvas {
  list(): Promise<{ id: string }[]>;
  get(id: string): Promise<CanvasRecord>;
  create(name: string): Promise<CanvasRecord>;
  applyOps(id: string, baseRevision: number, ops: any[]): Promise<{ revision: number }>;
}

export interface GatewayKernelHostDeps {
  homeDir: string;
  db: Kysely<any>;
  registry: AppRegistry;
  runtime?: AppRuntime;
  events: EventBus;
  canvas?: KernelCanvas;
}

const describeApp = (deps: GatewayKernelHostDeps, slug: string): HostApp | null => {
  const a = deps.registry.get(slug);
  if (!a) return null;
  return { slug: a.slug, name: a.name, status: a.status, description: a.manifest?.description ?? null, build: deps.runtime?.status(slug)?.build.state ?? null };
};

/** Waits (polling the runtime's status) until the app's build has left the queue and finished; a stopped turn stops waiting. */
async function waitForBuild(runtime: AppRuntime, slug: string, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const state = runtime.status(slug)?.build.state;
    if (state !== 'queued' && state !== 'building') return;
    if (signal?.aborted) throw new AppError('conflict', 'The turn was stopped while the app was building; the build goes on in the background.');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The gateway's implementation of what the kernel may do. */
export function createGatewayKernelHost(deps: GatewayKernelHostDeps): KernelHost & { close(): void } {
  const activity: string[] = [];
  const unsubscribe = deps.events.subscribe(({ event: e }) => {
    let line: string | null = null;
    if (e.type === 'app:build' && e.phase !== 'log' && e.phase !== 'started') line = `build of ${e.slug} ${e.phase}${e.reason ? `: ${e.reason}` : ''}`;
    else if (e.type === 'app:registry') line = `app ${e.slug} ${e.status === 'removed' ? 'removed' : `registered (${e.status})`}`;
    if (!line) return;
    activity.push(`${new Date().toISOString().slice(11, 16)} ${line}`);
    if (activity.length > ACTIVITY_LINES) activity.shift();
  });
  const kdb = deps.db as Kysely<KernelDatabase>;

  async function placeOnCanvas(req: Omit<WindowEvent, 'type'>): Promise<string> {
    if (!deps.canvas) return 'Asked the shell to show it.';
    const latest = (await deps.canvas.list())[0] ?? (await deps.canvas.create('Home'));
    const record = await deps.canvas.get(latest.id);
    const kind = req.target.startsWith('__') ? 'builtin' : 'app';
    const existing = record.document.nodes.find((n: CanvasNode) => n.ref === req.target && (n.kind === 'app' || n.kind === 'builtin'));
    const b = req.bounds ?? { x: 80 + 40 * (record.document.nodes.length % 10), y: 80 + 40 * (record.document.nodes.length % 10), width: 720, height: 520 };
    const ops = existing
      ? [{ op: 'resize', id: existing.id, w: b.width, h: b.height, x: b.x, y: b.y }]
      : [{ op: 'add', node: { id: `k-${randomUUID().slice(0, 8)}`, kind, ref: req.target, x: b.x, y: b.y, w: b.width, h: b.height } }];
    if (existing && !req.bounds) return `${req.target} is already on the canvas.`;
    await deps.canvas.applyOps(latest.id, record.revision, ops);
    return `${req.target} is on the canvas at ${b.x},${b.y} (${b.width}×${b.height}).`;
  }

  return {
    homeDir: deps.homeDir,
    files: createHomeFiles(deps.homeDir),
    apps: {
      async list() {
        return deps.registry.list().map((a) => describeApp(deps, a.slug)!);
      },
      async create(slug, files, signal) {
        await writeAppAtomically(appsDirOf(deps.homeDir), slug, files, signal);
        await deps.registry.syncApp(slug);
        return describeApp(deps, slug)!;
      },
      async build(slug, signal): Promise<BuildReport> {
        const app = deps.registry.get(slug) ?? (await deps.registry.syncApp(slug));
        if (app.status !== 'ok') return { ok: false, state: 'invalid', reason: `matrix.json was refused: ${app.errors.join('; ')}`, log: '' };
        const runtime = deps.runtime;
        if (!runtime) return { ok: false, state: 'pending', reason: 'the app runtime is not running on this machine; the app is registered and will build when it starts', log: '' };
        // The runtime learns of a new folder from its watcher a moment after it appears.
        for (let waited = 0; !runtime.status(slug) && waited < RUNTIME_PICKUP_MS; waited += 100) {
          if (signal?.aborted) throw new AppError('conflict', 'The turn was stopped.');
          await new Promise((r) => setTimeout(r, 100));
        }
        if (!runtime.status(slug)) return { ok: false, state: 'pending', reason: 'the app runtime has not picked up the app yet; try build_app again in a moment', log: '' };
        const planErrors = runtime.planErrors(slug);
        if (planErrors.length) return { ok: false, state: 'invalid', reason: planErrors.join('; '), log: '' };
        const state = runtime.status(slug)!.build.state;
        if (state !== 'queued' && state !== 'building' && !runtime.rebuild(slug)) {
          return { ok: true, state: 'none', reason: 'this app has no build step; it is served as it is', log: '' };
        }
        await waitForBuild(runtime, slug, signal);
        const status = runtime.status(slug)!;
        const { text } = await runtime.logs.tail(slug);
        return { ok: status.build.state === 'ok', state: status.build.state, reason: status.build.reason, log: text.slice(-LOG_TAIL_CHARS) };
      },
    },
    bridge: {
      async query(slug, query) {
        const app = deps.registry.get(slug);
        if (!app) throw new AppError('not_found', `No app "${slug}". list_apps shows the apps.`);
        if (!app.storage) throw new AppError('not_found', `The app "${slug}" declares no storage tables in its matrix.json.`);
        const { reply, change } = await executeBridgeQuery(deps.db, app, query);
        if (change) deps.events.publish({ type: 'data:change', app: slug, ...change });
        return reply;
      },
    },
    canvas: {
      async window(req) {
        deps.events.publish({ type: 'canvas:window', ...req });
        return placeOnCanvas(req);
      },
      async openWindows() {
        if (!deps.canvas) return [];
        const latest = (await deps.canvas.list())[0];
        if (!latest) return [];
        const record = await deps.canvas.get(latest.id);
        return record.document.nodes.filter((n: CanvasNode) => n.kind === 'app' || n.kind === 'builtin').map((n: CanvasNode) => `${n.ref} at ${n.x},${n.y} (${n.w}×${n.h})`);
      },
    },
    memory: createMemoryStore(deps.db),
    schedule: {
      async add(cron, prompt) {
        try {
          parseCron(cron);
        } catch (err) {
          throw new AppError('validation', `The cron expression is not valid: ${(err as Error).message}.`, 'cron');
        }
        const row = await kdb.insertInto('kernel_schedules').values({ id: randomUUID(), cron, prompt, last_run_at: null }).returningAll().executeTakeFirstOrThrow();
        return { id: row.id, cron: row.cron, prompt: row.prompt };
      },
    },
    async notify(n) {
      deps.events.publish({ type: 'kernel:notify', ...n });
    },
    snapshot: (message) => snapshotHome(deps.homeDir, message),
    async recentActivity() {
      return [...activity];
    },
    close: unsubscribe,
  };
}
