import type { ResolvedTarget } from './safe-path.ts';

/** A small file as it was last read: where it resolved and its bytes. */
export interface CachedFile {
  target: ResolvedTarget;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Small files recently served, by home-relative path, so a hot file costs no disk access at all.
 * A hit touches nothing on disk, so a link changed meanwhile can never redirect it outside the home;
 * the owner of the cache clears it on every change in the home (the watcher, the gateway's own
 * writes), and entries expire after `ttlMs` in case a change was missed.
 */
export class SmallFileCache {
  private readonly entries = new Map<string, CachedFile & { until: number }>();
  private bytes = 0;
  private generation = 0;

  constructor(
    private readonly ttlMs = 2_000,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  /** The cached file at `rel`, if still fresh. */
  get(rel: string): CachedFile | undefined {
    const e = this.entries.get(rel);
    if (!e) return undefined;
    if (e.until > Date.now()) return e;
    this.drop(rel);
    return undefined;
  }

  /** A token to pass to `set`: a read that started before a change must not be cached after it. */
  get stamp(): number {
    return this.generation;
  }

  /** Keeps a file read while the cache was at `stamp`; ignored if anything changed since. */
  set(rel: string, file: CachedFile, stamp: number): void {
    if (stamp !== this.generation) return;
    this.drop(rel);
    if (this.bytes + file.bytes.byteLength > this.maxBytes) this.clear();
    this.entries.set(rel, { ...file, until: Date.now() + this.ttlMs });
    this.bytes += file.bytes.byteLength;
  }

  /** Forgets everything (something in the home changed). */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }

  private drop(rel: string): void {
    const e = this.entries.get(rel);
    if (!e) return;
    this.entries.delete(rel);
    this.bytes -= e.bytes.byteLength;
  }
}
