/**
 * The last `capacity` bytes of a session's output, numbered by their offset in the stream since
 * the gateway attached (`seq`). A reconnecting viewer gets exactly what it missed while that is
 * still here; older bytes fall off and the viewer gets a snapshot instead.
 */
export class OutputRing {
  private readonly buf: Buffer;
  private head = 0;
  /** Offset of the next byte to be written. */
  end = 0;

  constructor(readonly capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Offset of the oldest byte still held. */
  get start(): number {
    return Math.max(0, this.end - this.capacity);
  }

  /** Appends output. */
  append(chunk: Buffer): void {
    let data = chunk;
    if (data.length > this.capacity) data = data.subarray(data.length - this.capacity);
    const first = Math.min(data.length, this.capacity - this.head);
    data.copy(this.buf, this.head, 0, first);
    if (first < data.length) data.copy(this.buf, 0, first);
    this.head = (this.head + data.length) % this.capacity;
    this.end += chunk.length;
  }

  /** The bytes from `seq` to the end, or null when `seq` is no longer (or not yet) held. */
  since(seq: number): Buffer | null {
    if (!Number.isInteger(seq) || seq < this.start || seq > this.end) return null;
    const length = this.end - seq;
    const out = Buffer.allocUnsafe(length);
    const from = (this.head - length + this.capacity) % this.capacity;
    const first = Math.min(length, this.capacity - from);
    this.buf.copy(out, 0, from, from + first);
    if (first < length) this.buf.copy(out, first, 0, length - first);
    return out;
  }
}
