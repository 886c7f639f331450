import type { Manifest } from '@matrix-os/protocol';

/** How the runtime builds and serves one app, derived from its manifest. */
export interface AppPlan {
  runtime: 'vite' | 'static' | 'node';
  build: BuildPlan | null;
  /** Folder served at `/apps/<slug>/`, relative to the app folder ('' = the folder itself). */
  serveDir: string;
  /** `node` apps only. */
  start: string | null;
  healthCheck: string | null;
}

export interface BuildPlan {
  command: string;
  /** Output folder relative to the app folder. */
  output: string;
  timeoutMs: number;
  install: string | null;
}

export const DEFAULT_BUILD_TIMEOUT_SEC = 120;

/** Refuses output folders that would escape the app folder or hide inside a dot folder. */
function checkOutput(output: string): string | null {
  const parts = output.split('/').filter((p) => p !== '' && p !== '.');
  if (output.startsWith('/') || output.includes('\\') || output.includes('\0')) return 'build.output: must be a folder inside the app';
  if (parts.length === 0) return 'build.output: must name a folder inside the app, not the app itself';
  if (parts.some((p) => p === '..' || p.startsWith('.') || p === 'node_modules')) return 'build.output: must be a plain folder inside the app';
  return null;
}

/** Derives the build and serve plan; returns reasons when the manifest cannot run. */
export function planApp(manifest: Manifest): { ok: true; plan: AppPlan } | { ok: false; errors: string[] } {
  const runtime = manifest.runtime;
  const b = manifest.build;
  // A vite app without a build section gets the shared toolchain's default build.
  const raw = b ?? (runtime === 'vite' ? { command: 'vite build', output: 'dist' } : undefined);
  const errors: string[] = [];
  let build: BuildPlan | null = null;
  if (raw) {
    const output = raw.output ?? 'dist';
    const bad = checkOutput(output);
    if (bad) errors.push(bad);
    const sec = b?.timeoutSec ?? b?.timeout ?? DEFAULT_BUILD_TIMEOUT_SEC;
    build = { command: raw.command, output: output.replace(/\/+$/, '').replace(/^\.\//, ''), timeoutMs: sec * 1000, install: b?.install ?? null };
  }
  if (runtime === 'node' && !manifest.serve?.start) errors.push('serve.start: required for runtime "node"');
  const healthCheck = manifest.serve?.healthCheck ?? null;
  if (healthCheck !== null && !healthCheck.startsWith('/')) errors.push('serve.healthCheck: must be a path starting with /');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    plan: {
      runtime,
      build,
      serveDir: runtime === 'node' ? '' : (build?.output ?? ''),
      start: runtime === 'node' ? manifest.serve!.start : null,
      healthCheck,
    },
  };
}
