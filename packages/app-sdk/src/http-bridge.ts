import { errorFromBody, MatrixError } from './matrix-error.ts';
import type { BridgeTransport, DataChangeEvent } from './types.ts';

/** The parts of the WebSocket API the change feed uses (the browser's, or the `ws` package's in Node). */
export interface SocketLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  close(): void;
}
export type SocketFactory = new (url: string) => SocketLike;

export interface HttpBridgeOptions {
  /** The gateway's origin, e.g. `https://me.matrix-os.com` or `http://127.0.0.1:4000`. */
  origin: string;
  /** Returns the app credential; `refresh` asks for a new one after a 401. */
  token(refresh: boolean): Promise<string>;
  fetch?: typeof fetch;
  WebSocket?: SocketFactory;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/** Reads one `/ws` frame: its sequence number, whether it is `ready`, and a data:change event if it carries one. */
export function readEventFrame(data: unknown): { seq: number; ready: boolean; change: DataChangeEvent | null } | null {
  if (typeof data !== 'string') return null;
  let msg: { type?: unknown; seq?: unknown; event?: { type?: unknown } };
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  if ((msg?.type !== 'event' && msg?.type !== 'ready') || typeof msg.seq !== 'number') return null;
  const change = msg.type === 'event' && msg.event?.type === 'data:change' ? (msg.event as DataChangeEvent) : null;
  return { seq: msg.seq, ready: msg.type === 'ready', change };
}

/** A bridge transport over HTTP; `live()` resolves once the change feed is listening. */
export interface HttpBridge extends BridgeTransport {
  live(): Promise<void>;
}

/**
 * The bridge over HTTP with an app credential: `POST /api/bridge/query` for queries and one
 * `/ws?token=` socket for change events, opened while someone listens and resumed with `since`.
 */
export function createHttpBridge(options: HttpBridgeOptions): HttpBridge {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const listeners = new Set<(e: DataChangeEvent) => void>();
  let socket: SocketLike | null = null;
  let lastSeq: number | null = null;
  let retryMs = RECONNECT_MIN_MS;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let isLive = false;
  let liveWaiters: (() => void)[] = [];

  async function post(body: Record<string, unknown>, refresh: boolean): Promise<Response> {
    const token = await options.token(refresh);
    return doFetch(`${options.origin}/api/bridge/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function openSocket(): Promise<void> {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketFactory }).WebSocket;
    if (!Socket || listeners.size === 0 || socket) return;
    const token = await options.token(lastSeq !== null);
    if (listeners.size === 0 || socket) return;
    const url = new URL('/ws', options.origin.replace(/^http/, 'ws'));
    url.searchParams.set('token', token);
    if (lastSeq !== null) url.searchParams.set('since', String(lastSeq));
    const ws = new Socket(url.toString());
    socket = ws;
    ws.onopen = () => {
      retryMs = RECONNECT_MIN_MS;
    };
    ws.onmessage = (ev) => {
      const frame = readEventFrame(ev.data);
      if (!frame) return;
      // Replayed events come before `ready`, so the last seq seen is where a reconnect resumes.
      lastSeq = frame.seq;
      if (frame.change) for (const cb of [...listeners]) cb(frame.change);
      if (frame.ready && !isLive) {
        isLive = true;
        for (const wake of liveWaiters) wake();
        liveWaiters = [];
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      isLive = false;
      if (listeners.size === 0) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        openSocket().catch(() => {});
      }, retryMs);
      retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
    };
  }

  function closeSocket(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    isLive = false;
    ws?.close();
  }

  return {
    async query(body) {
      let res = await post(body, false);
      if (res.status === 401) res = await post(body, true);
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        throw new MatrixError('unavailable', `The gateway answered ${res.status} with something other than JSON.`);
      }
      if (!res.ok) throw errorFromBody(res.status, parsed);
      return parsed;
    },
    subscribe(cb) {
      listeners.add(cb);
      openSocket().catch(() => {});
      return () => {
        listeners.delete(cb);
        if (listeners.size === 0) closeSocket();
      };
    },
    live: () => (isLive ? Promise.resolve() : new Promise<void>((resolve) => liveWaiters.push(resolve))),
  };
}
