/*
 * Content-Security-Policy directives shared by the machine's documents (the shell, app pages): every
 * resource comes from the machine itself, nothing is plugged in, and only the machine's own pages
 * may frame them. Each document adds its own script, style and default sources.
 */
export const OWN_RESOURCE_DIRECTIVES = [
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  // 'self' covers the machine's own ws:// and wss:// sockets too.
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
] as const;
