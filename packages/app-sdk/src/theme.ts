import type { AppTheme } from './types.ts';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

/** The `--matrix-*` variables every app may use, with the values the OS uses when the shell sends none. */
export const DEFAULT_THEMES: Record<AppTheme['mode'], AppTheme> = {
  light: {
    mode: 'light',
    vars: {
      '--matrix-bg': '#f6f6f8',
      '--matrix-surface': '#ffffff',
      '--matrix-fg': '#1c1c21',
      '--matrix-muted': '#6a6a75',
      '--matrix-border': '#dadae0',
      '--matrix-accent': '#4f46e5',
      '--matrix-accent-fg': '#ffffff',
      '--matrix-danger': '#c0392b',
      '--matrix-success': '#23834a',
      '--matrix-radius': '10px',
      '--matrix-font': FONT,
      '--matrix-font-mono': MONO,
    },
  },
  dark: {
    mode: 'dark',
    vars: {
      '--matrix-bg': '#131317',
      '--matrix-surface': '#1d1d23',
      '--matrix-fg': '#ececf1',
      '--matrix-muted': '#9b9ba8',
      '--matrix-border': '#30303a',
      '--matrix-accent': '#8c86ff',
      '--matrix-accent-fg': '#131317',
      '--matrix-danger': '#f07167',
      '--matrix-success': '#5cc98a',
      '--matrix-radius': '10px',
      '--matrix-font': FONT,
      '--matrix-font-mono': MONO,
    },
  },
};

/** A theme with every default variable present: the shell's values win over the defaults for its mode. */
export function completeTheme(theme: AppTheme): AppTheme {
  return { mode: theme.mode, vars: { ...DEFAULT_THEMES[theme.mode].vars, ...theme.vars } };
}

/** The default theme matching the browser's colour-scheme preference (light outside a browser). */
export function preferredTheme(): AppTheme {
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return DEFAULT_THEMES[dark ? 'dark' : 'light'];
}

/** Sets the theme's CSS variables and `color-scheme` on the document root. */
export function applyTheme(theme: AppTheme): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  for (const [name, value] of Object.entries(theme.vars)) {
    if (name.startsWith('--matrix-')) root.style.setProperty(name, value);
  }
  root.style.colorScheme = theme.mode;
  root.dataset.matrixTheme = theme.mode;
}

/** The theme an app follows and who to tell when it changes; both transports keep one. */
export function createThemeState() {
  let theme = completeTheme(preferredTheme());
  const listeners = new Set<(t: AppTheme) => void>();
  return {
    current: () => theme,
    set(next: AppTheme) {
      theme = completeTheme(next);
      for (const cb of [...listeners]) cb(theme);
    },
    onChange(cb: (t: AppTheme) => void): () => void {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
