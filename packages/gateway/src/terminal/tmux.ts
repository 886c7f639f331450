import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One session as tmux reports it. */
export interface TmuxSession {
  id: string;
  name: string;
  createdAt: Date;
  activeAt: Date;
  cols: number;
  rows: number;
}

// tmux runs every session; the gateway is only one of its clients, so a gateway restart leaves
// the shells running. This configuration makes tmux invisible to the user: no status line, no
// prefix key (Ctrl-B reaches the shell), no escape delay, and no alternate screen on the outer
// terminal, so lines that scroll off land in xterm.js's own scrollback.
const TMUX_CONF = `set -g history-limit 50000
set -g status off
set -g prefix None
unbind-key -a
set -g escape-time 0
set -g default-terminal tmux-256color
set -g set-clipboard off
set -g destroy-unattached off
set -g window-size latest
set -g aggressive-resize on
set -g remain-on-exit off
set -ga terminal-overrides ',*:smcup@:rmcup@'
`;

const FORMAT = '#{session_name}\t#{session_created}\t#{session_activity}\t#{window_width}\t#{window_height}\t#{@matrix_name}';

/** True when tmux says no server (or no such session) is there: not an error for a reader. */
function isNoServer(message: string): boolean {
  return /no server running|error connecting to|No such file or directory|can't find session/i.test(message);
}

/** A private tmux server on its own socket, driven by short `tmux -S <socket> …` commands. */
export class TmuxServer {
  readonly socketPath: string;
  readonly confPath: string;

  constructor(
    dir: string,
    /** The environment of tmux and therefore of every shell it starts; holds no gateway secret. */
    readonly env: Record<string, string>,
  ) {
    this.socketPath = join(dir, 'tmux.sock');
    this.confPath = join(dir, 'tmux.conf');
  }

  /** Creates the folder and writes the configuration (read when the tmux server starts). */
  async prepare(): Promise<void> {
    await mkdir(join(this.socketPath, '..'), { recursive: true, mode: 0o700 });
    await writeFile(this.confPath, TMUX_CONF);
  }

  // Targets are plain ids: tmux matches an exact name first, and every id has the same length, so
  // no id is a prefix of another (callers check that the id exists before they get here).

  /** The argv that attaches a tmux client to `id` (run inside a PTY). */
  attachArgs(id: string): string[] {
    return ['-S', this.socketPath, '-f', this.confPath, 'attach-session', '-t', id];
  }

  /** Runs one tmux command and returns its stdout. */
  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-S', this.socketPath, '-f', this.confPath, ...args], { env: this.env, maxBuffer: 64 * 1024 * 1024, timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(Object.assign(new Error(`tmux ${args[0]}: ${stderr.trim() || err.message}`), { stderr }));
        else resolve(stdout);
      });
    });
  }

  /** The sessions tmux runs now (none when its server is not running). */
  async list(): Promise<TmuxSession[]> {
    let out: string;
    try {
      out = await this.run(['list-sessions', '-F', FORMAT]);
    } catch (err) {
      if (isNoServer((err as Error).message)) return [];
      throw err;
    }
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [id = '', created = '0', activity = '0', cols = '80', rows = '24', ...name] = line.split('\t');
        return { id, name: name.join('\t') || id, createdAt: new Date(Number(created) * 1000), activeAt: new Date(Number(activity) * 1000), cols: Number(cols), rows: Number(rows) };
      });
  }

  /** Starts a detached session running the login shell in `cwd`. */
  async create(id: string, name: string, cwd: string, cols: number, rows: number): Promise<void> {
    await this.run(['new-session', '-d', '-s', id, '-x', String(cols), '-y', String(rows), '-c', cwd]);
    await this.rename(id, name);
  }

  /** Sets the display name (kept by tmux, so it survives a gateway restart). */
  async rename(id: string, name: string): Promise<void> {
    await this.run(['set-option', '-t', id, '@matrix_name', name]);
  }

  /** Ends a session and its processes; one that already ended is no error. */
  async kill(id: string): Promise<void> {
    await this.run(['kill-session', '-t', id]).catch((err: Error) => {
      if (!isNoServer(err.message)) throw err;
    });
  }

  /** The last `lines` lines of scrollback above the visible screen, with colours, one per row. */
  async history(id: string, lines: number): Promise<string> {
    const size = await this.run(['display-message', '-p', '-t', id, '#{history_size}']);
    if (Number(size.trim()) === 0) return '';
    return this.run(['capture-pane', '-p', '-e', '-t', id, '-S', String(-lines), '-E', '-1']);
  }

  /** Asks tmux to redraw every client of `id` (a full screen for a viewer that joins late). */
  async redraw(id: string): Promise<void> {
    const ttys = await this.run(['list-clients', '-t', id, '-F', '#{client_tty}']).catch(() => '');
    for (const tty of ttys.split('\n').filter(Boolean)) await this.run(['refresh-client', '-t', tty]).catch(() => {});
  }

  /** Stops the tmux server and every session (tests clean up with this; the gateway never does). */
  async killServer(): Promise<void> {
    await this.run(['kill-server']).catch(() => {});
  }
}
