// `npm test`: runs the whole suite on embedded PGlite and, when it answers, on the real
// PostgreSQL server too. With MATRIX_REQUIRE_POSTGRES=1 (CI) a missing server fails the run.
// Likewise the code editor: tested against the real code-server when scripts/install-code-server.sh
// has installed it; MATRIX_REQUIRE_CODE_SERVER=1 (CI) makes that half mandatory.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const url = process.env.MATRIX_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const required = process.env.MATRIX_REQUIRE_POSTGRES === '1';

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    console.error(`PostgreSQL at ${new URL(url).host} did not answer: ${err.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const havePostgres = await postgresAnswers();
if (!havePostgres && required) {
  console.error('MATRIX_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: the real-PostgreSQL half is mandatory here.');
  process.exit(1);
}
// Where the install script puts code-server (its default, or MATRIX_RUNTIME_DIR); a finished install leaves a stamp.
const runtimeDir = process.env.MATRIX_RUNTIME_DIR || fileURLToPath(new URL('../.matrix/runtime', import.meta.url));
const haveCodeServer = (() => {
  try {
    return readdirSync(join(runtimeDir, 'code-server')).some((f) => f.startsWith('.installed-'));
  } catch {
    return false;
  }
})();
if (!haveCodeServer && process.env.MATRIX_REQUIRE_CODE_SERVER === '1') {
  console.error(`MATRIX_REQUIRE_CODE_SERVER=1 but code-server is not installed in ${runtimeDir}: run scripts/install-code-server.sh.`);
  process.exit(1);
}

const env = {
  ...process.env,
  MATRIX_TEST_POSTGRES_URL: havePostgres ? url : '',
  MATRIX_TEST_CODE_SERVER_DIR: haveCodeServer ? runtimeDir : '',
  // The browser tests' machine finds the editor where the tests did.
  MATRIX_RUNTIME_DIR: runtimeDir,
};
const args = ['vitest', 'run', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
console.log('');
console.log(
  havePostgres
    ? `Database suites ran on embedded PGlite and on real PostgreSQL (${new URL(url).host}).`
    : 'NOTE: PostgreSQL was not reachable, so only the PGlite half of the database suites ran. Start PostgreSQL on 127.0.0.1:5432 (or set MATRIX_TEST_POSTGRES_URL) to run both.',
);
console.log(
  haveCodeServer
    ? `The code editor was tested against the real code-server in ${runtimeDir}.`
    : `NOTE: code-server is not installed (${runtimeDir}), so /code/ was tested with a stand-in only. Run scripts/install-code-server.sh (about 3 minutes) to test the real editor too.`,
);
// The whole suite (no filter) ends with the browser tests; MATRIX_SKIP_E2E=1 leaves them out.
const runE2e = process.argv.length === 2 && result.status === 0 && process.env.MATRIX_SKIP_E2E !== '1';
process.exit(runE2e ? (spawnSync('npm', ['run', 'test:e2e'], { stdio: 'inherit', env }).status ?? 1) : (result.status ?? 1));
