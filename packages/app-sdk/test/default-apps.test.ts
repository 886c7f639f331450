import { cp, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@matrix-os/protocol';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const appsDir = join(root, 'home', 'apps');
const slugs = (await readdir(appsDir, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'node_modules').map((e) => e.name);

describe('the default apps', () => {
  it('include Tasks, Notes, Calculator, Clock and a game, and at least three keep data through the bridge', async () => {
    expect(slugs).toEqual(expect.arrayContaining(['tasks', 'notes', 'calculator', 'clock', 'snake']));
    const withTables = [];
    for (const slug of slugs) {
      const manifest = JSON.parse(await readFile(join(appsDir, slug, 'matrix.json'), 'utf8'));
      if (Object.keys(manifest.storage?.tables ?? {}).length > 0) withTables.push(slug);
    }
    expect(withTables.length).toBeGreaterThanOrEqual(3);
  });

  it.each(slugs)('%s: matrix.json is valid and describes a vite app with its files in place', async (slug) => {
    const dir = join(appsDir, slug);
    const parsed = parseManifest(JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')));
    if (!parsed.ok) throw new Error(`${slug}/matrix.json: ${parsed.errors.join('; ')}`);
    const m = parsed.manifest;
    expect(m.slug).toBe(slug);
    expect(m.runtime).toBe('vite');
    expect(m.build).toMatchObject({ command: 'vite build', output: 'dist' });
    expect(await stat(join(dir, m.icon!))).toBeTruthy();
    expect(await readFile(join(dir, 'vite.config.ts'), 'utf8')).toMatch(/base: '\.\/'/);
    // Apps build against the OS's shared toolchain: no package.json of their own.
    await expect(stat(join(dir, 'package.json'))).rejects.toThrow();
  });
});

describe('a real vite build of the Tasks app, laid out as in a Matrix home', () => {
  let home: string;
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('builds with only a node_modules link to the shared toolchain, into relative, self-contained files', async () => {
    home = await mkdtemp(join(tmpdir(), 'matrix-default-app-'));
    const apps = join(home, 'apps');
    await cp(join(appsDir, 'tasks'), join(apps, 'tasks'), { recursive: true, filter: (src) => !src.includes(`${join('tasks', 'dist')}`) });
    await symlink(join(root, 'node_modules'), join(apps, 'node_modules'), 'dir');
    const appDir = join(apps, 'tasks');
    await build({ root: appDir, configFile: join(appDir, 'vite.config.ts'), logLevel: 'silent' });

    const html = await readFile(join(appDir, 'dist', 'index.html'), 'utf8');
    const assets = await readdir(join(appDir, 'dist', 'assets'));
    const js = assets.find((a) => a.endsWith('.js'))!;
    expect(html).toContain(`src="./assets/${js}"`);
    expect(html).not.toMatch(/(src|href)="\/|https?:\/\//);
    const code = await readFile(join(appDir, 'dist', 'assets', js), 'utf8');
    // The SDK is compiled in (it calls the bridge), the protocol's Zod schemas are not.
    expect(code).toContain('/api/bridge/query');
    expect(code).not.toContain('ZodError');
    expect(code).not.toMatch(/https?:\/\/(fonts|cdn|unpkg)/);
  });
});
