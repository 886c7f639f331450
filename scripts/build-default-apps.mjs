#!/usr/bin/env node
// Builds every default app under home/apps into its dist/, and the app SDK's IIFE
// (packages/app-sdk/dist/matrix-os.js, a plain <script> that sets window.MatrixOS).
// An app whose dist/ is newer than all its sources is skipped unless --force is given.
//   node scripts/build-default-apps.mjs [--force] [slug …]
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appsDir = join(root, 'home', 'apps');
const sdkDir = join(root, 'packages', 'app-sdk');

/** Newest modification time of any file under `dir`, skipping dist/ and node_modules/. */
async function newestSource(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/** Whether `out` exists and is newer than every source in `dirs`. */
async function upToDate(out, dirs) {
  const built = await stat(out).catch(() => null);
  if (!built) return false;
  for (const dir of dirs) if ((await newestSource(dir)) > built.mtimeMs) return false;
  return true;
}

async function buildApp(slug, force) {
  const dir = join(appsDir, slug);
  // The SDK is compiled into each app, so a change to it rebuilds them all.
  if (!force && (await upToDate(join(dir, 'dist', 'index.html'), [dir, join(sdkDir, 'src')]))) {
    console.log(`  ${slug}: up to date`);
    return;
  }
  const started = Date.now();
  await build({ root: dir, configFile: join(dir, 'vite.config.ts'), logLevel: 'error', build: { outDir: 'dist', emptyOutDir: true } });
  console.log(`  ${slug}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function buildSdkGlobal(force) {
  const out = join(sdkDir, 'dist', 'matrix-os.js');
  if (!force && (await upToDate(out, [join(sdkDir, 'src'), join(root, 'packages', 'protocol', 'src')]))) {
    console.log('  app-sdk (matrix-os.js): up to date');
    return;
  }
  await build({
    root: sdkDir,
    configFile: false,
    logLevel: 'error',
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      lib: { entry: join(sdkDir, 'src', 'global.ts'), formats: ['iife'], name: 'MatrixOSSdk', fileName: () => 'matrix-os.js' },
    },
  });
  console.log('  app-sdk (matrix-os.js): built');
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const wanted = args.filter((a) => !a.startsWith('--'));
const slugs = (await readdir(appsDir, { withFileTypes: true }))
  .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
  .map((e) => e.name)
  .filter((slug) => wanted.length === 0 || wanted.includes(slug));
const unknown = wanted.filter((w) => !slugs.includes(w));
if (unknown.length) {
  console.error(`build-default-apps: no app named ${unknown.join(', ')} under home/apps`);
  process.exit(1);
}

console.log(`Building ${slugs.length} default app${slugs.length === 1 ? '' : 's'}${force ? ' (forced)' : ''}:`);
try {
  if (wanted.length === 0) await buildSdkGlobal(force);
} catch (err) {
  console.error(`build-default-apps: the app SDK's matrix-os.js failed to build: ${err?.message ?? err}`);
  process.exit(1);
}
for (const slug of slugs) {
  try {
    await buildApp(slug, force);
  } catch (err) {
    console.error(`build-default-apps: the app "${slug}" (home/apps/${slug}) failed to build:\n${err?.message ?? err}`);
    process.exit(1);
  }
}
console.log('Default apps ready.');
