import { createHash } from 'node:crypto';
import { OWN_RESOURCE_DIRECTIVES } from '@matrix-os/protocol';

/**
 * Apps share the gateway's origin. The shell frames them without `allow-same-origin`; this directive
 * gives an app the same opaque origin when someone opens its URL directly, so it can never act as
 * the owner on `/api`.
 */
export const APP_SANDBOX = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/** The policy added to every response of a `node` app (on top of whatever the app sets). */
export const PROXIED_APP_POLICY = `${APP_SANDBOX}; frame-ancestors 'self'`;

/** The CSP of every app document: only its own files, inline scripts only when their hash is listed. */
export function appContentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  return [
    APP_SANDBOX,
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((h) => ` '${h}'`).join('')}`,
    // React and most CSS-in-JS set inline styles; they cannot run code.
    "style-src 'self' 'unsafe-inline'",
    ...OWN_RESOURCE_DIRECTIVES,
  ].join('; ');
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/** `sha256-…` sources for every inline `<script>` of an HTML document, so the CSP allows exactly those. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const body = m[1] ?? '';
    if (body.trim() === '') continue;
    hashes.add(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return [...hashes];
}
