import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the shell once per run (unless MATRIX_E2E_SKIP_BUILD=1) and starts one machine for every spec. */
export default async function globalSetup() {
  if (process.env.MATRIX_E2E_SKIP_BUILD !== '1') {
    const built = spawnSync('npm', ['run', 'build', '-w', 'shell'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('next build failed');
  }
  // Its own process group, so the teardown stops tsx and the machine it runs together.
  const child = spawn('npx', ['tsx', 'tests/e2e/support/serve-machine.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /MATRIX_E2E_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the machine exited with code ${code} before it was ready`)));
  });
  process.env.MATRIX_E2E_URL = url;
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
}
