'use client';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CanvasRecord } from '@matrix-os/protocol';
import { AppBridgeHost } from '../apps/app-bridge-host.ts';
import { BUILTINS, nodeKindFor } from '../builtins/registry.ts';
import { CanvasSession } from '../canvas/canvas-session.ts';
import type { Placer, Revealer } from '../canvas/CanvasView.tsx';
import CanvasView from '../canvas/CanvasView.tsx';
import { api } from '../lib/api.ts';
import { bootApi } from '../lib/boot.ts';
import { activeTheme, onThemeChange, syncPrefs, usePrefs, WALLPAPERS } from '../lib/prefs.ts';
import { CanvasSwitcher, type CanvasSummary } from './CanvasSwitcher.tsx';
import { Launcher } from './Launcher.tsx';
import { ShellContext, type AppInfo, type ShellApi } from './shell-context.ts';
import { useApps } from './use-apps.ts';
import { useKernelEvents } from './use-kernel-events.ts';

const DesktopView = lazy(() => import('../desktop/DesktopView.tsx'));
const CommandPalette = lazy(() => import('./CommandPalette.tsx'));
const SettingsPanel = lazy(() => import('./SettingsPanel.tsx'));

type ToastLevel = 'info' | 'success' | 'warning' | 'error';
interface Toast {
  title?: string;
  text: string;
  level: ToastLevel;
}

// The kernel announces a window before its canvas change arrives over the canvas socket.
const REVEAL_WAIT_MS = 3000;

const ACTIVE_KEY = 'matrix.canvas';
const MODE_KEY = 'matrix.mode';

/** The first canvas of a new machine: the default apps side by side, and a note on how to move around. */
function firstCanvas(apps: AppInfo[]): CanvasRecord['document'] {
  const nodes: CanvasRecord['document']['nodes'] = apps.slice(0, 6).map((a, i) => ({ id: `app-${a.slug}`, kind: 'app', ref: a.slug, x: 40 + (i % 3) * 500, y: 40 + Math.floor(i / 3) * 460, w: 460, h: 420, state: 'normal', z: i }));
  nodes.push({ id: 'welcome', kind: 'note', x: 40, y: -200, w: 360, h: 170, text: 'Welcome to Matrix OS.\n\nDrag windows by their title bar, scroll to pan, Ctrl-scroll to zoom. Ctrl/Cmd-K opens anything. Alt-N adds a note.', state: 'normal', z: 0 });
  return { version: 1, nodes };
}

