import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isIgnoredName } from './freshness.ts';

export interface AppWatcherOptions {
  appsDir: string;
  /** Paths (relative to the app folder) whose changes are the runtime's own doing, e.g. the build output. */
  ownedPaths: (slug: string) => readonly string[];
  /** Called once per app after its changes settle. */
  onChange: (slug: string) => void;
  debounceMs?: number;
}

/** Follows `home/apps` (apps added, changed, removed) and reports each touched app once its changes settle. */
export class AppWatcher {
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: AppWatcherOptions) {}

  /** Starts watching; resolves once the initial scan is done so later changes are seen. */
  async start(): Promise<void> {
    this.watcher = watch(this.o.appsDir, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path) => this.ignored(path),
    });
    this.watcher.on('all', (_event, path) => {
      const slug = typeof path === 'string' ? this.slugOf(path) : null;
      if (slug) this.touch(slug);
    });
    this.watcher.on('error', () => {});
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    await this.watcher?.close();
  }

  private slugOf(path: string): string | null {
    const rel = relative(this.o.appsDir, path);
    if (!rel || rel.startsWith('..')) return null;
    const slug = rel.split(sep)[0]!;
    return isIgnoredName(slug) ? null : slug;
  }

  private ignored(path: string): boolean {
    const rel = relative(this.o.appsDir, path);
    if (!rel || rel.startsWith('..')) return false;
    const parts = rel.split(sep);
    if (parts.some(isIgnoredName)) return true;
    const inApp = parts.slice(1).join('/');
    return inApp !== '' && this.o.ownedPaths(parts[0]!).some((p) => inApp === p || inApp.startsWith(`${p}/`));
  }

  private touch(slug: string): void {
    clearTimeout(this.pending.get(slug));
    this.pending.set(
      slug,
      setTimeout(() => {
        this.pending.delete(slug);
        this.o.onChange(slug);
      }, this.o.debounceMs ?? 300),
    );
  }
}
