import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestGateway } from './test-gateway.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/apps/', import.meta.url));

/** Copies `test/fixtures/apps/<name>` into the home as `apps/<slug>`. */
export async function copyFixtureApp(homeDir: string, name: string, slug = name): Promise<void> {
  await cp(join(FIXTURES, name), join(homeDir, 'apps', slug), { recursive: true });
}

/** One app as `GET /api/apps` lists it. */
export interface ListedApp {
  slug: string;
  status: string;
  errors: string[];
  build?: { state: string; reason: string | null; finishedAt: string | null };
  process?: { state: string; reason: string | null } | null;
  serving?: boolean;
}

/** Polls `GET /api/apps` until `slug` satisfies `ok`; fails with the last seen entry. */
export async function waitForApp(t: TestGateway, slug: string, ok: (a: ListedApp) => boolean, timeoutMs = 45_000): Promise<ListedApp> {
  const deadline = Date.now() + timeoutMs;
  let last: ListedApp | undefined;
  while (Date.now() < deadline) {
    const res = await t.owner('/api/apps');
    const { apps } = (await res.json()) as { apps: ListedApp[] };
    last = apps.find((a) => a.slug === slug);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`app ${slug} did not reach the expected state; last seen: ${JSON.stringify(last)}`);
}

/** Polls `check` until it holds; fails naming `what`. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** The app's log through the owner route. */
export async function appLog(t: TestGateway, slug: string): Promise<string> {
  const res = await t.owner(`/api/apps/${slug}/log`);
  if (!res.ok) throw new Error(`log of ${slug}: ${res.status}`);
  return ((await res.json()) as { log: string }).log;
}
