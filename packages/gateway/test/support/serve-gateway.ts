// A gateway in a process of its own, configured from the environment, for tests that must kill it
// outright. Prints MATRIX_GATEWAY_URL=<url> once it listens; SIGTERM stops it cleanly.
import { createLogger, loadConfig, startGateway } from '../../src/index.ts';

const gateway = await startGateway(loadConfig(process.env), { logger: createLogger('silent') });
console.log(`MATRIX_GATEWAY_URL=${gateway.url}`);
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void gateway.close().then(() => process.exit(0));
});
