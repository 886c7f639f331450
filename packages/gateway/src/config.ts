import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/v4';
import { DEFAULT_MODEL, type KernelSettings } from '@matrix-os/kernel';
import { originOf } from './middleware/origin/index.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// The repository's `home/` folder (three levels up from packages/gateway/src).
const DEFAULT_HOME_TEMPLATE = fileURLToPath(new URL('../../../home', import.meta.url));
// Where scripts/install-code-server.sh puts code-server and its Node runtime by default.
const DEFAULT_RUNTIME_DIR = fileURLToPath(new URL('../../../.matrix/runtime', import.meta.url));

/** `https://host[:port]` with nothing after it (a trailing `/` is fine). */
function isBareOrigin(s: string): boolean {
  if (!originOf(s)) return false;
  const u = new URL(s);
  return u.pathname === '/' && !u.search && !u.hash && !u.username && !s.endsWith('?') && !s.endsWith('#');
}

const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MATRIX_DATA_DIR: z.string().min(1).optional(),
  MATRIX_HOME: z.string().min(1).optional(),
  MATRIX_HOME_TEMPLATE: z.string().min(1).optional(),
  MATRIX_UPLOAD_MAX_MB: int(1, 1_048_576).default(1024),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  MATRIX_AUTH_MODE: z.enum(['owner', 'platform']).default('owner'),
  MATRIX_OWNER_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(200).optional(),
  MATRIX_PLATFORM_PUBLIC_KEY: z.string().includes('PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  MATRIX_PLATFORM_ISSUER: z.string().min(1).optional(),
  MATRIX_MACHINE_ID: z.string().min(1).max(200).optional(),
  MATRIX_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(10_000),
  MATRIX_REQUEST_TIMEOUT_MS: int(100, 600_000).default(15_000),
  MATRIX_BRIDGE_RATE_PER_SEC: int(1, 1_000_000).default(200),
  MATRIX_EDGE_SECRET_FILE: z.string().min(1).optional(),
  MATRIX_ALLOWED_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((list) => list.every(isBareOrigin), 'must be a comma-separated list of origins such as https://matrix-os.com (scheme and host, no path)')
    .transform((list) => list.map((o) => originOf(o)!))
    .default([]),
  MATRIX_APP_IDLE_SEC: int(1, 86_400).default(600),
  MATRIX_APP_MEMORY_MB: int(128, 65_536).default(1024),
  MATRIX_PUBLIC_URL: z.url().optional(),
  MATRIX_TERMINAL_MAX_SESSIONS: int(1, 1000).default(20),
  MATRIX_TERMINAL_IDLE_SEC: int(1, 31_536_000).default(604_800),
  MATRIX_TERMINAL_VIEWER_QUEUE_KB: int(64, 65_536).default(1024),
  MATRIX_TERMINAL_HEARTBEAT_SEC: int(1, 3600).default(30),
  MATRIX_RUNTIME_DIR: z.string().min(1).optional(),
  MATRIX_CODE_IDLE_SEC: int(10, 604_800).default(1800),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  MATRIX_KERNEL_MODEL: z.string().min(1).max(200).optional(),
  MATRIX_KERNEL_MAX_TURNS: int(1, 500).default(40),
  CLAUDE_CODE_MAX_RETRIES: int(0, 100).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The gateway's validated configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  dataDir: string;
  homeDir: string;
  /** The home template laid down at start (the repo's `home/`), or null when lay-down is off. */
  homeTemplateDir: string | null;
  /** Largest file one upload may write. */
  uploadMaxBytes: number;
  databaseUrl?: string;
  auth:
    | { mode: 'owner'; ownerPassword?: string }
    | { mode: 'platform'; publicKeyPem: string; machineId: string; issuer?: string };
  statementTimeoutMs: number;
  requestTimeoutMs: number;
  bridgeRatePerSec: number;
  /**
   * The secret the machine's edge adds to every request it passes on (see protocol/edge.ts): only a
   * request carrying it has its forwarding headers believed. `matrix start` makes one per start.
   */
  edgeSecret?: string;
  /** The nginx include file holding the edge secret (read at start; made when missing). */
  edgeSecretFile?: string;
  /** Origins besides the machine's own that may change state and open sockets (the platform's). */
  allowedOrigins: string[];
  /** A `node` app stops after this long without a request or an open socket. */
  appIdleMs: number;
  /** Memory cap of app builds and app processes (V8 heap, and twice that as data segment). */
  appMemoryMb: number;
  publicUrl?: string;
  logLevel: string;
  /** Terminal sessions that may run at once, and how long one with no viewer and no activity lives. */
  terminal: { maxSessions: number; idleMs: number; maxQueuedPerViewer: number; heartbeatMs: number };
  /** code-server: where it is installed, and how long it runs with no open editor. */
  codeEditor: { runtimeDir: string; idleMs: number };
  /** The AI kernel's model settings; null (kernel off) without ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL. */
  kernel: KernelSettings | null;
}

