import type { CanvasDocument, CanvasOp, CanvasRecord, CanvasSocketMessage } from '@matrix-os/protocol';
import { applyCanvasOps } from '@matrix-os/protocol/browser';
import { api, ApiError, socketUrl } from '../lib/api.ts';
import { bootApi } from '../lib/boot.ts';

/** What a tab shows of a canvas: the server's document with this tab's unsent changes on top. */
export interface CanvasView {
  id: string;
  name: string;
  revision: number;
  document: CanvasDocument;
  status: 'loading' | 'ready' | 'deleted' | 'error';
  error?: string;
}

interface Batch {
  tag: string;
  ops: CanvasOp[];
}

/** Applies what still applies; an operation on a node another tab removed is skipped. */
function applyTolerant(doc: CanvasDocument, ops: readonly CanvasOp[]): CanvasDocument {
  let next = doc;
  for (const op of ops) {
    try {
      next = applyCanvasOps(next, [op]);
    } catch {
      // Another tab changed the node away; the server refuses the same operation, so skip it here too.
    }
  }
  return next;
}

let tabCounter = 0;

/**
 * One canvas open in this tab. Local changes show at once and are sent one batch at a time with
 * the revision they were made on; the canvas socket brings every committed change (this tab's
 * too) in revision order. A 409 reloads the document and sends the batch again on top of it, so
 * two tabs editing one node end in the same state.
 */
export class CanvasSession {
  private confirmed: CanvasRecord | null = null;
  private pending: Batch[] = [];
  private sending = false;
  private ws: WebSocket | null = null;
  private closed = false;
  private retryMs = 500;
  private seq = 0;
  private readonly tab = `${Date.now().toString(36)}${(tabCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  private view: CanvasView;
  private readonly listeners = new Set<() => void>();

  constructor(readonly id: string) {
    this.view = { id, name: '', revision: 0, document: { version: 1, nodes: [] }, status: 'loading' };
    void this.reload();
    this.connect();
  }

  /** The current view (stable identity until something changes). */
  get snapshot(): CanvasView {
    return this.view;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies changes locally at once and queues them for the gateway. */
  change(ops: CanvasOp[]): void {
    if (ops.length === 0 || this.view.status !== 'ready') return;
    this.pending.push({ tag: `${this.tab}.${++this.seq}`, ops });
    this.emit();
    void this.flush();
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private emit(): void {
    const c = this.confirmed;
    if (c) {
      this.view = {
        ...this.view,
        name: c.name,
        revision: c.revision,
        document: this.pending.reduce((doc, b) => applyTolerant(doc, b.ops), c.document),
        status: this.view.status === 'deleted' ? 'deleted' : 'ready',
        error: this.view.error,
      };
    }
    for (const l of [...this.listeners]) l();
  }

  private async reload(): Promise<void> {
    try {
      this.confirmed = await bootApi<CanvasRecord>(`/api/canvas/${this.id}`);
      this.view = { ...this.view, status: 'ready' };
    } catch (err) {
      this.view = { ...this.view, status: err instanceof ApiError && err.status === 404 ? 'deleted' : 'error', error: (err as Error).message };
    }
    this.emit();
  }

  private async flush(): Promise<void> {
    if (this.sending || this.closed) return;
    const batch = this.pending[0];
    const base = this.confirmed;
    if (!batch || !base) return;
    this.sending = true;
    try {
      const body = JSON.stringify({ baseRevision: base.revision, ops: batch.ops, clientId: batch.tag });
      // keepalive lets a change made just before the tab closes still arrive; browsers cap such bodies at 64 KiB (bytes, not characters).
      const keepalive = new TextEncoder().encode(body).length < 60_000;
      const { revision } = await api<{ revision: number }>(`/api/canvas/${this.id}/ops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, keepalive });
      // The socket may not have brought it yet: take it now when it follows what we have.
      if (this.pending[0] === batch) {
        if (this.confirmed && this.confirmed.revision === revision - 1) {
          this.confirmed = { ...this.confirmed, revision, document: applyCanvasOps(this.confirmed.document, batch.ops) };
          this.pending.shift();
        } else if (this.confirmed && this.confirmed.revision < revision) {
          await this.reload();
          this.pending = this.pending.filter((b) => b !== batch);
        } else this.pending = this.pending.filter((b) => b !== batch);
      }
      this.retryMs = 500;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await this.reload();
      } else if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
        // Refused (the node is gone, or the change is invalid): drop it and show the document as stored.
        this.pending = this.pending.filter((b) => b !== batch);
        this.view = { ...this.view, error: err.message };
      } else {
        await new Promise((r) => setTimeout(r, this.retryMs));
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
      }
    } finally {
      this.sending = false;
    }
    this.emit();
    if (this.pending.length) void this.flush();
  }

  private onMessage(msg: CanvasSocketMessage): void {
    const c = this.confirmed;
    if (msg.type === 'deleted') {
      this.view = { ...this.view, status: 'deleted' };
      return this.emit();
    }
    if (!c) return;
    if (msg.type === 'renamed') {
      this.confirmed = { ...c, name: msg.name };
    } else if (msg.type === 'ready') {
      if (msg.revision !== c.revision) void this.reload();
      return;
    } else if (msg.type === 'ops') {
      if (msg.revision <= c.revision) return;
      if (msg.revision !== c.revision + 1) return void this.reload();
      this.confirmed = { ...c, revision: msg.revision, document: applyTolerant(c.document, msg.ops) };
      if (this.pending[0]?.tag === msg.clientId) this.pending.shift();
    } else if (msg.type === 'replaced') {
      if (msg.revision <= c.revision) return;
      this.confirmed = { ...c, revision: msg.revision, document: msg.document };
    } else return;
    this.emit();
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(socketUrl(`/ws/canvas/${this.id}`));
    this.ws = ws;
    ws.onmessage = (ev) => {
      try {
        this.onMessage(JSON.parse(String(ev.data)) as CanvasSocketMessage);
      } catch {
        // Not ours to understand: ignore.
      }
    };
    ws.onclose = () => {
      if (this.closed || this.view.status === 'deleted') return;
      setTimeout(() => this.connect(), 1000);
    };
  }
}
