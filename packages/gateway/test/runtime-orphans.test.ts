import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixtureApp, waitUntil } from './support/runtime.ts';

const SERVE = fileURLToPath(new URL('./support/serve-gateway.ts', import.meta.url));
const SLUG = 'echo-node';

/** Whether `pid` is a live process (a zombie nobody reaped yet counts as gone). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
}

/** Starts the gateway in its own process on `dataDir` (embedded PGlite) and resolves with its URL. */
function startGatewayProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: '0', MATRIX_DATA_DIR: dataDir, MATRIX_HOME: join(dataDir, 'home'), MATRIX_OWNER_PASSWORD: 'correct horse battery', MATRIX_HOME_TEMPLATE: 'off', LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /MATRIX_GATEWAY_URL=(\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with code ${code} before it listened`)));
  });
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));
const appPid = async (url: string) => ((await (await fetch(`${url}/apps/${SLUG}/env`)).json()) as { pid: number }).pid;

describe('processes left by a gateway that was killed outright', () => {
  let dataDir = '';
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('are stopped by the next start, which then runs the app afresh; a clean stop leaves no record', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'matrix-orphans-'));
    await copyFixtureApp(join(dataDir, 'home'), 'echo-node', SLUG);
    const first = await startGatewayProcess(dataDir);
    children.push(first.child);
    const orphan = await appPid(first.url);

    first.child.kill('SIGKILL');
    await exited(first.child);
    // Nothing stopped the app: it outlives the gateway that started it.
    expect(await isRunning(orphan)).toBe(true);

    const second = await startGatewayProcess(dataDir);
    children.push(second.child);
    await waitUntil(async () => !(await isRunning(orphan)), 'the orphaned app is gone', 10_000);
    const fresh = await appPid(second.url);
    expect(fresh).not.toBe(orphan);

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(await isRunning(fresh)).toBe(false);
    expect(await readdir(join(dataDir, 'run'))).toEqual([]);
  });
});