/** Thrown when the environment holds bad values; `lines` has one line per value. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`Invalid configuration:\n${lines.join('\n')}`);
  }
}

/** Reads and validates the gateway's environment; a bad value throws one clear line for each. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        // Never echo a secret back into a log.
        const shown = /PASSWORD|KEY|DATABASE_URL/.test(key) ? '' : ` (got ${JSON.stringify(present[key])})`;
        return `${key}: ${i.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const lines: string[] = [];
  if (e.MATRIX_AUTH_MODE === 'platform') {
    if (!e.MATRIX_PLATFORM_PUBLIC_KEY) lines.push('MATRIX_PLATFORM_PUBLIC_KEY: required when MATRIX_AUTH_MODE=platform');
    if (!e.MATRIX_MACHINE_ID) lines.push('MATRIX_MACHINE_ID: required when MATRIX_AUTH_MODE=platform');
  }
  if (lines.length) throw new ConfigError(lines);
  const dataDir = resolve(cwd, e.MATRIX_DATA_DIR ?? '.matrix');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    homeDir: resolve(cwd, e.MATRIX_HOME ?? resolve(dataDir, 'home')),
    homeTemplateDir: e.MATRIX_HOME_TEMPLATE === 'off' ? null : resolve(cwd, e.MATRIX_HOME_TEMPLATE ?? DEFAULT_HOME_TEMPLATE),
    uploadMaxBytes: e.MATRIX_UPLOAD_MAX_MB * 1024 * 1024,
    databaseUrl: e.DATABASE_URL,
    auth:
      e.MATRIX_AUTH_MODE === 'platform'
        ? { mode: 'platform', publicKeyPem: e.MATRIX_PLATFORM_PUBLIC_KEY!, machineId: e.MATRIX_MACHINE_ID!, issuer: e.MATRIX_PLATFORM_ISSUER }
        : { mode: 'owner', ownerPassword: e.MATRIX_OWNER_PASSWORD },
    statementTimeoutMs: e.MATRIX_STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.MATRIX_REQUEST_TIMEOUT_MS,
    bridgeRatePerSec: e.MATRIX_BRIDGE_RATE_PER_SEC,
    edgeSecretFile: e.MATRIX_EDGE_SECRET_FILE === undefined ? undefined : resolve(cwd, e.MATRIX_EDGE_SECRET_FILE),
    allowedOrigins: e.MATRIX_ALLOWED_ORIGINS,
    appIdleMs: e.MATRIX_APP_IDLE_SEC * 1000,
    appMemoryMb: e.MATRIX_APP_MEMORY_MB,
    publicUrl: e.MATRIX_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    terminal: { maxSessions: e.MATRIX_TERMINAL_MAX_SESSIONS, idleMs: e.MATRIX_TERMINAL_IDLE_SEC * 1000, maxQueuedPerViewer: e.MATRIX_TERMINAL_VIEWER_QUEUE_KB * 1024, heartbeatMs: e.MATRIX_TERMINAL_HEARTBEAT_SEC * 1000 },
    codeEditor: { runtimeDir: resolve(cwd, e.MATRIX_RUNTIME_DIR ?? DEFAULT_RUNTIME_DIR), idleMs: e.MATRIX_CODE_IDLE_SEC * 1000 },
    kernel:
      e.ANTHROPIC_API_KEY || e.ANTHROPIC_BASE_URL
        ? { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.MATRIX_KERNEL_MODEL ?? DEFAULT_MODEL, maxTurns: e.MATRIX_KERNEL_MAX_TURNS, maxRetries: e.CLAUDE_CODE_MAX_RETRIES }
        : null,
  };
}
