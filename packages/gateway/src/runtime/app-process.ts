import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readLines, spawnCommand, stopGroup } from './run-command.ts';
import { DEFAULT_POLICY, initialProcessState, stepProcess, type ProcessInput, type ProcessState, type SupervisorPolicy } from './process-state.ts';

/** What to run: a `node` app, or a bundled service such as the code editor. */
export interface ProcessSpec {
  /** Working directory of the command. */
  appDir: string;
  start: string;
  healthCheck: string | null;
  /** The allow-list environment; PORT and HOST are added per start. */
  env: Record<string, string>;
  memoryMb: number;
  /** Where the running process group is recorded. */
  recordDir: string;
}

export interface SupervisorOptions {
  /** Appends one line to the process's log. */
  log: (line: string) => void;
  /** Called on every phase change, with the reason of a failure or back-off. */
  onPhase: (phase: ProcessState['phase'], reason: string | null) => void;
  policy?: SupervisorPolicy;
  /** Stop the process after this long without a request or an open socket. */
  idleMs: number;
  /** How long a start may take to pass its health check. */
  startTimeoutMs?: number;
}

const HEALTH_INTERVAL_MS = 10_000;
const HEALTH_FAILURES = 3;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One GET against the app; true on any answer below 500 (or a 2xx/3xx for a declared health path). */
async function probe(port: number, path: string | null): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path ?? '/'}`, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    await res.body?.cancel();
    return path ? res.status < 400 : res.status < 500;
  } catch {
    return false;
  }
}

/** Runs one process on demand (a `node` app, the code editor): health-checked, restarted with back-off, failed after a crash loop, stopped when idle. */
export class AppProcess {
  private state: ProcessState = initialProcessState();
  private child: ChildProcess | null = null;
  private port: number | null = null;
  private generation = 0;
  private exitReason: string | null = null;
  private recentOutput: string[] = [];
  private waiters: { resolve: (port: number) => void; reject: (err: Error) => void }[] = [];
  private lastActivity = Date.now();
  private openSockets = 0;
  private healthFailures = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly policy: SupervisorPolicy;
  private readonly startTimeoutMs: number;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly o: SupervisorOptions,
  ) {
    this.policy = o.policy ?? DEFAULT_POLICY;
    this.startTimeoutMs = o.startTimeoutMs ?? 20_000;
    const every = Math.max(200, Math.min(o.idleMs / 4, 30_000));
    this.every(every, () => {
      const quiet = Date.now() - this.lastActivity >= this.o.idleMs;
      if (this.state.phase === 'running' && this.openSockets === 0 && quiet) {
        this.o.log(`process stopped after ${Math.round(this.o.idleMs / 1000)} s without use`);
        this.dispatch({ type: 'idle' });
      }
    });
    this.every(HEALTH_INTERVAL_MS, () => void this.checkHealth());
  }

  /** Phase and reason, for `GET /api/apps`. */
  status(): { state: ProcessState['phase']; reason: string | null } {
    return { state: this.state.phase, reason: this.state.reason };
  }

  /** Resolves with the port of a healthy process, starting one if needed; rejects with the reason it cannot run. */
  ensureRunning(timeoutMs = 30_000): Promise<number> {
    this.touch();
    if (this.closed) return Promise.reject(new Error('the app was stopped'));
    if (this.state.phase === 'running' && this.port !== null) return Promise.resolve(this.port);
    if (this.state.phase === 'failed') return Promise.reject(new Error(this.state.reason ?? 'failed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`did not become healthy within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const waiter = {
        resolve: (p: number) => (clearTimeout(timer), resolve(p)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      };
      this.waiters.push(waiter);
      this.dispatch({ type: 'demand' });
    });
  }

  /** Marks the app as in use (each proxied request). */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** A proxied WebSocket opened (+1) or closed (-1); open sockets keep the process from idling. */
  trackSocket(delta: 1 | -1): void {
    this.openSockets += delta;
    this.touch();
  }

  /** Forgets a crash loop so the next request starts the process again. */
  reset(): void {
    this.dispatch({ type: 'reset' });
  }

  /** Stops the process (if any) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.dispatch({ type: 'stop' });
    if (child) await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  }

  /** Stops the process and every timer for good. */
  async close(): Promise<void> {
    this.closed = true;
    // clearTimeout clears intervals too.
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.stop();
    for (const w of this.waiters.splice(0)) w.reject(new Error('the gateway is shutting down'));
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.add(t);
  }

  private dispatch(input: ProcessInput): void {
    const before = this.state.phase;
    const { state, effects } = stepProcess(this.state, input, Date.now(), this.policy);
    this.state = state;
    for (const e of effects) {
      if (e.type === 'spawn') void this.spawn();
      else if (e.type === 'kill') {
        if (this.child) void stopGroup(this.child);
        // Stopped while still looking for a port: there is no process to wait for.
        else queueMicrotask(() => this.dispatch({ type: 'exited', reason: 'stopped before it started' }));
      }
      else if (e.type === 'schedule-retry') {
        const t = setTimeout(() => (this.timers.delete(t), this.dispatch({ type: 'retry' })), e.delayMs);
        t.unref();
        this.timers.add(t);
      }
    }
    if (state.phase === before) return;
    this.o.onPhase(state.phase, state.phase === 'failed' || state.phase === 'backoff' ? state.reason : null);
    if (state.phase === 'running') for (const w of this.waiters.splice(0)) w.resolve(this.port!);
    if (state.phase === 'failed') {
      this.o.log(`process failed: ${state.reason}`);
      for (const w of this.waiters.splice(0)) w.reject(new Error(state.reason ?? 'failed'));
    }
    // A request that arrived while the process was being stopped (idle, rebuild) starts it again.
    if (state.phase === 'stopped' && this.waiters.length) {
      if (this.closed) for (const w of this.waiters.splice(0)) w.reject(new Error('stopped'));
      else this.dispatch({ type: 'demand' });
    }
  }

  private async spawn(): Promise<void> {
    const gen = ++this.generation;
    const port = await freePort();
    if (gen !== this.generation || this.state.phase !== 'starting') return;
    this.port = port;
    this.exitReason = null;
    this.recentOutput = [];
    this.o.log(`process start: ${this.spec.start} (PORT=${port})`);
    const child = spawnCommand({ command: this.spec.start, cwd: this.spec.appDir, env: { ...this.spec.env, PORT: String(port), HOST: '127.0.0.1' }, memoryMb: this.spec.memoryMb, recordDir: this.spec.recordDir });
    this.child = child;
    readLines(child, (line) => {
      this.recentOutput = [...this.recentOutput.slice(-4), line];
      this.o.log(`  ${line}`);
    });
    child.once('error', (err) => (this.exitReason = `could not start: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const last = this.recentOutput.at(-1);
      const reason = this.exitReason ?? `${signal ? `killed by ${signal}` : `exited with code ${code}`}${last ? ` (${last.slice(0, 300)})` : ''}`;
      if (this.state.phase !== 'stopping') this.o.log(`process ${reason}`);
      this.dispatch({ type: 'exited', reason });
    });
    const deadline = Date.now() + this.startTimeoutMs;
    while (this.child === child && this.state.phase === 'starting') {
      if (await probe(port, this.spec.healthCheck)) {
        if (this.child === child) this.dispatch({ type: 'healthy' });
        return;
      }
      if (Date.now() > deadline) {
        this.exitReason = `not healthy within ${Math.round(this.startTimeoutMs / 1000)} s${this.spec.healthCheck ? ` at ${this.spec.healthCheck}` : ''}`;
        void stopGroup(child);
        return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  private async checkHealth(): Promise<void> {
    const child = this.child;
    if (this.state.phase !== 'running' || !child || this.port === null) return;
    this.healthFailures = (await probe(this.port, this.spec.healthCheck)) ? 0 : this.healthFailures + 1;
    if (this.healthFailures >= HEALTH_FAILURES && this.child === child && this.state.phase === 'running') {
      this.healthFailures = 0;
      this.exitReason = `health check failed ${HEALTH_FAILURES} times in a row`;
      void stopGroup(child);
    }
  }
}
