import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { DEFAULT_SHELL_PREFS, shellPrefsPatchSchema, shellPrefsSchema, type ShellPrefs } from '@matrix-os/protocol';
import type { GatewayDatabase } from '../db-types.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { readJson } from '../middleware/validate/index.ts';
import { getSetting, setSetting } from '../settings.ts';

const SHELL_PREFS_KEY = 'shell_prefs';

export interface SettingsRouteDeps extends AuthDeps {
  db: Kysely<GatewayDatabase>;
  events: EventBus;
  /** Owner mode runs on its own; platform mode is where integrations come from. */
  authMode: 'owner' | 'platform';
}

/** The stored preferences; a missing or unreadable value gives the defaults. */
async function readShellPrefs(db: Kysely<GatewayDatabase>): Promise<ShellPrefs> {
  const raw = await getSetting(db, SHELL_PREFS_KEY);
  try {
    const parsed = shellPrefsSchema.safeParse(JSON.parse(raw ?? 'null'));
    return parsed.success ? parsed.data : DEFAULT_SHELL_PREFS;
  } catch {
    return DEFAULT_SHELL_PREFS;
  }
}

/** `/api/settings` (the owner's shell preferences) and `/api/integrations`, mounted apart. */
export function createSettingsRoutes(deps: SettingsRouteDeps) {
  const settings = new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(4 * 1024))
    .get('/shell', async (c) => c.json(await readShellPrefs(deps.db)))
    .put('/shell', async (c) => {
      const patch = await readJson(c, shellPrefsPatchSchema);
      const prefs = { ...(await readShellPrefs(deps.db)), ...patch };
      await setSetting(deps.db, SHELL_PREFS_KEY, JSON.stringify(prefs));
      deps.events.publish({ type: 'settings:shell', prefs });
      return c.json(prefs);
    });
  const integrations = new Hono<GatewayEnv>().use('*', requireOwner(deps)).get('/', (c) =>
      c.json({
        integrations: [],
        reason:
          deps.authMode === 'owner'
            ? 'Integrations (Gmail, Slack, GitHub, …) come through the Matrix platform; this machine runs on its own.'
            : 'This machine does not fetch the platform’s integrations yet.',
      }),
  );
  return { settings, integrations };
}
