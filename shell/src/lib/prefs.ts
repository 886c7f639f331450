import { useSyncExternalStore } from 'react';
import { DEFAULT_THEMES } from '@matrix-os/app-sdk';
import type { AppTheme } from '@matrix-os/protocol';

/** The owner's shell preferences (kept in this browser). */
export interface Prefs {
  theme: 'system' | 'light' | 'dark';
  wallpaper: WallpaperId;
  defaultMode: 'canvas' | 'desktop';
}

export const WALLPAPERS = {
  dusk: { label: 'Dusk', css: 'radial-gradient(1200px 800px at 20% 10%, color-mix(in oklab, var(--matrix-accent) 22%, transparent), transparent 60%), radial-gradient(900px 700px at 90% 90%, color-mix(in oklab, #e76f51 18%, transparent), transparent 60%), var(--matrix-bg)' },
  grid: { label: 'Grid', css: 'linear-gradient(var(--matrix-bg), var(--matrix-bg))' },
  plain: { label: 'Plain', css: 'var(--matrix-bg)' },
  forest: { label: 'Forest', css: 'linear-gradient(160deg, color-mix(in oklab, #2a9d8f 30%, var(--matrix-bg)), var(--matrix-bg) 70%)' },
} as const;
export type WallpaperId = keyof typeof WALLPAPERS;

const KEY = 'matrix.prefs';
const DEFAULTS: Prefs = { theme: 'system', wallpaper: 'dusk', defaultMode: 'canvas' };
const listeners = new Set<() => void>();
let current: Prefs | null = null;

function read(): Prefs {
  if (current) return current;
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    current = {
      theme: ['system', 'light', 'dark'].includes(stored.theme as string) ? stored.theme! : DEFAULTS.theme,
      wallpaper: stored.wallpaper && stored.wallpaper in WALLPAPERS ? stored.wallpaper : DEFAULTS.wallpaper,
      defaultMode: stored.defaultMode === 'desktop' ? 'desktop' : 'canvas',
    };
  } catch {
    current = DEFAULTS;
  }
  return current;
}

/** Changes preferences and tells every view. */
export function setPrefs(patch: Partial<Prefs>): void {
  current = { ...read(), ...patch };
  localStorage.setItem(KEY, JSON.stringify(current));
  applyTheme();
  for (const l of [...listeners]) l();
}

/** Preferences as React state. */
export function usePrefs(): Prefs {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
    () => DEFAULTS,
  );
}

/** The theme in effect (the system's when the owner chose "system"). */
export function activeTheme(): AppTheme {
  const pref = read().theme;
  const dark = pref === 'dark' || (pref === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  return DEFAULT_THEMES[dark ? 'dark' : 'light'];
}

const themeListeners = new Set<(t: AppTheme) => void>();
/** Calls `cb` whenever the theme changes (apps get it pushed). */
export function onThemeChange(cb: (t: AppTheme) => void): () => void {
  themeListeners.add(cb);
  return () => themeListeners.delete(cb);
}

/** Writes the theme's `--matrix-*` variables on the document: the shell and apps share one design language. */
export function applyTheme(): void {
  const theme = activeTheme();
  const root = document.documentElement;
  for (const [k, v] of Object.entries(theme.vars)) root.style.setProperty(k, v);
  root.dataset.theme = theme.mode;
  root.style.colorScheme = theme.mode;
  for (const cb of [...themeListeners]) cb(theme);
}
