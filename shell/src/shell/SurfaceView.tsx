'use client';
import { lazy, Suspense, type ComponentType } from 'react';
import type { BuiltinId } from '@matrix-os/protocol';
import { AppFrame } from '../apps/AppFrame.tsx';
import type { Surface } from '../builtins/registry.ts';

// Built-ins load on first use: xterm, previews and chat stay out of the first-load bundle.
/** What a built-in view gets: where inside it the window is, and how to move it elsewhere. */
interface BuiltinViewProps {
  path?: string;
  onPath?: (path: string) => void;
}

const BUILTIN_VIEWS: Record<BuiltinId, ComponentType<BuiltinViewProps>> = {
  __workspace__: lazy(() => import('../builtins/workspace/Workspace.tsx').then((m) => ({ default: m.Workspace }))),
  __terminal__: lazy(() => import('../builtins/terminal/TerminalView.tsx').then((m) => ({ default: ({ path, onPath }: BuiltinViewProps) => <m.TerminalView sessionId={path} onSession={onPath} /> }))),
  '__file-browser__': lazy(() => import('../builtins/files/FileBrowser.tsx').then((m) => ({ default: m.FileBrowser }))),
  '__preview-window__': lazy(() => import('../builtins/files/PreviewWindow.tsx').then((m) => ({ default: m.PreviewWindow }))),
  __chat__: lazy(() => import('../builtins/chat/ChatPanel.tsx').then((m) => ({ default: m.ChatPanel }))),
};

/** Draws what a window shows; the one place built-ins and apps are told apart. `onPath` keeps a built-in's place (a terminal's session) on its node. */
export function SurfaceView({ surface, onPath }: { surface: Surface; onPath?: (path: string) => void }) {
  switch (surface.type) {
    case 'builtin': {
      const View = BUILTIN_VIEWS[surface.id];
      return (
        <Suspense fallback={<div className="empty-state">Loading…</div>}>
          <View path={surface.path} onPath={onPath} />
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
