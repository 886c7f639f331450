import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { writeAppManifest } from './support/apps.ts';
import { appLog, waitForApp, waitUntil } from './support/runtime.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// The runtime does not touch the database: one backend is enough.
const backend = testBackends()[0]!;
// A marker no other process on the machine has in its command line.
const HANG_SECONDS = '47.125';

/** Command lines of running processes that contain `marker`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(marker)) found.push(cmd.replaceAll('\0', ' '));
  }
  return found;
}

describe('one broken app never takes the others down', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway(backend, {
      prepareHome: async (home) => {
        await writeAppManifest(home, 'broken', '{ "name": "Broken", ');
        await writeAppManifest(home, 'fails', { name: 'Fails', runtime: 'static', build: { command: "echo compiling; echo 'syntax error in app.js' >&2; exit 3", output: 'out' } });
        await writeAppManifest(home, 'hangs', { name: 'Hangs', runtime: 'static', build: { command: `echo starting; sleep ${HANG_SECONDS}`, output: 'out', timeoutSec: 1 } });
        await writeAppManifest(home, 'exits', { name: 'Exits', runtime: 'node', serve: { start: `node -e "console.error('cannot open config'); process.exit(2)"` } });
        await writeAppManifest(home, 'own-deps', { name: 'Own deps', runtime: 'static', build: { install: 'echo installed > installed.txt && mkdir node_modules', command: 'mkdir -p out && cp installed.txt out/index.html', output: 'out' } });
        await writeFile(join(home, 'apps', 'own-deps', 'package.json'), '{ "private": true }');
        await writeFile(join(home, 'apps', 'own-deps', 'package-lock.json'), '{ "lockfileVersion": 3 }');
        await writeAppManifest(home, 'plain', { name: 'Plain', runtime: 'static' });
        await writeFile(join(home, 'apps', 'plain', 'index.html'), '<!doctype html><p>still here</p>');
      },
    });
  });
  afterAll(() => t?.close());

  const listed = async () => ((await (await t.owner('/api/apps')).json()) as { apps: { slug: string }[] }).apps.map((a) => a.slug);
  const stillServing = async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/apps/plain/`)).text()).toContain('still here');
  };

  it('shows why a broken manifest was refused, in the app list and in its log', async () => {
    const app = await waitForApp(t, 'broken', () => true);
    expect(app.status).toBe('invalid');
    expect(app.errors.join()).toMatch(/matrix\.json: not valid JSON/);
    expect(await appLog(t, 'broken')).toMatch(/manifest refused: matrix\.json: not valid JSON/);
    expect((await fetch(`${t.url}/apps/broken/`)).status).toBe(404);
    await stillServing();
  });

  it('shows a failed build with its exit code and output', async () => {
    const app = await waitForApp(t, 'fails', (a) => a.build?.state === 'failed');
    expect(app.build?.reason).toBe('build exited with code 3');
    const log = await appLog(t, 'fails');
    expect(log).toMatch(/syntax error in app\.js/);
    expect(log).toMatch(/build failed: build exited with code 3/);
    const res = await fetch(`${t.url}/apps/fails/`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/its build failed: build exited with code 3/);
    await stillServing();
  });

  it('stops a build that hangs past its timeout, with every process it started', async () => {
    const app = await waitForApp(t, 'hangs', (a) => a.build?.state === 'failed');
    expect(app.build?.reason).toBe('build timed out after 1 s and was stopped');
    expect(await appLog(t, 'hangs')).toMatch(/starting[\s\S]*build failed: build timed out after 1 s/);
    expect(await processesWith(`sleep ${HANG_SECONDS}`)).toEqual([]);
    await stillServing();
  });

  it('marks a node app that exits at once as failed after a crash loop, with the reason', async () => {
    const res = await fetch(`${t.url}/apps/exits/`);
    expect(res.status).toBe(503);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/crashed 5 times in 60 s; last: exited with code 2 \(cannot open config\)/);
    const app = await waitForApp(t, 'exits', (a) => a.process?.state === 'failed');
    expect(app.process?.reason).toMatch(/^crashed 5 times in 60 s; last: exited with code 2/);
    expect(await appLog(t, 'exits')).toMatch(/process failed: crashed 5 times/);
    // A failed app answers at once from then on.
    expect((await fetch(`${t.url}/apps/exits/`)).status).toBe(503);
    await stillServing();
  });

  it('runs build.install first for an app that brings its own package.json and lockfile', async () => {
    await waitForApp(t, 'own-deps', (a) => a.build?.state === 'ok');
    expect(await (await fetch(`${t.url}/apps/own-deps/`)).text()).toBe('installed\n');
    expect(await appLog(t, 'own-deps')).toMatch(/install: echo installed/);
  });

  it('follows apps added and removed while it runs, and ignores files beside them', async () => {
    await writeFile(join(t.homeDir, 'apps', 'README.md'), '# my apps');
    await writeAppManifest(t.homeDir, 'late', { name: 'Late', runtime: 'static' });
    await writeFile(join(t.homeDir, 'apps', 'late', 'index.html'), '<p>arrived later</p>');
    await waitForApp(t, 'late', (a) => a.status === 'ok');
    expect(await (await fetch(`${t.url}/apps/late/`)).text()).toContain('arrived later');
    await rm(join(t.homeDir, 'apps', 'late'), { recursive: true });
    await waitUntil(async () => !(await listed()).includes('late'), 'the removed app leaves the list');
    expect((await fetch(`${t.url}/apps/late/`)).status).toBe(404);
    expect(await listed()).not.toContain('README.md');
  });

  it('picks up a repaired manifest without a restart', async () => {
    await writeAppManifest(t.homeDir, 'broken', { name: 'Broken no more', runtime: 'static' });
    await writeFile(join(t.homeDir, 'apps', 'broken', 'index.html'), '<p>repaired</p>');
    await waitForApp(t, 'broken', (a) => a.status === 'ok');
    expect(await (await fetch(`${t.url}/apps/broken/`)).text()).toContain('repaired');
  });
});
