import type { CanvasNode } from '@matrix-os/protocol';
import { surfaceOf, type Surface } from '../builtins/registry.ts';

/** What the desktop renderer shows in a window (groups have no window); through the shared registry. */
export function desktopSurface(node: Pick<CanvasNode, 'kind' | 'ref' | 'path'>): Surface | null {
  const surface = surfaceOf(node);
  return surface.type === 'group' ? null : surface;
}
