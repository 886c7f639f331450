import type { GatewayEvent } from '@matrix-os/protocol';
import { socketUrl } from './api.ts';

type Listener = (event: GatewayEvent) => void;

/**
 * The tab's one `/ws` connection as the owner. Reconnects with back-off and resumes with `since`,
 * so listeners see each event once.
 */
export class EventSocket {
  private ws: WebSocket | null = null;
  private lastSeq: number | null = null;
  private retryMs = 500;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();

  /** Starts listening; returns the function that stops. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.ws && !this.timer) this.open();
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
  }

  private open(): void {
    const ws = new WebSocket(socketUrl(this.lastSeq === null ? '/ws' : `/ws?since=${this.lastSeq}`));
    this.ws = ws;
    ws.onopen = () => (this.retryMs = 500);
    ws.onmessage = (ev) => {
      let msg: { type?: string; seq?: number; event?: GatewayEvent };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg.seq === 'number') this.lastSeq = msg.seq;
      if (msg.type === 'event' && msg.event) for (const l of [...this.listeners]) l(msg.event);
    };
    ws.onclose = () => {
      this.ws = null;
      if (this.closed) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.open();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    };
  }
}

let shared: EventSocket | null = null;
/** The tab's event socket, opened on first use. */
export function eventSocket(): EventSocket {
  return (shared ??= new EventSocket());
}
