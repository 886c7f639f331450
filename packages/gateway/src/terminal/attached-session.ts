import { randomBytes } from 'node:crypto';
import { spawn, type IPty } from 'node-pty';
import { OutputRing } from './output-ring.ts';
import type { TerminalViewer } from './terminal-viewer.ts';
import type { TmuxServer } from './tmux.ts';

/**
 * The gateway's one tmux client for a session, inside a real PTY: its output goes to a ring (for
 * replay) and to every viewer; input and resizes from any viewer go to it. Killing it only
 * detaches: the session keeps running in tmux.
 */
export class AttachedSession {
  /** Names this output stream; a new attach (after a gateway restart) starts a new one. */
  readonly epoch = randomBytes(6).toString('hex');
  readonly ring: OutputRing;
  readonly viewers = new Set<TerminalViewer>();
  /** Detaches this client some time after its last viewer left. */
  unwatchedTimer: NodeJS.Timeout | undefined;
  private readonly pty: IPty;
  private detaching = false;
  private size: { cols: number; rows: number };

  constructor(
    tmux: TmuxServer,
    readonly id: string,
    size: { cols: number; rows: number },
    ringBytes: number,
    /** Runs when the tmux client ends by itself (the session ended, or tmux went away). */
    onExit: (session: AttachedSession) => void,
  ) {
    this.ring = new OutputRing(ringBytes);
    this.size = size;
    this.pty = spawn('tmux', tmux.attachArgs(id), { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd: '/', env: tmux.env, encoding: null });
    this.pty.onData((data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      this.ring.append(chunk);
      for (const v of this.viewers) v.push(chunk);
    });
    this.pty.onExit(() => {
      if (!this.detaching) onExit(this);
    });
  }

  /** Types into the session. */
  write(data: string): void {
    this.pty.write(data);
  }

  /** Resizes the PTY; tmux resizes the window and the programs in it get SIGWINCH. */
  resize(cols: number, rows: number): void {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    this.pty.resize(cols, rows);
  }

  get rows(): number {
    return this.size.rows;
  }

  /** Ends the gateway's tmux client; the session and its shell keep running. */
  detach(): void {
    this.detaching = true;
    clearTimeout(this.unwatchedTimer);
    try {
      this.pty.kill('SIGHUP');
    } catch {
      // Already gone.
    }
  }
}
