// `npm test`: runs the whole suite on embedded PGlite and, when it answers, on the real
// PostgreSQL server too. With MATRIX_REQUIRE_POSTGRES=1 (CI) a missing server fails the run.
import { spawnSync } from 'node:child_process';
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
const env = { ...process.env, ...(havePostgres ? { MATRIX_TEST_POSTGRES_URL: url } : { MATRIX_TEST_POSTGRES_URL: '' }) };
const args = ['vitest', 'run', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
console.log('');
console.log(
  havePostgres
    ? `Database suites ran on embedded PGlite and on real PostgreSQL (${new URL(url).host}).`
    : 'NOTE: PostgreSQL was not reachable, so only the PGlite half of the database suites ran. Start PostgreSQL on 127.0.0.1:5432 (or set MATRIX_TEST_POSTGRES_URL) to run both.',
);
// The whole suite (no filter) ends with the browser tests; MATRIX_SKIP_E2E=1 leaves them out.
const runE2e = process.argv.length === 2 && result.status === 0 && process.env.MATRIX_SKIP_E2E !== '1';
process.exit(runE2e ? (spawnSync('npm', ['run', 'test:e2e'], { stdio: 'inherit', env }).status ?? 1) : (result.status ?? 1));
