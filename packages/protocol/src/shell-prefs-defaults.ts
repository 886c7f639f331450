import type { ShellPrefs } from './shell-prefs.ts';

/** The wallpapers the shell draws; the ids are what the gateway stores. */
export const WALLPAPER_IDS = ['dusk', 'grid', 'plain', 'forest'] as const;

export const DEFAULT_SHELL_PREFS: ShellPrefs = { theme: 'system', wallpaper: 'dusk', defaultMode: 'canvas' };
