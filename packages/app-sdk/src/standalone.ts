import { createBridgeData } from './bridge-data.ts';
import { createHttpBridge, type SocketFactory } from './http-bridge.ts';
import { errorFromBody, MatrixError } from './matrix-error.ts';
import { createThemeState, preferredTheme } from './theme.ts';
import type { MatrixOS } from './types.ts';

export interface StandaloneOptions {
  /** The gateway's origin; in a browser, `location.origin`. */
  origin: string;
  slug: string;
  /** Sends the owner's session with each request (the browser does this for same-origin requests). */
  fetch?: typeof fetch;
  WebSocket?: SocketFactory;
}

// Renew a little before expiry so a request never carries a credential that lapses in flight.
const RENEW_BEFORE_MS = 60_000;

/**
 * The app credential for a page opened directly at `/apps/<slug>/`: asked for with the owner's
 * session (`POST /api/apps/<slug>/session`), kept until shortly before it expires.
 */
export function standaloneCredential(options: StandaloneOptions): (refresh: boolean) => Promise<string> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let current: Promise<{ token: string; renewAt: number }> | null = null;
  const issue = async () => {
    const res = await doFetch(`${options.origin}/api/apps/${encodeURIComponent(options.slug)}/session`, {
      method: 'POST',
      credentials: 'same-origin',
    });
    const body = (await res.json().catch(() => null)) as { token?: string; expiresAt?: string } | null;
    // The gateway serves apps with an opaque origin, so a page opened directly in a browser carries
    // no owner session (401) and its requests come from `Origin: null`, which owner routes refuse
    // (403): say where the app works instead of a bare "Sign in first."
    if (res.status === 401 || res.status === 403) throw new MatrixError('unauthorized', 'Open this app from the Matrix OS desktop to reach its data.');
    if (!res.ok || !body?.token) throw errorFromBody(res.status, body);
    return { token: body.token, renewAt: Date.parse(body.expiresAt ?? '') - RENEW_BEFORE_MS };
  };
  return async (refresh) => {
    const held = current && (await current.catch(() => null));
    if (!held || refresh || !(held.renewAt > Date.now())) {
      current = issue();
      // A failed request is not remembered: the next call asks again.
      current.catch(() => (current = null));
      return (await current).token;
    }
    return held.token;
  };
}

/** The app's display name from `GET /api/apps`, or its slug when that list is not available. */
async function appName(options: StandaloneOptions, doFetch: typeof fetch): Promise<string> {
  try {
    const res = await doFetch(`${options.origin}/api/apps`, { credentials: 'same-origin' });
    const body = (await res.json()) as { apps?: { slug: string; name: string }[] };
    return body.apps?.find((a) => a.slug === options.slug)?.name ?? options.slug;
  } catch {
    return options.slug;
  }
}

/** `MatrixOS` for an app opened directly on the gateway's origin, outside the shell. */
export function connectStandalone(options: StandaloneOptions): MatrixOS {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const bridge = createHttpBridge({ origin: options.origin, token: standaloneCredential(options), fetch: doFetch, WebSocket: options.WebSocket });
  const app = { name: options.slug, slug: options.slug };
  const themes = createThemeState();
  if (typeof matchMedia === 'function') matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => themes.set(preferredTheme()));
  const ready = appName(options, doFetch).then((name) => {
    app.name = name;
  });
  return {
    ...createBridgeData(bridge),
    app,
    get theme() {
      return themes.current();
    },
    ready,
    onThemeChange: themes.onChange,
    async openApp(name, path = '') {
      const target = `${options.origin}/apps/${encodeURIComponent(name)}/${path.replace(/^\/+/, '')}`;
      if (typeof window !== 'undefined') window.location.assign(target);
    },
  };
}
