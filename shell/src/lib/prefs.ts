import { useSyncExternalStore } from 'react';
import { DEFAULT_THEMES } from '@matrix-os/app-sdk';
import type { AppTheme, ShellPrefs } from '@matrix-os/protocol';
import { DEFAULT_SHELL_PREFS, WALLPAPER_IDS } from '@matrix-os/protocol/browser';
import { api } from './api.ts';
import { bootApi } from './boot.ts';
import { eventSocket } from './event-socket.ts';

/**
 * The owner's shell preferences. The gateway keeps them, so they follow the owner to every browser;
 * this browser keeps a copy so the first paint already has the right theme.
 */
export type Prefs = ShellPrefs;

export const WALLPAPERS = {
  dusk: { label: 'Dusk', css: 'radial-gradient(1200px 800px at 20% 10%, color-mix(in oklab, var(--matrix-accent) 22%, transparent), transparent 60%), radial-gradient(900px 700px at 90% 90%, color-mix(in oklab, #e76f51 18%, transparent), transparent 60%), var(--matrix-bg)' },
  grid: { label: 'Grid', css: 'linear-gradient(var(--matrix-bg), var(--matrix-bg))' },
  plain: { label: 'Plain', css: 'var(--matrix-bg)' },
  forest: { label: 'Forest', css: 'linear-gradient(160deg, color-mix(in oklab, #2a9d8f 30%, var(--matrix-bg)), var(--matrix-bg) 70%)' },
} as const satisfies Record<(typeof WALLPAPER_IDS)[number], { label: string; css: string }>;
export type WallpaperId = keyof typeof WALLPAPERS;

const KEY = 'matrix.prefs';
const DEFAULTS = DEFAULT_SHELL_PREFS;
const listeners = new Set<() => void>();
let current: Prefs | null = null;

function read(): Prefs {
  if (current) return current;
  try {
    // This browser's copy, value by value: anything unknown falls back to the default.
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<keyof Prefs, unknown>>;
    const pick = <K extends keyof Prefs>(key: K, allowed: readonly Prefs[K][]): Prefs[K] => (allowed.includes(stored[key] as Prefs[K]) ? (stored[key] as Prefs[K]) : DEFAULTS[key]);
    current = { theme: pick('theme', ['system', 'light', 'dark']), wallpaper: pick('wallpaper', WALLPAPER_IDS), defaultMode: pick('defaultMode', ['canvas', 'desktop']) };
  } catch {
    current = DEFAULTS;
  }
  return current;
}

/** Shows `prefs` everywhere in this tab and keeps the browser's copy. */
function adopt(prefs: Prefs): void {
  current = prefs;
  localStorage.setItem(KEY, JSON.stringify(prefs));
  applyTheme();
  for (const l of [...listeners]) l();
}

/** Changes preferences at once, then saves them on the machine; on failure the machine's copy comes back and the error is thrown. */
export async function setPrefs(patch: Partial<Prefs>): Promise<void> {
  adopt({ ...read(), ...patch });
  try {
    adopt(await api<Prefs>('/api/settings/shell', { method: 'PUT', json: patch }));
  } catch (err) {
    await syncPrefs().catch(() => {});
    throw err;
  }
}

let following = false;
/** Takes the machine's preferences now, and every change made in another tab or browser from then on. */
export async function syncPrefs(): Promise<void> {
  if (!following) {
    following = true;
    eventSocket().on((e) => e.type === 'settings:shell' && adopt(e.prefs));
  }
  adopt(await bootApi<Prefs>('/api/settings/shell'));
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
