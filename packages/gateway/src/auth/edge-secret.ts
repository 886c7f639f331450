import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { edgeSecretDirective, readEdgeSecretDirective } from '@matrix-os/protocol';

/** A fresh secret for the edge to vouch for requests with (256 random bits). */
export function newEdgeSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The edge secret kept in `file`, the include nginx adds to requests bound for the gateway; when the
 * file is missing it is made (0600) with a fresh secret. Rotate by deleting it, then restarting the
 * gateway and reloading nginx.
 */
export async function loadEdgeSecretFile(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) {
    const secret = newEdgeSecret();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, edgeSecretDirective(secret), { mode: 0o600, flag: 'wx' });
    return secret;
  }
  const secret = readEdgeSecretDirective(text);
  if (!secret) throw new Error(`${file} does not hold an edge secret; delete it and start again to make a new one`);
  return secret;
}
