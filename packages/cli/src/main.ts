import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@matrix-os/gateway';
import { startMachine } from './start-machine.ts';

const SHELL_DIR = fileURLToPath(new URL('../../../shell', import.meta.url));

/** `matrix start`: runs this machine (edge, shell, gateway) on the embedded defaults (PGlite, ./.matrix). */
async function start(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) console.error(`matrix: ${line}`);
      process.exit(2);
    }
    throw err;
  }
  console.log(`Matrix OS is starting (data in ${config.dataDir}, database: ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'})…`);
  const machine = await startMachine(config, { shellDir: SHELL_DIR, log: (line) => console.log(line) });
  console.log('');
  if (machine.setupUrl) {
    console.log('  Matrix OS is ready. Open this link to choose your owner password:');
    console.log(`  ${machine.setupUrl}`);
  } else {
    console.log(`  Matrix OS is ready: open ${machine.url}`);
  }
  console.log('');
  const stop = async () => {
    await machine.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const command = process.argv[2] ?? 'start';
if (command === 'start') {
  start().catch((err) => {
    console.error(`matrix: could not start: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
} else {
  console.error(`matrix: unknown command "${command}". Try: matrix start`);
  process.exit(2);
}