/** The signed-in shell: top bar, the current canvas in Canvas or Desktop mode, launcher, palette, settings. */
export function Shell({ onSignedOut }: { onSignedOut(): void }) {
  const prefs = usePrefs();
  const { apps, loaded } = useApps();
  const [canvases, setCanvases] = useState<CanvasSummary[] | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [mode, setMode] = useState<'canvas' | 'desktop'>(() => (typeof localStorage !== 'undefined' && (localStorage.getItem(MODE_KEY) as 'canvas' | 'desktop' | null)) || prefs.defaultMode);
  const [overlay, setOverlay] = useState<'launcher' | 'palette' | 'settings' | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const notify = useCallback((text: string, level: ToastLevel = 'info') => setToast({ text, level }), []);
  const placerRef = useRef<Placer | null>(null);
  const revealRef = useRef<Revealer | null>(null);
  const openRef = useRef<ShellApi['open']>(() => {});
  const [bridge, setBridge] = useState<AppBridgeHost | null>(null);
  useEffect(() => {
    const host = new AppBridgeHost((t, p) => openRef.current(t, { path: p }), activeTheme, () => setOverlay('palette'));
    setBridge(host);
    const off = onThemeChange((t) => host.broadcastTheme(t));
    return () => {
      off();
      host.dispose();
    };
  }, []);

  // The machine's copy of the preferences wins over this browser's (set in another browser, say).
  useEffect(() => {
    syncPrefs().catch(() => {});
  }, []);

  const [session, setSession] = useState<CanvasSession | null>(null);
  useEffect(() => {
    if (!activeId) return;
    const s = new CanvasSession(activeId);
    setSession(s);
    return () => s.close();
  }, [activeId]);

  const loadCanvases = useCallback(async () => {
    const { canvases: list } = await bootApi<{ canvases: CanvasSummary[] }>('/api/canvas');
    setCanvases(list);
    return list;
  }, []);

  // The canvas used last opens at once: its document loads alongside the list and the apps.
  useEffect(() => {
    const remembered = localStorage.getItem(ACTIVE_KEY);
    if (remembered && /^[0-9a-f-]{36}$/.test(remembered)) setActiveId(remembered);
    loadCanvases().catch((e: Error) => notify(e.message, 'error'));
  }, [loadCanvases]);

  // No canvas yet: make the first one with the default apps on it. A stale choice: the latest canvas.
  const creating = useRef(false);
  useEffect(() => {
    if (!canvases) return;
    if (canvases.length > 0) {
      if (!activeId || !canvases.some((c) => c.id === activeId)) setActiveId(canvases[0]!.id);
      return;
    }
    if (!loaded || creating.current) return;
    creating.current = true;
    api<{ id: string }>('/api/canvas', { method: 'POST', json: { name: 'Home', document: firstCanvas(apps.filter((a) => a.status === 'ok')) } })
      .then(async (c) => {
        await loadCanvases();
        setActiveId(c.id);
      })
      .catch((e: Error) => notify(e.message, 'error'));
  }, [canvases, activeId, loaded, apps, loadCanvases]);

  useEffect(() => {
    if (activeId) localStorage.setItem(ACTIVE_KEY, activeId);
  }, [activeId]);
  useEffect(() => localStorage.setItem(MODE_KEY, mode), [mode]);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), toast.level === 'error' ? 8000 : 5000);
    return () => clearTimeout(t);
  }, [toast]);

  const open = useCallback<ShellApi['open']>(
    (target, options = {}) => {
      if (!session) return;
      const { kind, ref } = nodeKindFor(target);
      const size = kind === 'builtin' ? BUILTINS[ref as keyof typeof BUILTINS] : { w: 520, h: 460 };
      const at = placerRef.current?.(size.w, size.h) ?? { x: 80, y: 80 };
      const z = Math.max(0, ...session.snapshot.document.nodes.map((n) => n.z)) + 1;
      const id = `${kind === 'app' ? ref : ref.replace(/_/g, '')}-${Date.now().toString(36)}`;
      session.change([{ op: 'add', node: { id, kind, ref, ...at, w: size.w, h: size.h, state: 'normal', z, ...(options.title ? { title: options.title } : {}) } }]);
    },
    [session],
  );
  openRef.current = open;

  // A direct visit to /apps/<slug>/ lands here as `/?open=<slug>`: open that app once the canvas is ready.
  const pendingOpen = useRef(typeof location !== 'undefined' ? new URLSearchParams(location.search).get('open') : null);
  useEffect(() => {
    const slug = pendingOpen.current;
    if (!session || !slug) return;
    const tryOpen = () => {
      // Opening changes the canvas, which calls this listener again before it is removed.
      if (pendingOpen.current !== slug) return true;
      if (session.snapshot.status !== 'ready') return false;
      pendingOpen.current = null;
      history.replaceState(null, '', location.pathname);
      if (/^[a-z0-9][a-z0-9-]{0,47}$/.test(slug)) open(slug);
      return true;
    };
    if (tryOpen()) return;
    const off = session.subscribe(() => {
      if (tryOpen()) off();
    });
    return off;
  }, [session, open]);

  const openFile = useCallback(
    (path: string) => {
      if (!session) return;
      const at = placerRef.current?.(640, 480) ?? { x: 80, y: 80 };
      const z = Math.max(0, ...session.snapshot.document.nodes.map((n) => n.z)) + 1;
      session.change([{ op: 'add', node: { id: `preview-${Date.now().toString(36)}`, kind: 'preview', ref: path, ...at, w: 640, h: 480, state: 'normal', z } }]);
    },
    [session],
  );

  // The kernel's notifications show as toasts; a window it opens is brought into view when it lands
  // on this canvas, and named when it lands on another one.
  useKernelEvents({
    notify: (n) => setToast({ title: n.title, text: n.body, level: n.level }),
    window: ({ target }) => {
      if (!session || mode !== 'canvas') return;
      if (revealRef.current?.(target)) return;
      let done = false;
      const off = session.subscribe(() => {
        if (!done && revealRef.current?.(target)) stop();
      });
      const timer = setTimeout(() => {
        if (done) return;
        stop();
        loadCanvases()
          .then((list) => list[0] && list[0].id !== session.id && notify(`${target} was opened on the canvas “${list[0].name}”.`))
          .catch(() => {});
      }, REVEAL_WAIT_MS);
      const stop = () => {
        done = true;
        off();
        clearTimeout(timer);
      };
    },
  });

  const shellApi = useMemo<ShellApi | null>(
    () => (bridge ? { apps, session, bridge, open, openFile, openSettings: () => setOverlay('settings'), notify } : null),
    [apps, session, bridge, open, openFile, notify],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOverlay((o) => (o === 'palette' ? null : 'palette'));
      } else if (e.key === 'Escape') setOverlay(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!shellApi) return null;
  const signOut = async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
    onSignedOut();
  };

  return (
    <ShellContext.Provider value={shellApi}>
      <div className="shell">
        <div className="wallpaper" style={{ background: WALLPAPERS[prefs.wallpaper].css }} aria-hidden />
        <header className="topbar">
          <span className="brand-mark" style={{ width: 22, height: 22, borderRadius: 6 }} aria-hidden />
          <strong style={{ fontSize: 13, marginRight: 8 }}>Matrix OS</strong>
          {canvases && activeId && <CanvasSwitcher canvases={canvases} activeId={activeId} onSelect={setActiveId} reload={loadCanvases} notify={notify} />}
          <span className="spacer" />
          <div className="segmented" role="group" aria-label="Mode">
            <button type="button" aria-pressed={mode === 'canvas'} onClick={() => setMode('canvas')}>
              Canvas
            </button>
            <button type="button" aria-pressed={mode === 'desktop'} onClick={() => setMode('desktop')}>
              Desktop
            </button>
          </div>
          <button type="button" className="btn ghost" onClick={() => setOverlay('launcher')}>
            Apps
          </button>
          <button type="button" className="btn ghost" onClick={() => setOverlay('palette')} aria-label="Search">
            Search <span className="kbd">⌘K</span>
          </button>
          <button type="button" className="btn ghost" onClick={() => setOverlay('settings')} aria-label="Settings">
            ⚙
          </button>
          <button type="button" className="btn ghost" onClick={signOut}>
            Sign out
          </button>
        </header>
        <main className="workspace">
          {session &&
            (mode === 'canvas' ? (
              <CanvasView session={session} placerRef={placerRef} revealRef={revealRef} />
            ) : (
              <Suspense fallback={null}>
                <DesktopView session={session} placerRef={placerRef} onLauncher={() => setOverlay('launcher')} />
              </Suspense>
            ))}
        </main>
        {overlay === 'launcher' && <Launcher onClose={() => setOverlay(null)} />}
        <Suspense fallback={null}>
          {overlay === 'palette' && <CommandPalette canvases={canvases ?? []} onSelectCanvas={setActiveId} onMode={setMode} onClose={() => setOverlay(null)} />}
          {overlay === 'settings' && <SettingsPanel onClose={() => setOverlay(null)} />}
        </Suspense>
        {toast && (
          <div className={`toast toast-${toast.level}`} role={toast.level === 'error' ? 'alert' : 'status'}>
            {toast.title && <strong>{toast.title}</strong>}
            {toast.text && <div>{toast.text}</div>}
          </div>
        )}
      </div>
    </ShellContext.Provider>
  );
}
