import type { CanvasNode } from '@matrix-os/protocol';
import { surfaceOf, type Surface } from '../builtins/registry.ts';

/** The React Flow node type that draws a canvas node. */
export type CanvasNodeType = 'window' | 'note' | 'file' | 'group';

/** What the canvas renderer draws for a node: through the shared registry, never its own routing. */
export function canvasSurface(node: Pick<CanvasNode, 'kind' | 'ref' | 'path'>): { type: CanvasNodeType; surface: Surface } {
  const surface = surfaceOf(node);
  const type: CanvasNodeType = surface.type === 'note' ? 'note' : surface.type === 'file' ? 'file' : surface.type === 'group' ? 'group' : 'window';
  return { type, surface };
}
