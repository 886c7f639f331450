/** Variables a terminal's shell inherits from the gateway when present; nothing else ever is. */
const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'HOME'] as const;

/**
 * The environment of tmux and every shell it starts: an allow-list, so no gateway secret
 * (DATABASE_URL, tokens, keys) can reach a terminal. HOME stays the user's own (dotfiles live
 * there); the shell starts in the Matrix home, which tmux is told separately.
 */
export function terminalEnv(parent: Record<string, string | undefined>, homeDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const v = parent[name];
    if (v) env[name] = v;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  env.LANG ??= 'C.UTF-8';
  env.HOME ??= homeDir;
  env.SHELL ??= '/bin/bash';
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  return env;
}
