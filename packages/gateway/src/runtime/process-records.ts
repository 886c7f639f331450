import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file per process group the gateway started (apps, builds, the code editor), removed when the
 * group's leader exits. A gateway that was killed outright (SIGKILL, OOM, power cut outside systemd)
 * leaves its files behind, and the next start stops those groups before starting anything new.
 */

/** Where a gateway on `dataDir` keeps its process records. */
export const processRecordDir = (dataDir: string): string => join(dataDir, 'run');

/** The kernel's start time of `pid` (clock ticks since boot): with the pid it names one process for good. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: count fields from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Notes that a group led by `pid` is running. */
export function recordGroup(dir: string, pid: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${pid}.pid`), startTimeOf(pid) ?? '');
  } catch {
    // Best effort: a full disk must not stop the process the record is about.
  }
}

/** Forgets the group led by `pid` (its leader exited). */
export function forgetGroup(dir: string, pid: number): void {
  rmSync(join(dir, `${pid}.pid`), { force: true });
}

/**
 * Kills every group recorded in `dir` and clears the records; returns how many groups were signalled.
 * A pid now held by another process (its start time differs) is left alone. A pid nobody holds may
 * still name a live group whose leader died first: Linux does not reuse a pid while it is a group id.
 */
export function reapRecordedGroups(dir: string): number {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^\d+\.pid$/.test(f));
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const file of files) {
    const pid = Number(file.slice(0, -4));
    const recorded = readFileSync(join(dir, file), 'utf8').trim();
    const now = startTimeOf(pid);
    if (now === null || (recorded !== '' && now === recorded)) {
      try {
        process.kill(-pid, 'SIGKILL');
        reaped++;
      } catch {
        // No such group any more.
      }
    }
    rmSync(join(dir, file), { force: true });
  }
  return reaped;
}
