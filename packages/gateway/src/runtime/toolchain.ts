import { existsSync } from 'node:fs';
import { lstat, readlink, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The default build config for apps without their own (React, relative base). */
export const SHARED_VITE_CONFIG = fileURLToPath(new URL('./shared-vite.config.mjs', import.meta.url));

/** The OS's own node_modules (the one that holds vite), found upward from this package. */
export function findSharedNodeModules(from = dirname(SHARED_VITE_CONFIG)): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'vite', 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error('The shared app toolchain (node_modules/vite) was not found above the gateway package.');
  }
}

/** Points `<appsDir>/node_modules` at the shared toolchain so every app folder resolves vite, react and the SDK. */
export async function linkSharedToolchain(appsDir: string, nodeModules: string): Promise<void> {
  const link = join(appsDir, 'node_modules');
  const st = await lstat(link).catch(() => null);
  if (st?.isSymbolicLink() && (await readlink(link)) === nodeModules) return;
  // A real folder there is the user's own; leave it alone.
  if (st && !st.isSymbolicLink()) return;
  if (st) await rm(link);
  await symlink(nodeModules, link, 'dir');
}

const PACKAGE_BUILD = /^\s*(pnpm( run)? build|npm run build|yarn( run)? build|bun run build)\s*$/;
const VITE_CONFIGS = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'];

/**
 * The shell command that builds an app. `pnpm build` (and friends) in an app with no package.json
 * means "vite build with the shared toolchain"; apps with a package.json run their own script.
 */
export function resolveBuildCommand(command: string, files: { hasPackageJson: boolean; hasViteConfig: boolean }): string {
  const isVite = /^\s*vite build\s*$/.test(command) || (PACKAGE_BUILD.test(command) && !files.hasPackageJson);
  if (!isVite) return command;
  return files.hasViteConfig ? 'vite build --base ./' : `vite build --base ./ --config '${SHARED_VITE_CONFIG.replaceAll("'", `'\\''`)}'`;
}

/** Which of the files that steer `resolveBuildCommand` an app folder holds. */
export function inspectAppFolder(appDir: string): { hasPackageJson: boolean; hasViteConfig: boolean; lockfile: string | null } {
  const lockfile = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock'].find((f) => existsSync(join(appDir, f))) ?? null;
  return {
    hasPackageJson: existsSync(join(appDir, 'package.json')),
    hasViteConfig: VITE_CONFIGS.some((f) => existsSync(join(appDir, f))),
    lockfile,
  };
}
