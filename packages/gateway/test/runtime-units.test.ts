import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@matrix-os/protocol';
import { buildAppEnv } from '../src/runtime/app-env.ts';
import { waitUntil } from './support/runtime.ts';
import { reapRecordedGroups, recordGroup } from '../src/runtime/process-records.ts';
import { killGroup, spawnCommand } from '../src/runtime/run-command.ts';
import { planApp } from '../src/runtime/app-plan.ts';
import { appContentSecurityPolicy, inlineScriptHashes } from '../src/runtime/csp.ts';
import { safeSegments } from '../src/runtime/serve-path.ts';
import { serveStatic } from '../src/runtime/static-files.ts';
import { resolveBuildCommand, SHARED_VITE_CONFIG } from '../src/runtime/toolchain.ts';

const manifest = (m: unknown) => {
  const r = parseManifest(m);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.manifest;
};

describe('what an app process may see of the environment', () => {
  it('keeps only the allow-list: no database URL, no token, no key', () => {
    const env = buildAppEnv({
      parent: { PATH: '/usr/bin', LANG: 'en_US.UTF-8', HOME: '/root', DATABASE_URL: 'postgres://x', MATRIX_OWNER_PASSWORD: 'pw', ANTHROPIC_API_KEY: 'sk', GITHUB_TOKEN: 't', PGPASSWORD: 'p' },
      home: '/data/app-home',
      toolchainBin: '/os/node_modules/.bin',
      memoryMb: 512,
      nodeEnv: 'production',
      extra: { PORT: '4100', MATRIX_APP_TOKEN: 'leak' },
    });
    expect(env).toEqual({
      PATH: '/os/node_modules/.bin:/usr/bin',
      LANG: 'en_US.UTF-8',
      HOME: '/data/app-home',
      TMPDIR: '/data/app-home',
      NODE_ENV: 'production',
      CI: '1',
      NO_COLOR: '1',
      NODE_OPTIONS: '--max-old-space-size=512',
      PORT: '4100',
    });
  });
});

describe('planning an app from its manifest', () => {
  it('gives a vite app the default build and serves its output', () => {
    const r = planApp(manifest({ name: 'A', runtime: 'vite' }));
    expect(r.ok && r.plan).toMatchObject({ runtime: 'vite', serveDir: 'dist', build: { command: 'vite build', output: 'dist', timeoutMs: 120_000 } });
  });

  it('honours timeoutSec, and the legacy timeout field', () => {
    const a = planApp(manifest({ name: 'A', runtime: 'vite', build: { command: 'pnpm build', timeoutSec: 30 } }));
    const b = planApp(manifest({ name: 'A', runtime: 'vite', build: { command: 'pnpm build', timeout: 45 } }));
    expect(a.ok && a.plan.build?.timeoutMs).toBe(30_000);
    expect(b.ok && b.plan.build?.timeoutMs).toBe(45_000);
  });

  it('refuses an output outside the app and a node app without a start command', () => {
    expect(planApp(manifest({ name: 'A', runtime: 'vite', build: { command: 'x', output: '../../system' } }))).toEqual({ ok: false, errors: ['build.output: must be a plain folder inside the app'] });
    expect(planApp(manifest({ name: 'A', runtime: 'vite', build: { command: 'x', output: '/etc' } })).ok).toBe(false);
    expect(planApp(manifest({ name: 'A', runtime: 'node' }))).toEqual({ ok: false, errors: ['serve.start: required for runtime "node"'] });
  });
});

describe('the shared toolchain', () => {
  it('maps a package build without a package.json to vite with the shared config', () => {
    for (const cmd of ['pnpm build', 'npm run build', 'yarn build', 'vite build']) {
      expect(resolveBuildCommand(cmd, { hasPackageJson: false, hasViteConfig: false })).toBe(`vite build --base ./ --config '${SHARED_VITE_CONFIG}'`);
    }
    expect(resolveBuildCommand('pnpm build', { hasPackageJson: false, hasViteConfig: true })).toBe('vite build --base ./');
    expect(resolveBuildCommand('pnpm build', { hasPackageJson: true, hasViteConfig: true })).toBe('pnpm build');
    expect(resolveBuildCommand('make site', { hasPackageJson: false, hasViteConfig: false })).toBe('make site');
  });
});

