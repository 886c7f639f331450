import { access, chmod, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { homeHistory, layDownHome, snapshotHome } from '../src/index.ts';
import { planLayDown } from '../src/home/lay-down-plan.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const exists = (p: string) => access(p).then(() => true, () => false);

async function put(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
}

describe('planLayDown', () => {
  it('adds new files, updates untouched ones, keeps what the user changed or deleted', () => {
    const { actions, manifest } = planLayDown(
      { new: 't1', untouched: 't2', changed: 't2', deleted: 't2', same: 's' },
      { untouched: 't1', changed: 't1', deleted: 't1', same: 's', dropped: 'd', droppedEdited: 'd' },
      { new: null, untouched: 't1', changed: 'user', deleted: null, same: 's', dropped: 'd', droppedEdited: 'mine' },
    );
    expect(actions).toEqual({ new: 'add', untouched: 'update', changed: 'keep', deleted: 'keep', same: 'same', dropped: 'remove', droppedEdited: 'keep' });
    expect(manifest).toEqual({ new: 't1', untouched: 't2', changed: 't1', deleted: 't1', same: 's' });
  });

  it('a file the user made before the template had it is the user\'s', () => {
    expect(planLayDown({ a: 't' }, {}, { a: 'user' }).actions).toEqual({ a: 'keep' });
  });
});

describe('layDownHome', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'matrix-home-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lays the template down, then updates it around the user\'s changes, recording each step in git', async () => {
    const template = join(dir, 'template');
    const home = join(dir, 'home');
    await put(template, {
      'system/README.md': 'system v1',
      'apps/tasks/matrix.json': '{"v":1}',
      'apps/tasks/dist/index.html': '<p>v1</p>',
      'apps/tasks/node_modules/dep/index.js': 'skip me',
      'agents/helper.md': 'helper v1',
      'data/README.md': 'data',
      'skills/old.md': 'old skill',
    });

    const first = await layDownHome(template, home);
    expect(first.added.sort()).toEqual(['agents/helper.md', 'apps/tasks/dist/index.html', 'apps/tasks/matrix.json', 'data/README.md', 'skills/old.md', 'system/README.md']);
    expect(await readFile(join(home, 'apps/tasks/dist/index.html'), 'utf8')).toBe('<p>v1</p>');
    expect(await exists(join(home, 'apps/tasks/node_modules'))).toBe(false);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await homeHistory(home)).map((c) => c.id)).toEqual([first.commit]);

    // The user edits one file and deletes another; the template moves on.
    await writeFile(join(home, 'agents/helper.md'), 'my own helper');
    await unlink(join(home, 'data/README.md'));
    await put(template, { 'agents/helper.md': 'helper v2', 'system/README.md': 'system v2', 'data/README.md': 'data v2', 'apps/notes/matrix.json': '{}' });
    await rm(join(template, 'skills/old.md'));

    const second = await layDownHome(template, home);
    expect(second.added).toEqual(['apps/notes/matrix.json']);
    expect(second.updated).toEqual(['system/README.md']);
    expect(second.removed).toEqual(['skills/old.md']);
    expect(second.kept.sort()).toEqual(['agents/helper.md', 'data/README.md']);
    expect(await readFile(join(home, 'agents/helper.md'), 'utf8')).toBe('my own helper');
    expect(await readFile(join(home, 'system/README.md'), 'utf8')).toBe('system v2');
    expect(await exists(join(home, 'data/README.md'))).toBe(false);
    expect(await exists(join(home, 'skills/old.md'))).toBe(false);
    const history = await homeHistory(home);
    // The user's own edits are committed apart from the template's update.
    expect(history.map((c) => c.message)).toEqual([expect.stringMatching(/^Update from the home template: 1 added, 1 updated, 1 removed/), 'Changes made outside Matrix OS', 'Lay down the Matrix home']);

    // A user who puts the template's old text back gets later updates again.
    await writeFile(join(home, 'agents/helper.md'), 'helper v1');
    await layDownHome(template, home);
    expect(await readFile(join(home, 'agents/helper.md'), 'utf8')).toBe('helper v2');
    const quiet = await layDownHome(template, home);
    expect(quiet.commit).toBeNull();
  });

  it('snapshotHome commits changes, returns null when nothing changed, and never runs hooks from the home', async () => {
    const home = join(dir, 'snap');
    await put(home, { 'a.txt': 'a' });
    const id = await snapshotHome(home, 'first');
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(await snapshotHome(home, 'nothing')).toBeNull();
    const marker = join(dir, 'hook-ran');
    await writeFile(join(home, '.git/hooks/pre-commit'), `#!/bin/sh\ntouch ${marker}\n`);
    await chmod(join(home, '.git/hooks/pre-commit'), 0o755);
    await writeFile(join(home, 'a.txt'), 'b');
    const [x, y] = await Promise.all([snapshotHome(home, 'edit'), snapshotHome(home, 'again')]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(await exists(marker)).toBe(false);
    expect((await homeHistory(home)).map((c) => c.message)).toEqual(['edit', 'first']);
  });
});

describe('a gateway with a home template', () => {
  const pglite = testBackends().find((b) => b.kind === 'pglite')!;
  let t: TestGateway;
  let template: string;

  beforeAll(async () => {
    template = await mkdtemp(join(tmpdir(), 'matrix-template-'));
    await put(template, {
      'apps/hello/matrix.json': JSON.stringify({ name: 'Hello', runtime: 'static' }),
      'apps/hello/index.html': '<h1>hello</h1>',
      'system/README.md': 'v1',
    });
    t = await startTestGateway(pglite, { env: { MATRIX_HOME_TEMPLATE: template } });
  });
  afterAll(async () => {
    await t?.close();
    await rm(template, { recursive: true, force: true });
  });

  it('shows the template\'s apps on first start and keeps the user\'s edits across a restart', async () => {
    const apps = (await (await t.owner('/api/apps')).json()) as { apps: { slug: string }[] } | { slug: string }[];
    const slugs = (Array.isArray(apps) ? apps : apps.apps).map((a) => a.slug);
    expect(slugs).toContain('hello');
    await t.owner('/files/apps/hello/index.html', { method: 'PUT', body: '<h1>mine</h1>' });
    await writeFile(join(template, 'apps/hello/index.html'), '<h1>hello v2</h1>');
    await writeFile(join(template, 'system/README.md'), 'v2');
    await t.stop();
    await t.restart();
    expect(await (await t.owner('/files/apps/hello/index.html')).text()).toBe('<h1>mine</h1>');
    expect(await (await t.owner('/files/system/README.md')).text()).toBe('v2');
  });
});
