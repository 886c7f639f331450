/*
 * How the machine's edge vouches for a request it passes to the gateway. The gateway listens on a
 * private port any local process can reach; only a request carrying the edge's secret in this
 * header has its X-Forwarded-For and X-Forwarded-Proto believed.
 */

/** The request header holding the edge's secret (lower case, as Node reads headers). */
export const EDGE_SECRET_HEADER = 'x-matrix-edge';

const SECRET = /^[A-Za-z0-9_-]{32,128}$/;

/** True for a secret the edge may carry: 32–128 URL-safe characters, nothing nginx would need to escape. */
export function isEdgeSecret(s: string): boolean {
  return SECRET.test(s);
}

/** The nginx directive (the whole include file) that adds the secret to a request bound for the gateway. */
export function edgeSecretDirective(secret: string): string {
  if (!isEdgeSecret(secret)) throw new Error('an edge secret is 32–128 URL-safe characters');
  return `proxy_set_header X-Matrix-Edge "${secret}";\n`;
}

/** The secret in an include file written by `edgeSecretDirective`, or null when it holds none. */
export function readEdgeSecretDirective(text: string): string | null {
  const m = /^\s*proxy_set_header\s+X-Matrix-Edge\s+"([^"]*)";\s*$/i.exec(text);
  return m && isEdgeSecret(m[1]!) ? m[1]! : null;
}
