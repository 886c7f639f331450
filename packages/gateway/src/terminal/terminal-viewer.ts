import { TERMINAL_CLOSE, type TerminalServerMessage } from '@matrix-os/protocol';

/** Where a viewer's frames go: a WebSocket in the gateway, anything alike in a test. */
export interface ViewerSink {
  sendBinary(data: Buffer): void;
  sendText(text: string): void;
  /** Bytes handed to the socket and not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  /** Drops the connection at once (a client that does not read never finishes a close handshake). */
  terminate(): void;
}

// A closing slow viewer gets this long to take its close frame before the connection is cut.
const CLOSE_GRACE_MS = 1000;

/**
 * One attached socket. Output is batched: chunks that arrive in the same turn of the event loop
 * leave as one binary frame. A viewer whose unsent bytes pass `maxQueued` is closed (4008) instead
 * of growing the gateway's memory; it reconnects with its last seq and gets the missed bytes.
 */
export class TerminalViewer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  closed = false;

  constructor(
    private readonly sink: ViewerSink,
    private readonly maxQueued: number,
    private readonly onClosed: (viewer: TerminalViewer) => void,
  ) {}

  /** Bytes this viewer holds that the client has not received: the batch plus the socket's buffer. */
  queuedBytes(): number {
    return this.closed ? 0 : this.pendingBytes + this.sink.bufferedAmount();
  }

  /** Queues live output for the next frame. */
  push(chunk: Buffer): void {
    if (this.closed) return;
    if (this.queuedBytes() + chunk.length > this.maxQueued) return this.close(TERMINAL_CLOSE.tooSlow, 'too far behind; reconnect with your last seq', true);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends a frame at once (the replay on attach), ahead of any batched output. */
  sendNow(data: Buffer): void {
    if (!this.closed && data.length > 0) this.sink.sendBinary(data);
  }

  /** Sends one JSON message. */
  message(msg: TerminalServerMessage): void {
    if (!this.closed) this.sink.sendText(JSON.stringify(msg));
  }

  private flush(): void {
    this.scheduled = false;
    if (this.closed || this.pendingBytes === 0) return;
    const frame = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.sink.sendBinary(frame);
  }

  /** Closes the socket; `cut` also drops it if the client does not take the close frame soon. */
  close(code: number, reason: string, cut = false): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.onClosed(this);
    try {
      this.sink.close(code, reason);
    } catch {
      this.sink.terminate();
    }
    if (cut) setTimeout(() => this.sink.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** The socket went away by itself. */
  gone(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.onClosed(this);
  }
}
