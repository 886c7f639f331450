import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@matrix-os/gateway';

export interface ShellProcess {
  port: number;
  stop(): Promise<void>;
}

/** The built shell's standalone server, or null when `next build` has not run. */
export function shellServerPath(shellDir: string): string | null {
  const server = join(shellDir, '.next/standalone/shell/server.js');
  return existsSync(server) ? server : null;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the shell exited with code ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error('the shell did not start in time');
}

/** Starts the shell's production server on a private port; it only ever talks to the gateway through the edge. */
export async function startShellProcess(serverPath: string, onLine: (line: string) => void): Promise<ShellProcess> {
  const port = await freePort();
  // The shell holds no secret: it gets only what it needs to serve pages.
  const child = spawn(process.execPath, [serverPath], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), HOSTNAME: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach((l) => onLine(l)));
  }
  await waitForPort(port, child, 30_000);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
