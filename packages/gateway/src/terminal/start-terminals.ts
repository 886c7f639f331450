import { join } from 'node:path';
import type { GatewayConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { terminalEnv } from './shell-env.ts';
import { DEFAULT_TERMINAL_LIMITS, TerminalManager } from './terminal-manager.ts';
import { TmuxServer } from './tmux.ts';

/** The tmux folder of a data dir (its socket is `tmux.sock` inside). */
export function terminalDirOf(dataDir: string): string {
  return join(dataDir, 'terminal');
}

/** Builds the terminal manager on the data dir's private tmux socket and finds existing sessions. */
export async function startTerminals(config: GatewayConfig, logger: Logger): Promise<TerminalManager> {
  const tmux = new TmuxServer(terminalDirOf(config.dataDir), terminalEnv(process.env, config.homeDir));
  const manager = new TerminalManager(tmux, config.homeDir, logger, { ...DEFAULT_TERMINAL_LIMITS, ...config.terminal });
  await manager.start();
  return manager;
}
