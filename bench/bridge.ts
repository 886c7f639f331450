// `npm run bench -- bridge`: the app data bridge over HTTP (a) beside a bare Hono route running the
// same Kysely query (b) and the same SQL through pg in-process (c), on real PostgreSQL, 10,000 rows.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDb } from '@matrix-os/db';
import { createLogger, loadConfig, startGateway } from '@matrix-os/gateway';
import { autocannon, inProcess, median, printTable, type LoadResult } from './_support.ts';
import { dataApp, writeAppManifest } from '../packages/gateway/test/support/apps.ts';

const SERVER_URL = process.env.MATRIX_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const PASSWORD = 'bench-password-1';

const findQuery = { action: 'find', table: 'items', where: { done: false, priority: { $gte: 2 } }, orderBy: [['priority', 'desc']], limit: 50 };

function kysely(url: string) {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }) });
}

/** The same statements the bridge issues, written directly, for (b) and (c). */
function directQueries(db: Kysely<any>) {
  const items = () => db.withSchema('app_bench');
  return {
    find: () =>
      items().selectFrom('items').select(['id', 'created_at', 'updated_at', 'title', 'done', 'priority'])
        .where('done', '=', false).where('priority', '>=', 2)
        .orderBy('priority', 'desc').orderBy('id', 'asc').limit(51).offset(0).execute(),
    insert: (title: string) => items().insertInto('items').values({ id: crypto.randomUUID(), title, done: false, priority: 1 }).returning('id').execute(),
    update: (id: string, priority: number) =>
      items().updateTable('items').set({ priority, updated_at: sql`now()` })
        .where('id', 'in', items().selectFrom('items').select('id').where('id', '=', id)).returning('id').execute(),
  };
}

