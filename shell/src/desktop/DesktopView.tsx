'use client';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { CanvasNode } from '@matrix-os/protocol';
import { BUILTINS } from '../builtins/registry.ts';
import type { CanvasSession } from '../canvas/canvas-session.ts';
import type { Placer } from '../canvas/CanvasView.tsx';
import { useCanvas } from '../canvas/use-canvas.ts';
import { AppIcon } from '../shell/AppIcon.tsx';
import { NoteText } from '../shell/NoteText.tsx';
import { SurfaceView } from '../shell/SurfaceView.tsx';
import { WindowChrome } from '../shell/WindowChrome.tsx';
import { useShell } from '../shell/shell-context.ts';
import { windowTitle } from '../shell/window-title.ts';
import { desktopSurface } from './desktop-surface.ts';

type Gesture = { id: string; mode: 'move' | 'resize'; startX: number; startY: number; node: CanvasNode };

/** Where a window of the canvas sits on the screen: kept inside the visible desktop. */
function onScreen(n: CanvasNode, area: { w: number; h: number }) {
  const w = Math.min(n.w, Math.max(240, area.w - 16));
  const h = Math.min(n.h, Math.max(160, area.h - 90));
  return { x: Math.max(0, Math.min(n.x, area.w - w)), y: Math.max(0, Math.min(n.y, area.h - h - 70)), w, h };
}

