import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppProcess } from '../runtime/app-process.ts';
import type { ProcessState } from '../runtime/process-state.ts';
import type { CodeServerInstall } from './find-code-server.ts';

export interface CodeEditorOptions {
  /** null when code-server is not installed: every request then gets the install instructions. */
  install: CodeServerInstall | null;
  /** The folder the editor opens. */
  homeDir: string;
  /** Settings, extensions and code-server's own config live here, outside the home. */
  stateDir: string;
  /** Where the running code-server group is recorded. */
  recordDir: string;
  /** The editor's environment: the same allow-list as a terminal, so no gateway secret reaches it. */
  env: Record<string, string>;
  log: (line: string) => void;
  /** Stop code-server after this long with no request and no open socket. */
  idleMs: number;
}

/** What `GET /api/code/status` reports. */
export interface CodeEditorStatus {
  installed: boolean;
  version: string | null;
  state: ProcessState['phase'] | 'not-installed';
  reason: string | null;
}

// code-server's main process plus its extension host and language servers.
const MEMORY_MB = 4096;

/** Quotes one word for `sh -c`. */
function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that starts code-server on $PORT, with no auth of its own: the gateway checks the owner first. */
export function codeServerCommand(install: CodeServerInstall, homeDir: string, stateDir: string): string {
  const args = [
    install.node,
    install.entry,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', join(stateDir, 'config.yaml'),
    '--user-data-dir', join(stateDir, 'user'),
    '--extensions-dir', join(stateDir, 'extensions'),
    homeDir,
  ].map(shellWord);
  return `exec ${args.join(' ')} --bind-addr "127.0.0.1:$PORT"`;
}

/** The machine's code editor: code-server, started on first use, stopped when idle, its whole process group stopped on close. */
export class CodeEditor {
  private readonly process: AppProcess | null;
  private ready: Promise<void> | null = null;

  constructor(private readonly o: CodeEditorOptions) {
    this.process = o.install
      ? new AppProcess(
          { appDir: o.homeDir, start: codeServerCommand(o.install, o.homeDir, o.stateDir), healthCheck: '/healthz', env: o.env, memoryMb: MEMORY_MB, recordDir: o.recordDir },
          { log: o.log, onPhase: (phase, reason) => reason && o.log(`code-server ${phase}: ${reason}`), idleMs: o.idleMs, startTimeoutMs: 60_000 },
        )
      : null;
  }

  status(): CodeEditorStatus {
    if (!this.process || !this.o.install) return { installed: false, version: null, state: 'not-installed', reason: null };
    const s = this.process.status();
    return { installed: true, version: this.o.install.version, state: s.state, reason: s.reason };
  }

  /** The port of a running code-server (started if needed); rejects with the reason it cannot run. */
  async ensureRunning(): Promise<number> {
    if (!this.process) throw new Error('code-server is not installed');
    this.ready ??= mkdir(this.o.stateDir, { recursive: true }).then(() => undefined);
    await this.ready;
    return this.process.ensureRunning(60_000);
  }

  /** A proxied socket opened (+1) or closed (-1); an open editor tab keeps code-server running. */
  trackSocket(delta: 1 | -1): void {
    this.process?.trackSocket(delta);
  }

  /** Marks the editor as in use. */
  touch(): void {
    this.process?.touch();
  }

  async close(): Promise<void> {
    await this.process?.close();
  }
}
