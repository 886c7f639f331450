import { z } from 'zod/v4';
import { WALLPAPER_IDS } from './shell-prefs-defaults.ts';

/** The owner's shell preferences, kept by the gateway so they follow the owner to every browser. */
export const shellPrefsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  wallpaper: z.enum(WALLPAPER_IDS),
  defaultMode: z.enum(['canvas', 'desktop']),
});
export type ShellPrefs = z.infer<typeof shellPrefsSchema>;

/** `PUT /api/settings/shell`: any of the preferences; the rest stay as they are. */
export const shellPrefsPatchSchema = shellPrefsSchema.partial().strict();

/** The owner changed their shell preferences (in some tab, on some device). */
export const shellPrefsEventSchema = z.object({ type: z.literal('settings:shell'), prefs: shellPrefsSchema });
export type ShellPrefsEvent = z.infer<typeof shellPrefsEventSchema>;
