import { randomBytes } from 'node:crypto';
import { TERMINAL_CLOSE, type TerminalSession } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { AttachedSession } from './attached-session.ts';
import { snapshotBytes } from './snapshot.ts';
import { TerminalViewer, type ViewerSink } from './terminal-viewer.ts';
import type { TmuxServer, TmuxSession } from './tmux.ts';

export interface TerminalLimits {
  maxSessions: number;
  /** A session with no viewer and no activity for this long is ended. */
  idleMs: number;
  /** Output kept per session for exact replay to a reconnecting viewer. */
  ringBytes: number;
  /** Unsent bytes one viewer may hold before it is closed as too slow. */
  maxQueuedPerViewer: number;
  /** Scrollback lines sent to a viewer that attaches fresh. */
  snapshotLines: number;
  /** Each viewer is pinged this often; one that has not answered the last ping is cut off. */
  heartbeatMs: number;
}

export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = {
  maxSessions: 20,
  idleMs: 7 * 24 * 3600 * 1000,
  ringBytes: 1024 * 1024,
  maxQueuedPerViewer: 1024 * 1024,
  snapshotLines: 5000,
  heartbeatMs: 30_000,
};

const DEFAULT_SIZE = { cols: 120, rows: 32 };
const UNWATCHED_DETACH_MS = 60_000;

/** What a socket can do once attached. */
export interface TerminalAttachment {
  viewer: TerminalViewer;
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** The socket closed. */
  detach(): void;
}

/**
 * Named terminal sessions over a private tmux server. tmux owns the sessions, their names and their
 * scrollback, so a gateway restart finds them all again; the gateway attaches one PTY client per
 * watched session and fans its output out to the viewers.
 */
