import type { CanvasNode } from '@matrix-os/protocol';
import { BUILTINS, type Surface } from '../builtins/registry.ts';
import type { AppInfo } from './shell-context.ts';

/** The title a window shows: its own, else its app's or built-in's name, else the file's name. */
export function windowTitle(node: Pick<CanvasNode, 'title' | 'ref'>, surface: Surface, apps: readonly AppInfo[]): string {
  if (node.title) return node.title;
  switch (surface.type) {
    case 'builtin':
      // A preview is named after its file; a terminal's path is a session id, not a name.
      return surface.id === '__preview-window__' && surface.path ? (surface.path.split('/').pop() ?? surface.path) : BUILTINS[surface.id].title;
    case 'app':
      return apps.find((a) => a.slug === surface.slug)?.name ?? surface.slug;
    case 'file':
      return surface.path.split('/').pop() ?? surface.path;
    case 'note':
      return 'Note';
    default:
      return node.ref ?? 'Window';
  }
}