export default async function main(): Promise<void> {
  const dbName = `matrix_bench_${randomBytes(4).toString('hex')}`;
  const admin = kysely(SERVER_URL);
  await sql`create database ${sql.id(dbName)}`.execute(admin);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'matrix-bench-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await writeAppManifest(join(dataDir, 'home'), 'bench', {
      ...(dataApp('Bench', { items: { title: 'text', done: 'boolean', priority: 'integer' } }) as object),
      storage: { tables: { items: { columns: { title: 'text', done: 'boolean', priority: 'integer' }, indexes: [['done', 'priority']] } } },
    });
    const config = loadConfig({
      PORT: '0', MATRIX_DATA_DIR: dataDir, DATABASE_URL: url.toString(), MATRIX_OWNER_PASSWORD: PASSWORD,
      MATRIX_BRIDGE_RATE_PER_SEC: '1000000', LOG_LEVEL: 'silent',
    });
    const gateway = await startGateway(config, { logger: createLogger('silent') });
    closers.push(() => gateway.close());
    const login = await fetch(`${gateway.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const { token } = (await (await fetch(`${gateway.url}/api/apps/bench/session`, { method: 'POST', headers: { cookie } })).json()) as { token: string };
    const bridge = async (body: unknown) => {
      const res = await fetch(`${gateway.url}/api/bridge/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`bridge: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ ids: string[] }>;
    };
    process.stdout.write(`seeding ${ROWS} rows in PostgreSQL… `);
    const ids: string[] = [];
    for (let i = 0; i < ROWS; i += 500) {
      const data = Array.from({ length: 500 }, (_, j) => ({ title: `task ${i + j}`, done: (i + j) % 3 === 0, priority: (i + j) % 5 }));
      ids.push(...(await bridge({ action: 'insert', table: 'items', data })).ids);
    }
    console.log('done');

    // (b): a bare Hono route with the same Kysely statement: no auth, validation, scoping or limits.
    // (b) and (c) get a pool of their own with the gateway's own database settings, so what
    // differs between the paths is the bridge layer, not the client configuration.
    const direct = await createDb({ databaseUrl: url.toString(), statementTimeoutMs: config.statementTimeoutMs });
    const db = direct.db;
    closers.push(() => direct.close());
    const q = directQueries(db);
    // Steady state: the planner has statistics (autovacuum would otherwise analyze mid-run).
    await sql`analyze`.execute(db);
    const bare = new Hono()
      .post('/find', async (c) => {
        await c.req.json();
        return c.json({ rows: await q.find() });
      })
      .post('/insert', async (c) => {
        const body = (await c.req.json()) as { data: { title: string } };
        return c.json({ ids: (await q.insert(body.data.title)).map((r) => r.id) });
      })
      .post('/update', async (c) => {
        const body = (await c.req.json()) as { id: string; data: { priority: number } };
        return c.json({ changed: (await q.update(body.id, body.data.priority)).length });
      });
    const bareServer = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => bareServer.once('listening', r));
    closers.push(() => new Promise((r) => bareServer.close(r)));
    const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

    const sample = ids.filter((_, i) => i % 7 === 0).slice(0, 1000);
    const bodies = {
      find: [JSON.stringify(findQuery)],
      insert: Array.from({ length: 200 }, (_, i) => JSON.stringify({ action: 'insert', table: 'items', data: { title: `new ${i}`, done: false, priority: 1 } })),
      update: sample.map((id, i) => JSON.stringify({ action: 'update', table: 'items', id, data: { priority: i % 5 } })),
    };
    const results: Record<string, { a: LoadResult; b: LoadResult; c: LoadResult }> = {};
    const json = { 'content-type': 'application/json' };
    const actions = (process.env.BENCH_ACTIONS?.split(',') ?? ['find', 'insert', 'update']) as ('find' | 'insert' | 'update')[];
    for (const action of actions) {
      process.stdout.write(`measuring ${action}… `);
      // Warm both servers (JIT, pools, caches) before either is measured.
      for (const target of [`${gateway.url}/api/bridge/query`, `${bareUrl}/${action}`]) {
        await autocannon({ url: target, method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, bodies: bodies[action], connections: CONNECTIONS, seconds: 1 });
      }
      let n = 0;
      const measure = {
        a: () => autocannon({ url: `${gateway.url}/api/bridge/query`, method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, bodies: bodies[action], connections: CONNECTIONS, seconds: SECONDS }),
        b: () => autocannon({ url: `${bareUrl}/${action}`, method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, bodies: bodies[action], connections: CONNECTIONS, seconds: SECONDS }),
        c: () =>
          inProcess(() => (action === 'find' ? q.find() : action === 'insert' ? q.insert(`direct ${n++}`) : q.update(sample[n++ % sample.length]!, n % 5)), {
            concurrency: CONNECTIONS,
            seconds: SECONDS,
          }),
      };
      // Rounds in rotating order, so a burst of load elsewhere on the machine hits every path alike.
      const rounds: Record<'a' | 'b' | 'c', LoadResult[]> = { a: [], b: [], c: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = (['a', 'b', 'c'] as const).map((_, i, all) => all[(i + round) % all.length]!);
        for (const path of order) {
          const r = await measure[path]();
          if (r.errors || r.non2xx) throw new Error(`${action} (${path}): ${r.errors} errors, ${r.non2xx} non-2xx responses`);
          rounds[path].push(r);
        }
      }
      const a = median(rounds.a);
      const b = median(rounds.b);
      const c = median(rounds.c);
      results[action] = { a, b, c };
      console.log('done');
    }

    console.log(`\nPostgreSQL ${new URL(SERVER_URL).host}, ${ROWS} rows, ${CONNECTIONS} connections; median of ${ROUNDS} rounds of ${SECONDS} s per path\n`);
    const rows: (string | number)[][] = [];
    for (const [action, r] of Object.entries(results)) {
      for (const [label, m] of [['a bridge (HTTP)', r.a], ['b bare Hono + Kysely', r.b], ['c pg in-process', r.c]] as const) {
        rows.push([action, label, m.reqPerSec, m.p50, m.p99]);
      }
    }
    printTable(['action', 'path', 'req/s', 'p50 ms', 'p99 ms'], rows);
    console.log('');
    printTable(
      ['action', 'a/b', 'b/c', 'target a/b >= 0.80'],
      Object.entries(results).map(([action, r]) => [action, r.a.reqPerSec / r.b.reqPerSec, r.b.reqPerSec / r.c.reqPerSec, r.a.reqPerSec / r.b.reqPerSec >= 0.8 ? 'met' : 'MISSED']),
    );
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await sql`drop database if exists ${sql.id(dbName)} with (force)`.execute(admin).catch(() => {});
    await admin.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
