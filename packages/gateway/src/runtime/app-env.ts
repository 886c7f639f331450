import { delimiter } from 'node:path';

/** Variables copied from the gateway's environment when present; nothing else ever is. */
export const INHERITED_ENV = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TERM'] as const;

export interface AppEnvOptions {
  /** The gateway's own environment, read only for the allow-listed names. */
  parent: Record<string, string | undefined>;
  /** HOME and TMPDIR for app processes: a folder of their own, not the gateway user's dotfiles. */
  home: string;
  /** Prepended to PATH so `vite` resolves to the shared toolchain. */
  toolchainBin: string;
  /** V8 heap cap in MiB. */
  memoryMb: number;
  nodeEnv: 'production' | 'development';
  /** Added last (for example PORT); checked against the deny-list too. */
  extra?: Record<string, string>;
}

// Defence in depth: even an explicit extra value under these names is dropped.
const DENIED = /^(DATABASE_URL|PG[A-Z]*|MATRIX_.*|ANTHROPIC_.*|CLAUDE_.*|AWS_.*|R2_.*|CLERK_.*|PIPEDREAM_.*|.*(TOKEN|SECRET|PASSWORD|API_KEY|PRIVATE_KEY).*)$/i;

/** The environment of a build or an app process: an allow-list, never the gateway's secrets. */
export function buildAppEnv(o: AppEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const v = o.parent[name];
    if (v) env[name] = v;
  }
  env.PATH = [o.toolchainBin, env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(delimiter);
  env.LANG ??= 'C.UTF-8';
  env.HOME = o.home;
  env.TMPDIR = o.home;
  env.NODE_ENV = o.nodeEnv;
  env.CI = '1';
  env.NO_COLOR = '1';
  env.NODE_OPTIONS = `--max-old-space-size=${o.memoryMb}`;
  for (const [k, v] of Object.entries(o.extra ?? {})) env[k] = v;
  for (const k of Object.keys(env)) if (DENIED.test(k)) delete env[k];
  return env;
}