export class TerminalManager {
  private readonly attached = new Map<string, AttachedSession>();
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    readonly tmux: TmuxServer,
    private readonly homeDir: string,
    private readonly logger: Logger,
    readonly limits: TerminalLimits = DEFAULT_TERMINAL_LIMITS,
  ) {}

  /** Prepares the tmux folder, finds the sessions a previous gateway left, starts the idle reaper. */
  async start(): Promise<void> {
    await this.tmux.prepare();
    const found = await this.tmux.list();
    if (found.length) this.logger.info({ sessions: found.length }, 'terminal sessions found');
    const every = Math.max(1000, Math.min(60_000, Math.floor(this.limits.idleMs / 2)));
    this.reaper = setInterval(() => void this.reapIdle().catch((err) => this.logger.warn({ err }, 'terminal idle check failed')), every);
    this.reaper.unref();
  }

  /** The sessions, oldest first. */
  async list(): Promise<TerminalSession[]> {
    return (await this.tmux.list()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((s) => this.describe(s));
  }

  /** One session, or a 404. */
  async get(id: string): Promise<TerminalSession> {
    return this.describe(await this.find(id));
  }

  /** Starts a new shell in the home folder. */
  async create(options: { name?: string; cols?: number; rows?: number }): Promise<TerminalSession> {
    const existing = await this.tmux.list();
    if (existing.length >= this.limits.maxSessions) {
      throw new AppError('conflict', `At most ${this.limits.maxSessions} terminal sessions may run at once; close one first.`);
    }
    const id = `t${randomBytes(8).toString('hex')}`;
    const name = options.name ?? `Terminal ${existing.length + 1}`;
    await this.tmux.create(id, name, this.homeDir, options.cols ?? DEFAULT_SIZE.cols, options.rows ?? DEFAULT_SIZE.rows);
    return this.get(id);
  }

  /** Renames a session. */
  async rename(id: string, name: string): Promise<TerminalSession> {
    await this.find(id);
    await this.tmux.rename(id, name);
    return this.get(id);
  }

  /** Ends a session, its shell and everything running in it. */
  async kill(id: string): Promise<void> {
    await this.find(id);
    this.release(id, 'The session was closed.');
    await this.tmux.kill(id);
  }

  /**
   * Attaches a socket. With the epoch and seq of the stream it last saw, a reconnecting viewer
   * gets exactly the bytes it missed; otherwise a snapshot (scrollback, then a redrawn screen).
   */
  async attach(id: string, sink: ViewerSink, resume: { epoch?: string; seq?: number }): Promise<TerminalAttachment> {
    const info = await this.find(id);
    const session = this.attachedSession(info);
    const missed = resume.epoch === session.epoch && resume.seq !== undefined ? session.ring.since(resume.seq) : null;
    const snapshot = missed ? null : snapshotBytes(await this.tmux.history(id, this.limits.snapshotLines), session.rows);
    // From here to `viewers.add` runs in one turn: no live byte can fall between replay and stream.
    if (this.attached.get(id) !== session) throw new AppError('not_found', 'That terminal session has ended.');
    const viewer = new TerminalViewer(sink, this.limits.maxQueuedPerViewer, (v) => session.viewers.delete(v));
    const replay = missed ?? snapshot!;
    viewer.message({ type: 'attached', session: { ...this.describe(info), viewers: session.viewers.size + 1 }, epoch: session.epoch, seq: session.ring.end, mode: missed ? 'replay' : 'snapshot', replayBytes: replay.length });
    viewer.sendNow(replay);
    session.viewers.add(viewer);
    if (!missed) void this.tmux.redraw(id);
    return {
      viewer,
      input: (data) => session.write(data),
      resize: (cols, rows) => session.resize(cols, rows),
      detach: () => {
        viewer.gone();
        this.detachIfUnwatched(session);
      },
    };
  }

  /** Bytes held for all viewers that the clients have not received yet (bounded by the limits). */
  queuedBytes(): number {
    let total = 0;
    for (const s of this.attached.values()) for (const v of s.viewers) total += v.queuedBytes();
    return total;
  }

  /** Detaches from every session and closes the sockets; tmux and the shells keep running. */
  async close(): Promise<void> {
    clearInterval(this.reaper);
    for (const session of this.attached.values()) {
      for (const v of [...session.viewers]) v.close(TERMINAL_CLOSE.goingAway, 'the gateway is restarting; reconnect', true);
      session.detach();
    }
    this.attached.clear();
  }

  private describe(s: TmuxSession): TerminalSession {
    return { id: s.id, name: s.name, createdAt: s.createdAt.toISOString(), activeAt: s.activeAt.toISOString(), viewers: this.attached.get(s.id)?.viewers.size ?? 0 };
  }

  private async find(id: string): Promise<TmuxSession> {
    const s = (await this.tmux.list()).find((x) => x.id === id);
    if (!s) throw new AppError('not_found', 'No terminal session with that id; it may have ended.');
    return s;
  }

  private attachedSession(info: TmuxSession): AttachedSession {
    let session = this.attached.get(info.id);
    if (!session) {
      const size = info.cols > 0 && info.rows > 0 ? { cols: info.cols, rows: info.rows } : DEFAULT_SIZE;
      session = new AttachedSession(this.tmux, info.id, size, this.limits.ringBytes, (s) => void this.onClientExit(s));
      this.attached.set(info.id, session);
    }
    clearTimeout(session.unwatchedTimer);
    return session;
  }

  /**
   * A session nobody watches needs no tmux client (its output is in tmux's scrollback); keeping it
   * a while lets a viewer whose socket dropped get the exact bytes it missed.
   */
  private detachIfUnwatched(session: AttachedSession): void {
    if (session.viewers.size > 0 || this.attached.get(session.id) !== session) return;
    clearTimeout(session.unwatchedTimer);
    session.unwatchedTimer = setTimeout(() => {
      if (session.viewers.size > 0 || this.attached.get(session.id) !== session) return;
      this.attached.delete(session.id);
      session.detach();
    }, UNWATCHED_DETACH_MS);
    session.unwatchedTimer.unref();
  }

  /** Closes every viewer of `id` and forgets its client. */
  private release(id: string, message: string): void {
    const session = this.attached.get(id);
    if (!session) return;
    this.attached.delete(id);
    for (const v of [...session.viewers]) {
      v.message({ type: 'exit', message });
      v.close(TERMINAL_CLOSE.ended, 'session ended');
    }
    session.detach();
  }

  /** The tmux client ended by itself: the shell exited, or tmux itself went away. */
  private async onClientExit(session: AttachedSession): Promise<void> {
    if (this.attached.get(session.id) !== session) return;
    const stillThere = (await this.tmux.list().catch(() => [])).some((s) => s.id === session.id);
    if (stillThere) {
      this.attached.delete(session.id);
      for (const v of [...session.viewers]) v.close(1012, 'reattach');
    } else this.release(session.id, 'The shell exited.');
  }

  private async reapIdle(): Promise<void> {
    const now = Date.now();
    for (const s of await this.tmux.list()) {
      const watched = (this.attached.get(s.id)?.viewers.size ?? 0) > 0;
      if (!watched && now - s.activeAt.getTime() > this.limits.idleMs) {
        this.logger.info({ session: s.id }, 'terminal session ended after idle time');
        await this.kill(s.id).catch(() => {});
      }
    }
  }
}
