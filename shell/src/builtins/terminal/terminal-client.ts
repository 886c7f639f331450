import type { TerminalClientMessage, TerminalServerMessage, TerminalSession } from '@matrix-os/protocol';
import { api } from '../../lib/api.ts';

/** What the client drives: an xterm.js Terminal fits (write, reset), or anything alike. */
export interface TerminalScreen {
  write(data: Uint8Array | string): void;
  reset(): void;
}

export type TerminalStatus = 'connecting' | 'attached' | 'reconnecting' | 'ended';

export interface TerminalClientOptions {
  /** Origin of the gateway, e.g. `location.origin`; the socket goes to the same host. */
  baseUrl: string;
  sessionId: string;
  screen: TerminalScreen;
  onStatus?: (status: TerminalStatus, detail?: string) => void;
  onSession?: (session: TerminalSession) => void;
  /** Longest wait between reconnect attempts. */
  maxBackoffMs?: number;
}

const ENDED = 4000;

/**
 * One terminal tab's connection, independent of any UI framework: attaches to a session, resumes
 * after a dropped socket with exactly the bytes it missed (epoch + seq), backs off between
 * attempts, and sends input and resizes. Output is written straight to the screen.
 */
export class TerminalClient {
  private ws: WebSocket | null = null;
  private epoch: string | undefined;
  private seq: number | undefined;
  private replayLeft = 0;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private size: { cols: number; rows: number } | null = null;
  status: TerminalStatus = 'connecting';

  constructor(private readonly o: TerminalClientOptions) {}

  /** Opens the socket (again). */
  connect(): void {
    if (this.stopped) return;
    const url = new URL(`/ws/terminal/${encodeURIComponent(this.o.sessionId)}`, this.o.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.epoch !== undefined && this.seq !== undefined) {
      url.searchParams.set('epoch', this.epoch);
      url.searchParams.set('seq', String(this.seq));
    }
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (e) => this.onMessage(e.data as ArrayBuffer | string);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (e.code === ENDED) return this.setStatus('ended', e.reason || 'The session ended.');
      this.scheduleReconnect();
    };
  }

  /** Sends keystrokes or pasted text. */
  input(data: string): void {
    this.send({ type: 'input', data });
  }

  /** Sends the screen size (after a fit); remembered and re-sent on every attach. */
  resize(cols: number, rows: number): void {
    const c = Math.max(2, Math.min(1000, Math.floor(cols)));
    const r = Math.max(1, Math.min(500, Math.floor(rows)));
    this.size = { cols: c, rows: r };
    this.send({ type: 'resize', cols: c, rows: r });
  }

  /** Closes the socket for good (the session keeps running on the machine). */
  dispose(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }

  private send(msg: TerminalClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN && this.status === 'attached') this.ws.send(JSON.stringify(msg));
  }

  private onMessage(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      const bytes = new Uint8Array(data);
      this.o.screen.write(bytes);
      if (this.replayLeft > 0) this.replayLeft -= bytes.length;
      else if (this.seq !== undefined) this.seq += bytes.length;
      return;
    }
    const msg = JSON.parse(data) as TerminalServerMessage;
    if (msg.type === 'attached') {
      if (msg.mode === 'snapshot') this.o.screen.reset();
      this.epoch = msg.epoch;
      this.seq = msg.seq;
      this.replayLeft = msg.replayBytes;
      this.attempt = 0;
      this.setStatus('attached');
      this.o.onSession?.(msg.session);
      if (this.size) this.send({ type: 'resize', ...this.size });
    } else if (msg.type === 'exit') this.setStatus('ended', msg.message);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus('reconnecting');
    // 0.25 s, 0.5 s, 1 s … up to the cap, with jitter so many tabs do not return at once.
    const delay = Math.min(this.o.maxBackoffMs ?? 10_000, 250 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: TerminalStatus, detail?: string): void {
    this.status = status;
    this.o.onStatus?.(status, detail);
  }
}

/** The gateway's answer through the shell's one API client; a refusal says what was being done. */
function call<T>(what: string, path: string, init: Parameters<typeof api>[1] = {}): Promise<T> {
  return api<T>(path, init).catch((e: Error) => {
    throw new Error(`Could not ${what}: ${e.message}`);
  });
}

/** The machine's terminal sessions, through the gateway's routes (owner session cookie). */
export const sessionsApi = {
  async list(): Promise<TerminalSession[]> {
    return (await call<{ sessions: TerminalSession[] }>('list the terminal sessions', '/api/terminal/sessions')).sessions;
  },
  create: () => call<TerminalSession>('start a terminal session', '/api/terminal/sessions', { method: 'POST', json: {} }),
  rename: (id: string, name: string) => call<TerminalSession>('rename the session', `/api/terminal/sessions/${id}`, { method: 'PATCH', json: { name } }),
  async kill(id: string): Promise<void> {
    await call('end the session', `/api/terminal/sessions/${id}`, { method: 'DELETE' });
  },
};

/** Lists the sessions, creating one when there is none; returns the session to open. */
export async function firstSession(): Promise<TerminalSession> {
  return (await sessionsApi.list())[0] ?? (await sessionsApi.create());
}
