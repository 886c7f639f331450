import { describe, expect, it } from 'vitest';
import { BUILTIN_IDS, canvasNodeSchema, type CanvasNodeKind } from '@matrix-os/protocol';
import { BUILTINS, nodeKindFor, surfaceOf } from '../src/builtins/registry.ts';
import { canvasSurface } from '../src/canvas/canvas-surface.ts';
import { desktopSurface } from '../src/desktop/desktop-surface.ts';
import { windowTitle } from '../src/shell/window-title.ts';

// Every renderer of the shell, by what it draws for a node.
const RENDERERS = {
  canvas: (node: { kind: CanvasNodeKind; ref?: string; path?: string }) => canvasSurface(node).surface,
  desktop: (node: { kind: CanvasNodeKind; ref?: string; path?: string }) => desktopSurface(node),
};
const KINDS: CanvasNodeKind[] = ['app', 'builtin', 'note', 'file', 'preview', 'group'];

describe('built-ins never fall through to app routing', () => {
  it('the registry has exactly the built-ins of the protocol', () => {
    expect(Object.keys(BUILTINS).sort()).toEqual([...BUILTIN_IDS].sort());
  });

  for (const [renderer, draw] of Object.entries(RENDERERS)) {
    for (const id of BUILTIN_IDS) {
      it(`${renderer} draws ${id} as the built-in, whatever kind the node claims`, () => {
        for (const kind of KINDS.filter((k) => k !== 'group')) expect(draw({ kind, ref: id })).toEqual({ type: 'builtin', id });
      });
    }
    it(`${renderer} sends only plain slugs to app routing`, () => {
      expect(draw({ kind: 'app', ref: 'tasks' })).toEqual({ type: 'app', slug: 'tasks' });
      for (const ref of ['../etc', '__terminal', 'Tasks', '__nope__', 'a/b', '']) expect(draw({ kind: 'app', ref })).toMatchObject({ type: 'missing' });
    });
  }

  it('the launcher and palette open built-ins as built-in nodes, which the protocol accepts', () => {
    for (const id of BUILTIN_IDS) {
      const { kind, ref } = nodeKindFor(id);
      expect(kind).toBe('builtin');
      expect(canvasNodeSchema.safeParse({ id: 'n', kind, ref, x: 0, y: 0, w: 400, h: 300 }).success).toBe(true);
      expect(surfaceOf({ kind, ref })).toEqual({ type: 'builtin', id });
    }
    expect(nodeKindFor('tasks')).toEqual({ kind: 'app', ref: 'tasks' });
  });
});

describe('a window keeps its place inside a built-in', () => {
  it('passes the node’s path to every renderer, and names the window after the built-in or the file', () => {
    for (const draw of Object.values(RENDERERS)) {
      expect(draw({ kind: 'builtin', ref: '__terminal__', path: 'tabc123' })).toEqual({ type: 'builtin', id: '__terminal__', path: 'tabc123' });
    }
    const terminal = { kind: 'builtin' as const, ref: '__terminal__', path: 'tabc123' };
    expect(windowTitle(terminal, surfaceOf(terminal), [])).toBe('Terminal');
    const preview = { kind: 'preview' as const, ref: 'docs/plan.md' };
    expect(windowTitle(preview, surfaceOf(preview), [])).toBe('plan.md');
  });
});
