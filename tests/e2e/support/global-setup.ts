import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMachineProcess } from './machine-process.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the shell once per run (unless MATRIX_E2E_SKIP_BUILD=1) and starts one machine for every spec. */
export default async function globalSetup() {
  if (process.env.MATRIX_E2E_SKIP_BUILD !== '1') {
    const built = spawnSync('npm', ['run', 'build', '-w', 'shell'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('next build failed');
  }
  const machine = await startMachineProcess();
  process.env.MATRIX_E2E_URL = machine.url;
  return () => machine.stop();
}
