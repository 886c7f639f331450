import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KeyedLock } from '../files/keyed-lock.ts';

const run = promisify(execFile);
const repoLock = new KeyedLock();

// What history does not keep: the trash, dependencies, build output and logs (all can be rebuilt
// or are not the user's work). Kept in .git/info/exclude so nothing extra appears in the home.
const EXCLUDE = ['/.trash/', 'node_modules/', 'dist/', '.matrix-last-good/', '/system/logs/', '*.~upload-*', ''].join('\n');

// Only the home's own config counts: never the machine's global or system git config, never the
// environment of whoever started the gateway, and never hooks (files in the home must not run).
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

async function git(homeDir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', homeDir, '-c', 'core.hooksPath=/dev/null', ...args], { env: gitEnv(), maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Makes the home a git repository with its own author, unless it already is one; true when created. */
export async function ensureHomeRepo(homeDir: string): Promise<boolean> {
  if (await access(join(homeDir, '.git')).then(() => true, () => false)) return false;
  await mkdir(homeDir, { recursive: true });
  await git(homeDir, ['init', '-q', '-b', 'main']);
  await git(homeDir, ['config', 'user.name', 'Matrix OS']);
  await git(homeDir, ['config', 'user.email', 'matrix@localhost']);
  await git(homeDir, ['config', 'commit.gpgsign', 'false']);
  await writeFile(join(homeDir, '.git', 'info', 'exclude'), EXCLUDE);
  return true;
}

/**
 * Records every change in the home as one commit; returns its id, or null when nothing changed.
 * Calls for the same home run one after another.
 */
export function snapshotHome(homeDir: string, message: string): Promise<string | null> {
  return repoLock.run(homeDir, async () => {
    await ensureHomeRepo(homeDir);
    await git(homeDir, ['add', '-A']);
    if ((await git(homeDir, ['status', '--porcelain'])).trim() === '') return null;
    await git(homeDir, ['commit', '-q', '--no-verify', '-m', message]);
    return (await git(homeDir, ['rev-parse', 'HEAD'])).trim();
  });
}

/** One commit of the home's history. */
export interface HomeCommit {
  id: string;
  message: string;
  date: string;
}

/** The latest `limit` commits of the home, newest first (empty when it has no history yet). */
export async function homeHistory(homeDir: string, limit = 50): Promise<HomeCommit[]> {
  const out = await git(homeDir, ['log', `-n${Math.max(1, Math.floor(limit))}`, '--format=%H%x1f%cI%x1f%s']).catch(() => '');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, date, message] = line.split('\x1f');
      return { id: id!, date: date!, message: message ?? '' };
    });
}
