import { getMimeType } from 'hono/utils/mime';
import { extname } from 'node:path';

// Hono's table knows the web formats; these are the text formats a home is full of that it misses
// or maps to something else (`.ts` would be an MPEG stream).
const TEXT_TYPES: Record<string, string> = {
  '.md': 'text/markdown; charset=utf-8',
  '.markdown': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.tsx': 'text/plain; charset=utf-8',
  '.jsx': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
};

/** The content type of a file by its name; unknown kinds are plain bytes. */
export function contentTypeOf(name: string): string {
  const ext = extname(name).toLowerCase();
  return TEXT_TYPES[ext] ?? getMimeType(name) ?? 'application/octet-stream';
}

/** Types a browser would run script in if opened on the gateway's origin. */
export function isActiveContent(type: string): boolean {
  return /^(text\/html|image\/svg\+xml|application\/xhtml\+xml|text\/xml|application\/xml)/.test(type);
}
