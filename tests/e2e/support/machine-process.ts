import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** A machine served by `serve-machine.ts` in its own process group; `stop` ends tsx and the machine together. */
export interface MachineProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts one machine on a fresh data folder and resolves once it answers. */
export async function startMachineProcess(env: Record<string, string> = {}): Promise<MachineProcess> {
  const child = spawn('npx', ['tsx', 'tests/e2e/support/serve-machine.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true, env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /MATRIX_E2E_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the machine exited with code ${code} before it was ready`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
