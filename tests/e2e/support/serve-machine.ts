// Runs one Matrix OS machine (gateway, shell standalone server, edge) for the browser tests, on a
// fresh data folder; prints `MATRIX_E2E_URL=<url>` once it answers, and stops on SIGTERM.
// With MATRIX_E2E_KERNEL=1 its AI kernel talks to a local scripted Messages API (kernel-script.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@matrix-os/gateway';
import { startMachine } from '../../../packages/cli/src/start-machine.ts';
import { startScriptedAnthropic } from '../../../packages/kernel/test/support/scripted-anthropic.ts';
import { e2eKernelScript } from './kernel-script.ts';

export const E2E_PASSWORD = 'e2e owner password';

const shellDir = fileURLToPath(new URL('../../../shell', import.meta.url));
const dataDir = await mkdtemp(join(tmpdir(), 'matrix-e2e-'));
const anthropic = process.env.MATRIX_E2E_KERNEL === '1' ? await startScriptedAnthropic(e2eKernelScript) : null;
const kernelEnv = anthropic ? { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: 'e2e-key', CLAUDE_CODE_MAX_RETRIES: '0' } : { ANTHROPIC_BASE_URL: '', ANTHROPIC_API_KEY: '' };
const config = loadConfig({ ...process.env, ...kernelEnv, PORT: '0', HOST: '127.0.0.1', MATRIX_DATA_DIR: dataDir, MATRIX_HOME: '', DATABASE_URL: '', MATRIX_OWNER_PASSWORD: E2E_PASSWORD, LOG_LEVEL: process.env.MATRIX_E2E_LOG ?? 'warn' });
const machine = await startMachine(config, { shellDir, log: (line) => console.error(line) });
if (!machine.shell) throw new Error('the shell is not built');
console.log(`MATRIX_E2E_URL=${machine.url}`);
let stopping = false;
const stop = async () => {
  // The signal comes twice (to the group, and relayed by tsx): a second one must not cut the first short.
  if (stopping) return;
  stopping = true;
  await machine.stop().catch(() => {});
  // Terminal sessions outlive a gateway on purpose; this machine's data folder goes, so its tmux goes too.
  await machine.gateway.deps.terminals?.tmux.killServer().catch(() => {});
  await anthropic?.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
