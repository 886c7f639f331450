import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderLock {
  release(): void;
}

/** Thrown when another live process already owns the folder. */
export class FolderLockedError extends Error {
  constructor(folder: string, pid: number) {
    super(`The database folder ${folder} is already in use by process ${pid}. Stop that Matrix OS first (or set MATRIX_DATA_DIR to another folder).`);
    this.name = 'FolderLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes an exclusive lock file in `folder`; a stale lock left by a dead process is taken over. */
export function acquireFolderLock(folder: string): FolderLock {
  const path = join(folder, 'matrix.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new FolderLockedError(folder, pid);
      try {
        unlinkSync(path);
      } catch {
        // another starter removed the stale lock first; retry
      }
    }
  }
  throw new Error(`Could not lock ${folder}`);
}
