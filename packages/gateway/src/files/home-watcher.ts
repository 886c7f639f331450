import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../logger.ts';
import { RESERVED_TOP } from './safe-path.ts';
import { UPLOAD_TEMP } from './write-file.ts';

const KINDS = new Set(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/** True for paths whose changes nobody needs to hear about: history, trash, dependencies, half-done uploads. */
export function ignoredByWatcher(rel: string): boolean {
  if (rel === '') return false;
  const parts = rel.split(sep);
  return RESERVED_TOP.has(parts[0]!.toLowerCase()) || parts.includes('node_modules') || UPLOAD_TEMP.test(rel);
}

/** A running watcher of the home; `close()` stops it. */
export interface HomeWatcher {
  close(): Promise<void>;
}

/**
 * Watches the home and publishes `file:change` on the event bus for every file or folder added,
 * changed or removed, with its home-relative path. Links are not followed (their targets may be
 * outside). Resolves once the initial scan is done, so changes after that are never missed.
 */
export async function watchHome(homeDir: string, events: EventBus, logger: Logger): Promise<HomeWatcher> {
  const watcher = watch(homeDir, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (path: string) => ignoredByWatcher(relative(homeDir, path)),
  });
  watcher.on('all', (kind, path) => {
    if (!KINDS.has(kind) || typeof path !== 'string') return;
    const rel = relative(homeDir, path).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) return;
    events.publish({ type: 'file:change', kind: kind as 'add', path: rel });
  });
  watcher.on('error', (err) => logger.warn({ err }, 'home watcher error'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close() };
}
