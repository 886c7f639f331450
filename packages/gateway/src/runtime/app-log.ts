import { appendFile, mkdir, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

const ROTATE_BYTES = 2 * 1024 * 1024;

/** `home/system/logs/apps/<slug>.log`: build output, process output and failure reasons of one app. */
export class AppLogs {
  // Appends are chained per app so lines keep their order.
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  pathOf(slug: string): string {
    return join(this.dir, `${slug}.log`);
  }

  /** Appends lines, each stamped with the time. Never throws: a full disk must not stop the app. */
  append(slug: string, ...lines: string[]): Promise<void> {
    const stamp = new Date().toISOString();
    const text = lines.map((l) => `${stamp} ${l}\n`).join('');
    const prev = this.queues.get(slug) ?? Promise.resolve();
    const next = prev.then(() => appendFile(this.pathOf(slug), text)).catch(() => {});
    this.queues.set(slug, next);
    return next;
  }

  /** Moves a log past 2 MiB aside to `<slug>.log.1` (called at the start of a build). */
  async rotate(slug: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.queues.get(slug);
    const st = await stat(this.pathOf(slug)).catch(() => null);
    if (st && st.size > ROTATE_BYTES) await rename(this.pathOf(slug), `${this.pathOf(slug)}.1`).catch(() => {});
  }

  /** The last `maxBytes` of the log, starting at a line boundary. */
  async tail(slug: string, maxBytes = 64 * 1024): Promise<{ text: string; truncated: boolean }> {
    await this.queues.get(slug);
    const fh = await open(this.pathOf(slug), 'r').catch(() => null);
    if (!fh) return { text: '', truncated: false };
    try {
      const { size } = await fh.stat();
      const start = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      let text = buf.toString('utf8');
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
      return { text, truncated: start > 0 };
    } finally {
      await fh.close();
    }
  }

  /** Waits for pending appends (before shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.queues.values());
  }
}