/** Desktop mode: the same windows as overlapping windows with a dock and a window switcher. */
export default function DesktopView({ session, placerRef, onLauncher }: { session: CanvasSession; placerRef: { current: Placer | null }; onLauncher(): void }) {
  const view = useCanvas(session);
  const { apps, open } = useShell();
  const areaRef = useRef<HTMLDivElement>(null);
  const [area, setArea] = useState({ w: 1200, h: 800 });
  const [gesture, setGesture] = useState<Gesture | null>(null);
  const [live, setLive] = useState<{ x: number; y: number; w: number; h: number } | null>(null);
  const [switcher, setSwitcher] = useState<number | null>(null);
  const windows = view.document.nodes.filter((n) => desktopSurface(n) !== null);
  const ordered = [...windows].sort((a, b) => a.z - b.z);
  const top = ordered.at(-1);

  useEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setArea({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    let n = 0;
    placerRef.current = () => ({ x: 60 + (n % 8) * 32, y: 40 + (n++ % 8) * 28 });
    return () => {
      placerRef.current = null;
    };
  }, [placerRef]);

  const raise = (n: CanvasNode) => {
    const max = Math.max(0, ...windows.map((w) => w.z));
    if (n.z < max || windows.filter((w) => w.z === max).length > 1) session.change([{ op: 'update', id: n.id, patch: { z: max + 1 } }]);
  };
  const setState = (n: CanvasNode, state: CanvasNode['state']) => session.change([{ op: 'update', id: n.id, patch: { state } }]);

  // Alt+Tab is the system's; Alt+` walks the windows, releasing Alt focuses the chosen one.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.altKey && e.key === '`' && ordered.length) {
        e.preventDefault();
        setSwitcher((s) => ((s ?? ordered.length - 1) - 1 + ordered.length) % ordered.length);
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === 'Alt' && switcher !== null) {
        const n = ordered[switcher];
        if (n) {
          raise(n);
          if (n.state === 'minimized') setState(n, 'normal');
        }
        setSwitcher(null);
      }
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  });

  const startGesture = (e: ReactPointerEvent, n: CanvasNode, mode: Gesture['mode']) => {
    if ((e.target as HTMLElement).closest('button')) return;
    e.preventDefault();
    const s = onScreen(n, area);
    setGesture({ id: n.id, mode, startX: e.clientX, startY: e.clientY, node: { ...n, ...s } });
    setLive(s);
    raise(n);
  };

  useEffect(() => {
    if (!gesture) return;
    const move = (e: PointerEvent) => {
      const dx = e.clientX - gesture.startX;
      const dy = e.clientY - gesture.startY;
      const n = gesture.node;
      setLive(gesture.mode === 'move' ? { x: n.x + dx, y: Math.max(0, n.y + dy), w: n.w, h: n.h } : { x: n.x, y: n.y, w: Math.max(240, n.w + dx), h: Math.max(120, n.h + dy) });
    };
    const up = () => {
      setGesture(null);
      setLive((l) => {
        if (l) session.change([gesture.mode === 'move' ? { op: 'move', id: gesture.id, x: Math.round(l.x), y: Math.round(l.y) } : { op: 'resize', id: gesture.id, w: Math.round(l.w), h: Math.round(l.h) }]);
        return null;
      });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up, { once: true });
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [gesture, session]);

  const dockTargets = [...apps.map((a) => ({ target: a.slug, name: a.name })), ...Object.entries(BUILTINS).filter(([, b]) => b.launchable).map(([id, b]) => ({ target: id, name: b.title }))];

  return (
    <div className="desktop" ref={areaRef} aria-label="Desktop">
      {windows.map((n) => {
        const surface = desktopSurface(n)!;
        const title = windowTitle(n, surface, apps);
        const pos = gesture?.id === n.id && live ? live : n.state === 'maximized' ? { x: 0, y: 0, w: area.w, h: area.h - 70 } : onScreen(n, area);
        if (surface.type === 'note') {
          return (
            <div key={n.id} className="desktop-window" style={{ left: pos.x, top: pos.y, width: pos.w, height: pos.h, zIndex: n.z + 1 }} onPointerDown={(e) => (e.target as HTMLElement).classList.contains('note-bar') && startGesture(e, n, 'move')}>
              <div className="note">
                <div className="note-bar" />
                <NoteText text={n.text ?? ''} onSave={(text) => session.change([{ op: 'update', id: n.id, patch: { text } }])} />
              </div>
            </div>
          );
        }
        return (
          <div key={n.id} className="desktop-window" style={{ left: pos.x, top: pos.y, width: pos.w, height: n.state === 'minimized' ? 0 : pos.h, zIndex: n.z + 1, display: n.state === 'minimized' ? 'none' : undefined }} onPointerDown={(e) => (e.target as HTMLElement).closest('.window-titlebar') && startGesture(e, n, 'move')}>
            <WindowChrome title={title} glyph={surface.type === 'builtin' ? BUILTINS[surface.id].glyph : '●'} state={n.state} focused={n === top} onFocus={() => raise(n)} onMinimize={() => setState(n, 'minimized')} onMaximize={() => setState(n, n.state === 'maximized' ? 'normal' : 'maximized')} onClose={() => session.change([{ op: 'remove', id: n.id }])}>
              {surface.type === 'file' ? <SurfaceView surface={{ type: 'builtin', id: '__preview-window__', path: surface.path }} /> : <SurfaceView surface={surface} onPath={(path) => session.change([{ op: 'update', id: n.id, patch: { path } }])} />}
            </WindowChrome>
            {n.state === 'normal' && <div aria-hidden onPointerDown={(e) => startGesture(e, n, 'resize')} style={{ position: 'absolute', right: 0, bottom: 0, width: 16, height: 16, cursor: 'nwse-resize' }} />}
          </div>
        );
      })}
      {gesture && <div style={{ position: 'absolute', inset: 0, zIndex: 10_000, cursor: gesture.mode === 'move' ? 'grabbing' : 'nwse-resize' }} />}
      <nav className="dock" aria-label="Dock">
        <button type="button" aria-label="Launcher" title="All apps" onClick={onLauncher}>
          ⊞
        </button>
        <span className="sep" />
        {dockTargets.map((d) => {
          const openWins = windows.filter((w) => w.ref === d.target);
          return (
            <button
              key={d.target}
              type="button"
              className={openWins.length ? 'open' : ''}
              aria-label={d.name}
              title={d.name}
              onClick={() => {
                const w = openWins.at(-1);
                if (!w) return open(d.target);
                if (w.state === 'minimized') setState(w, 'normal');
                raise(w);
              }}
            >
              <AppIcon target={d.target} name={d.name} />
            </button>
          );
        })}
      </nav>
      {switcher !== null && (
        <div className="overlay" style={{ placeItems: 'center', paddingTop: 0 }}>
          <div className="panel" style={{ width: 'auto' }}>
            <div className="body" style={{ display: 'flex', gap: 12 }}>
              {ordered.map((n, i) => (
                <div key={n.id} style={{ display: 'grid', justifyItems: 'center', gap: 6, padding: 10, borderRadius: 10, background: i === switcher ? 'var(--hover)' : undefined }}>
                  <AppIcon target={n.ref ?? ''} name={windowTitle(n, desktopSurface(n)!, apps)} />
                  <span style={{ fontSize: 12 }}>{windowTitle(n, desktopSurface(n)!, apps)}</span>
                </div>
              ))}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