describe('the content security policy of app documents', () => {
  it('allows an inline script only by its hash', () => {
    const html = '<html><script>window.a = 1;</script><script type="module" src="./x.js"></script></html>';
    const hashes = inlineScriptHashes(html);
    // printf 'window.a = 1;' | openssl dgst -sha256 -binary | base64
    expect(hashes).toEqual(['sha256-ShPZs6SyOIfeOg7tsGkUC0BIIQiM/4HlSLumBwNEK6k=']);
    const csp = appContentSecurityPolicy(hashes);
    expect(csp).toContain(`script-src 'self' 'sha256-ShPZs6SyOIfeOg7tsGkUC0BIIQiM/4HlSLumBwNEK6k='`);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('unsafe-eval');
    // Opened directly (not in the shell's frame), an app still gets an opaque origin.
    expect(csp).toMatch(/^sandbox allow-scripts[^;]*;/);
    expect(csp).not.toContain('allow-same-origin');
  });
});

// A stand-in for a video: distinct bytes, so every cut can be checked.
const MEDIA = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

describe('serving files from an app folder', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'matrix-serve-'));
    dir = join(root, 'app', 'dist');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><p>home</p>');
    await writeFile(join(dir, 'assets', 'a.js'), 'export {}');
    await writeFile(join(dir, 'assets', 'clip.bin'), MEDIA);
    await writeFile(join(dir, '.env'), 'SECRET=1');
    await writeFile(join(root, 'app', 'secret.txt'), 'outside the output');
    await symlink(join(root, 'app', 'secret.txt'), join(dir, 'leak.txt'));
    await symlink(root, join(dir, 'up'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const get = (path: string) => serveStatic(dir, path, { method: 'GET' });

  it('refuses every way out of the output folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/.env', '/%00index.html', '/leak.txt', '/up/app/secret.txt', '/%E0%A4%A']) {
      expect(await get(p), p).toBeNull();
    }
  });

  it('splits and decodes path segments, refusing dot names', () => {
    expect(safeSegments('/assets/a%20b.js')).toEqual(['assets', 'a b.js']);
    expect(safeSegments('/a/./b')).toBeNull();
  });

  it('falls back to index.html only for paths without an extension', async () => {
    expect(await (await get('/tasks/42'))!.text()).toContain('home');
    expect(await get('/assets/missing.js')).toBeNull();
    const js = (await get('/assets/a.js'))!;
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers byte ranges (a video player seeking), also right after the whole file was served', async () => {
    const ranged = (range: string, more: Record<string, string> = {}) => serveStatic(dir, '/assets/clip.bin', { method: 'GET', range, ...more });
    const whole = (await get('/assets/clip.bin'))!;
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(MEDIA);
    const part = (await ranged('bytes=10-19'))!;
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(MEDIA.subarray(10, 20));
    const tail = (await ranged('bytes=-5'))!;
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(MEDIA.subarray(995));
    const outside = (await ranged('bytes=2000-'))!;
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */1000');
    // A range of an older version of the file (If-Range) gets the whole current file.
    expect((await ranged('bytes=0-1', { ifRange: 'W/"stale"' }))!.status).toBe(200);
    // A document is never cut: its CSP hashes cover the whole of it.
    expect((await serveStatic(dir, '/index.html', { method: 'GET', range: 'bytes=0-3' }))!.status).toBe(200);
  });
});

describe('records of the process groups the gateway started', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('are kept while a group runs and reaped whole (grandchildren too), but a pid now held by another process is spared', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matrix-records-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    // A leader with a child of its own, as `npm start` → node would be.
    const orphan = spawnCommand({ command: 'sleep 300 & exec sleep 301', cwd: dir, env, memoryMb: 64, recordDir: dir });
    const reused = spawnCommand({ command: 'exec sleep 302', cwd: dir, env, memoryMb: 64, recordDir: dir });
    try {
      const exits = [orphan, reused].map((c) => new Promise((r) => c.once('exit', r)));
      expect((await readdir(dir)).sort()).toEqual([`${orphan.pid}.pid`, `${reused.pid}.pid`].sort());
      // As if that pid had ended and been handed to an unrelated process since.
      await writeFile(join(dir, `${reused.pid}.pid`), '1');

      expect(reapRecordedGroups(dir)).toBe(1);
      await exits[0];
      expect(alive(reused.pid!)).toBe(true);
      expect(await readdir(dir)).toEqual([]);
      // The reaped leader's background sleep went with its group.
      await waitUntil(async () => !alive(-orphan.pid!), 'the whole group is gone', 5_000);
      recordGroup(dir, 999_999_999);
      expect(reapRecordedGroups(dir)).toBe(0);
    } finally {
      for (const c of [orphan, reused]) killGroup(c, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
