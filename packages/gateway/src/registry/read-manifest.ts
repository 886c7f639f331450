import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifest, slugSchema, type Manifest } from '@matrix-os/protocol';

export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

const MAX_MANIFEST_BYTES = 256 * 1024;

/** Reads and validates `<appsDir>/<slug>/matrix.json`; every failure comes back as a reason. */
export async function readManifest(appsDir: string, slug: string): Promise<ManifestResult> {
  if (!slugSchema.safeParse(slug).success) {
    return { ok: false, errors: [`folder name "${slug}": must be lower-case letters, digits and - (max 48)`] };
  }
  let text: string;
  try {
    const buf = await readFile(join(appsDir, slug, 'matrix.json'));
    if (buf.length > MAX_MANIFEST_BYTES) return { ok: false, errors: ['matrix.json: larger than 256 KiB'] };
    text = buf.toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, errors: [code === 'ENOENT' ? 'matrix.json: missing' : `matrix.json: cannot be read (${code})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`matrix.json: not valid JSON (${(err as Error).message})`] };
  }
  return parseManifest(json);
}
