import { connectFramed } from './framed.ts';
import { connectStandalone } from './standalone.ts';
import { applyTheme } from './theme.ts';
import type { MatrixOS } from './types.ts';

declare global {
  interface Window {
    MatrixOS?: MatrixOS;
  }
}

/** The app's slug from a path like `/apps/<slug>/…`, or null. */
export function slugFromPath(pathname: string): string | null {
  const m = /^\/apps\/([a-z0-9][a-z0-9-]{0,47})(?:\/|$)/.exec(pathname);
  return m ? m[1]! : null;
}

/**
 * The OS as this page sees it, created once and kept on `window.MatrixOS`: inside the shell it
 * talks to the parent window, opened directly it uses the owner's session on the gateway. It
 * also keeps the page's `--matrix-*` CSS variables in step with the theme.
 */
export function getMatrixOS(): MatrixOS {
  if (window.MatrixOS) return window.MatrixOS;
  const slug = slugFromPath(window.location.pathname) ?? '';
  const os =
    window.parent !== window
      ? connectFramed({ self: window, parent: window.parent }, slug)
      : connectStandalone({ origin: window.location.origin, slug });
  applyTheme(os.theme);
  os.onThemeChange(applyTheme);
  window.MatrixOS = os;
  return os;
}
