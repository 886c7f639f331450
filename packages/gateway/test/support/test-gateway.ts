import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends, type TestBackend, type TestDatabase } from '@matrix-os/db/testing';
import { createLogger, loadConfig, startGateway, type RunningGateway } from '../../src/index.ts';

export const OWNER_PASSWORD = 'correct horse battery';

/** A gateway on a fresh data dir and database, signed in as the owner. */
export interface TestGateway {
  url: string;
  gateway: RunningGateway;
  dataDir: string;
  homeDir: string;
  database: TestDatabase;
  /** Cookie header of a signed-in owner session. */
  ownerCookie: string;
  /** fetch() against the gateway as the owner. */
  owner(path: string, init?: RequestInit): Promise<Response>;
  /** An app credential for `slug` (issued through the real route). */
  appToken(slug: string): Promise<string>;
  /** POST /api/bridge/query with an app credential. */
  bridge(token: string, body: unknown): Promise<Response>;
  /** Stops the gateway and keeps the data (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again on the same data dir and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a real gateway for a test: own temp folder, own database on the given backend. */
export async function startTestGateway(backend: TestBackend, options: { env?: Record<string, string>; prepareHome?: (homeDir: string) => Promise<void>; onQuery?: (sql: string) => void; ownerSignIn?: boolean } = {}): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'matrix-test-'));
  const homeDir = join(dataDir, 'home');
  const database = await backend.create();
  if (options.prepareHome) await options.prepareHome(homeDir);
  const config = loadConfig({
    PORT: '0',
    MATRIX_DATA_DIR: dataDir,
    MATRIX_HOME: homeDir,
    MATRIX_OWNER_PASSWORD: OWNER_PASSWORD,
    LOG_LEVEL: 'silent',
    // Tests start from an empty home; pass MATRIX_HOME_TEMPLATE in `env` to lay a template down.
    MATRIX_HOME_TEMPLATE: 'off',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const logger = createLogger(process.env.MATRIX_TEST_LOG ?? 'silent');
  let gateway = await startGateway(config, { logger, onQuery: options.onQuery });
  let url = gateway.url;

  const signIn = async () => {
    if (options.ownerSignIn === false) return '';
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: OWNER_PASSWORD }),
    });
    if (!res.ok) throw new Error(`test sign-in failed: ${res.status}`);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };

  const t: TestGateway = {
    get url() {
      return url;
    },
    get gateway() {
      return gateway;
    },
    dataDir,
    homeDir,
    database,
    ownerCookie: await signIn(),
    owner: (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { cookie: t.ownerCookie, ...(init.headers as Record<string, string>) } }),
    async appToken(slug) {
      const res = await t.owner(`/api/apps/${slug}/session`, { method: 'POST' });
      if (!res.ok) throw new Error(`app session for ${slug} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    bridge: (token, body) =>
      fetch(`${url}/api/bridge/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    stop: () => gateway.close(),
    async restart() {
      gateway = await startGateway(config, { logger, onQuery: options.onQuery });
      url = gateway.url;
      t.ownerCookie = await signIn();
    },
    async close() {
      await gateway.close().catch(() => {});
      // Terminal sessions outlive a gateway on purpose; a test's own tmux server must not.
      await gateway.deps.terminals?.tmux.killServer();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Runs `fn` once per database backend (PGlite always, PostgreSQL when the suite has one). */
export function eachBackend(fn: (backend: TestBackend) => void): void {
  for (const backend of testBackends()) fn(backend);
}
