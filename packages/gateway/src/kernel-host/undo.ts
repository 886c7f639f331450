import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';
import { homeHistory, snapshotHome } from '../home/home-git.ts';

const run = promisify(execFile);

/** Commit messages of the kernel's snapshots start with this. */
export const KERNEL_SNAPSHOT_PREFIX = 'kernel: ';

/**
 * Reverts the kernel's latest snapshot that was not undone yet, as a new commit (history is kept, so
 * an undo can itself be undone). Changes the user made since are kept; a clash with them is a 409.
 */
export async function undoLastKernelChange(homeDir: string): Promise<{ commit: string; message: string }> {
  // Whatever is in the home now is recorded first, so the revert starts from a clean tree.
  await snapshotHome(homeDir, 'before undo');
  const history = await homeHistory(homeDir, 200);
  const undone = new Set(history.filter((c) => c.message.startsWith('undo: ')).map((c) => c.message.slice(6)));
  const target = history.find((c) => c.message.startsWith(KERNEL_SNAPSHOT_PREFIX) && !undone.has(c.id));
  if (!target) throw new AppError('not_found', 'The kernel has made no change that can be undone.');
  const git = (args: string[]) =>
    run('git', ['-C', homeDir, '-c', 'core.hooksPath=/dev/null', '-c', 'user.name=Matrix OS', '-c', 'user.email=matrix@localhost', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
  try {
    await git(['revert', '--no-edit', '--no-commit', target.id]);
    await git(['commit', '-q', '--no-verify', '-m', `undo: ${target.id}`]);
  } catch {
    await git(['revert', '--abort']).catch(() => git(['reset', '-q', '--hard', 'HEAD']));
    throw new AppError('conflict', `"${target.message}" cannot be undone: the same files were changed after it.`);
  }
  return { commit: target.id, message: target.message };
}
