import { ConfigError, loadConfig, startGateway } from '@matrix-os/gateway';

/** `matrix start`: runs this machine's gateway on the embedded defaults (PGlite, ./.matrix). */
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
  console.log(`Matrix OS is starting (data in ${config.dataDir}${config.databaseUrl ? ', database: PostgreSQL' : ', database: embedded PGlite'})…`);
  const gateway = await startGateway(config);
  console.log('');
  if (gateway.setupUrl) {
    console.log(`  Matrix OS is ready. Open this link to choose your owner password:`);
    console.log(`  ${gateway.setupUrl}`);
  } else {
    console.log(`  Matrix OS is ready at ${gateway.url}`);
  }
  console.log('');
  const stop = async () => {
    await gateway.close();
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
