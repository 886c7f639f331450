import type { BuiltinId, CanvasNodeKind } from '@matrix-os/protocol';
import { BUILTIN_IDS } from '@matrix-os/protocol/browser';

/** How a built-in looks in a window title, a launcher and a palette. */
export interface BuiltinSpec {
  title: string;
  glyph: string;
  /** Default window size. */
  w: number;
  h: number;
  /** Shown in the launcher (a preview needs a file, so it is opened from files, not from there). */
  launchable: boolean;
}

/** The one registry of built-in surfaces; every renderer resolves windows through `surfaceOf`. */
export const BUILTINS: Record<BuiltinId, BuiltinSpec> = {
  __workspace__: { title: 'Workspace', glyph: '◫', w: 520, h: 420, launchable: true },
  __terminal__: { title: 'Terminal', glyph: '❯', w: 720, h: 440, launchable: true },
  '__file-browser__': { title: 'Files', glyph: '▤', w: 760, h: 500, launchable: true },
  '__preview-window__': { title: 'Preview', glyph: '◧', w: 640, h: 480, launchable: false },
  __chat__: { title: 'Chat', glyph: '✦', w: 420, h: 560, launchable: true },
};

/** True for `__terminal__` and the other built-in ids. */
export function isBuiltinId(ref: string | undefined): ref is BuiltinId {
  return ref !== undefined && (BUILTIN_IDS as readonly string[]).includes(ref);
}

/** What a window shows. */
export type Surface =
  | { type: 'builtin'; id: BuiltinId; path?: string }
  | { type: 'app'; slug: string }
  | { type: 'note' }
  | { type: 'file'; path: string }
  | { type: 'group' }
  | { type: 'missing'; reason: string };

const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * Resolves a node to what it shows. A built-in id wins over everything else, whatever kind the
 * node claims, so a built-in never reaches app routing; an app ref must be a plain slug.
 */
export function surfaceOf(node: { kind: CanvasNodeKind; ref?: string; path?: string }): Surface {
  if (isBuiltinId(node.ref)) return { type: 'builtin', id: node.ref, ...(node.path ? { path: node.path } : {}) };
  switch (node.kind) {
    case 'app':
      return node.ref && SLUG.test(node.ref) ? { type: 'app', slug: node.ref } : { type: 'missing', reason: `"${node.ref ?? ''}" is not an app name.` };
    case 'preview':
      return node.ref ? { type: 'builtin', id: '__preview-window__', path: node.ref } : { type: 'missing', reason: 'Nothing to preview.' };
    case 'file':
      return node.ref ? { type: 'file', path: node.ref } : { type: 'missing', reason: 'No file.' };
    case 'note':
      return { type: 'note' };
    case 'group':
      return { type: 'group' };
    case 'builtin':
      return { type: 'missing', reason: `Unknown built-in "${node.ref ?? ''}".` };
  }
}

/** The node to add when the user opens `target` (a built-in id or an app slug) from a launcher or palette. */
export function nodeKindFor(target: string): { kind: 'builtin' | 'app'; ref: string } {
  return isBuiltinId(target) ? { kind: 'builtin', ref: target } : { kind: 'app', ref: target };
}
