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
      // npx exits at once; the machine behind it is done only when its whole group is gone.
      const group = -child.pid!;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      process.kill(group, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(group, 'SIGKILL');
    },
  };
}
