'use client';
import { lazy, Suspense, type ComponentType } from 'react';
import type { BuiltinId } from '@matrix-os/protocol';
import { AppFrame } from '../apps/AppFrame.tsx';
import type { Surface } from '../builtins/registry.ts';

// Built-ins load on first use: xterm, previews and chat stay out of the first-load bundle.
const BUILTIN_VIEWS: Record<BuiltinId, ComponentType<{ path?: string }>> = {
  __workspace__: lazy(() => import('../builtins/workspace/Workspace.tsx').then((m) => ({ default: m.Workspace }))),
  __terminal__: lazy(() => import('../builtins/terminal/TerminalView.tsx').then((m) => ({ default: () => <m.TerminalView /> }))),
  '__file-browser__': lazy(() => import('../builtins/files/FileBrowser.tsx').then((m) => ({ default: m.FileBrowser }))),
  '__preview-window__': lazy(() => import('../builtins/files/PreviewWindow.tsx').then((m) => ({ default: m.PreviewWindow }))),
  __chat__: lazy(() => import('../builtins/chat/ChatPanel.tsx').then((m) => ({ default: m.ChatPanel }))),
};

/** Draws what a window shows; the one place built-ins and apps are told apart. */
export function SurfaceView({ surface }: { surface: Surface }) {
  switch (surface.type) {
    case 'builtin': {
      const View = BUILTIN_VIEWS[surface.id];
      return (
        <Suspense fallback={<div className="empty-state">Loading…</div>}>
          <View path={surface.path} />
        </Suspense>
      );
    }
    case 'app':
      return <AppFrame slug={surface.slug} />;
    case 'missing':
      return <div className="empty-state">{surface.reason}</div>;
    default:
      return null;
  }
}
