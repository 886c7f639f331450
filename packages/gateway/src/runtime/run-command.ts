import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { forgetGroup, recordGroup } from './process-records.ts';

const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p)) ?? null;

export interface CommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /**
   * The app's memory budget in MiB (its V8 heap cap, set through NODE_OPTIONS by the caller). The data
   * segment (RLIMIT_DATA) is capped at twice that; an address-space cap would break WebAssembly.
   */
  memoryMb: number;
  /** Where the group is recorded while it runs (see process-records.ts). */
  recordDir: string;
}

/**
 * Starts `sh -c command` as the leader of its own process group, under a memory cap, recorded while it runs.
 * Kill it with `killGroup` so grandchildren (npm → node → esbuild) go too.
 */
export function spawnCommand(o: CommandOptions): ChildProcess {
  const sh = ['/bin/sh', '-c', o.command];
  const argv = PRLIMIT ? [PRLIMIT, `--data=${o.memoryMb * 2 * 1024 * 1024}`, '--', ...sh] : sh;
  const child = spawn(argv[0]!, argv.slice(1), { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid !== undefined) {
    recordGroup(o.recordDir, pid);
    child.once('exit', () => forgetGroup(o.recordDir, pid));
  }
  return child;
}

/** Sends `signal` to the child's whole process group. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops the group politely, then for good after `graceMs`. Resolves when the child has exited. */
export function stopGroup(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const hard = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(hard);
      // Leftover grandchildren of a shell that already exited.
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Calls `onLine` for every complete line the child writes to stdout or stderr. */
export function readLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    });
    stream.on('end', () => {
      if (rest) onLine(rest);
      rest = '';
    });
  }
}

export type CommandResult = { ok: true } | { ok: false; reason: string };

/** Runs a command to completion with a timeout; every output line goes to `onLine`. */
export function runCommand(o: CommandOptions & { timeoutMs: number; onLine: (line: string) => void; signal?: AbortSignal }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawnCommand(o);
    let timedOut = false;
    let aborted = false;
    readLines(child, o.onLine);
    const timer = setTimeout(() => {
      timedOut = true;
      void stopGroup(child);
    }, o.timeoutMs);
    const onAbort = () => {
      aborted = true;
      void stopGroup(child);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start: ${err.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      killGroup(child, 'SIGKILL');
      if (timedOut) resolve({ ok: false, reason: `timed out after ${Math.round(o.timeoutMs / 1000)} s and was stopped` });
      else if (aborted) resolve({ ok: false, reason: 'cancelled' });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: signal ? `killed by ${signal}` : `exited with code ${code}` });
    });
  });
}
