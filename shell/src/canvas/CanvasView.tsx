'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type NodeChange, type Viewport } from '@xyflow/react';
import type { CanvasOp } from '@matrix-os/protocol';
import { SurfaceView } from '../shell/SurfaceView.tsx';
import { WindowChrome } from '../shell/WindowChrome.tsx';
import { useShell } from '../shell/shell-context.ts';
import { windowTitle } from '../shell/window-title.ts';
import { CanvasActionsContext, type CanvasActions } from './canvas-actions.ts';
import { NODE_TYPES, type FlowNode } from './canvas-nodes.tsx';
import type { CanvasSession } from './canvas-session.ts';
import { canvasSurface } from './canvas-surface.ts';
import { findFreeSpot, union } from './free-spot.ts';
import { useCanvas } from './use-canvas.ts';

const TITLEBAR = 34;
type Override = { x: number; y: number; w?: number; h?: number };

/** Where a new window goes: the middle of what the user is looking at, cascading. */
export type Placer = (w: number, h: number) => { x: number; y: number };
/** Brings the window showing `ref` (an app slug or a built-in id) into view; false when this canvas has none. */
export type Revealer = (ref: string) => boolean;

function viewportKey(id: string) {
  return `matrix.viewport.${id}`;
}

function savedViewport(id: string): Viewport | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(viewportKey(id)) ?? 'null') as Viewport | null;
    return v && [v.x, v.y, v.zoom].every(Number.isFinite) ? v : undefined;
  } catch {
    return undefined;
  }
}

function editableTarget(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

interface CanvasViewProps {
  session: CanvasSession;
  placerRef: { current: Placer | null };
  revealRef: { current: Revealer | null };
}

function Canvas({ session, placerRef, revealRef }: CanvasViewProps) {
  const view = useCanvas(session);
  const { apps } = useShell();
  const flow = useReactFlow();
  const [overrides, setOverrides] = useState<Map<string, Override>>(new Map());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const cascade = useRef(0);
  const docNodes = view.document.nodes;

  const actions = useMemo<CanvasActions>(
    () => ({
      change: (ops: CanvasOp[]) => session.change(ops),
      raise: (id: string) => {
        const nodes = session.snapshot.document.nodes;
        const top = Math.max(0, ...nodes.map((n) => n.z));
        const node = nodes.find((n) => n.id === id);
        if (node && (node.z < top || nodes.filter((n) => n.z === top).length > 1)) session.change([{ op: 'update', id, patch: { z: top + 1 } }]);
      },
    }),
    [session],
  );

  useEffect(() => {
    placerRef.current = (w, h) => {
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      const from = pane ? flow.screenToFlowPosition({ x: pane.left, y: pane.top }) : { x: 0, y: 0 };
      const to = pane ? flow.screenToFlowPosition({ x: pane.right, y: pane.bottom }) : { x: w, y: h };
      const taken = session.snapshot.document.nodes.filter((n) => n.state !== 'minimized' && n.kind !== 'group');
      const view = { x: from.x, y: from.y, w: to.x - from.x, h: to.y - from.y };
      const spot = findFreeSpot(taken, { w, h }, view, cascade.current++);
      // No room in view: zoom out just enough to show the new window beside what was on screen.
      if (!spot.inView) {
        const all = union(view, { x: spot.x, y: spot.y, w, h });
        void flow.fitBounds({ x: all.x, y: all.y, width: all.w, height: all.h }, { padding: 0.02, duration: 200 });
      }
      return { x: spot.x, y: spot.y };
    };
    return () => {
      placerRef.current = null;
    };
  }, [flow, placerRef, session]);

  useEffect(() => {
    revealRef.current = (ref) => {
      // The newest window for that target: the one the kernel just placed or resized.
      const node = session.snapshot.document.nodes.filter((n) => n.ref === ref && canvasSurface(n).type === 'window').at(-1);
      if (!node) return false;
      if (node.state === 'minimized') session.change([{ op: 'update', id: node.id, patch: { state: 'normal' } }]);
      void flow.fitBounds({ x: node.x, y: node.y, width: node.w, height: node.h }, { padding: 0.15, duration: 300 });
      setSelected(new Set([node.id]));
      return true;
    };
    return () => {
      revealRef.current = null;
    };
  }, [flow, session, revealRef]);

  const maximized = docNodes.find((n) => n.state === 'maximized' && canvasSurface(n).type === 'window');

  const nodes = useMemo<FlowNode[]>(
    () =>
      docNodes
        .filter((n) => n !== maximized)
        .map((n) => {
          const { type, surface } = canvasSurface(n);
          const o = overrides.get(n.id);
          const h = n.state === 'minimized' ? TITLEBAR : (o?.h ?? n.h);
          return {
            id: n.id,
            type,
            position: { x: o?.x ?? n.x, y: o?.y ?? n.y },
            width: o?.w ?? n.w,
            height: h,
            style: { width: o?.w ?? n.w, height: h },
            zIndex: type === 'group' ? -1 : n.z,
            selected: selected.has(n.id),
            dragHandle: type === 'window' ? '.window-titlebar' : type === 'note' ? '.note-bar' : undefined,
            data: { node: n, surface, title: windowTitle(n, surface, apps) },
          } satisfies FlowNode;
        }),
    [docNodes, maximized, overrides, selected, apps],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setOverrides((prev) => {
      let next: Map<string, Override> | null = null;
      for (const c of changes) {
        if (c.type === 'position' && c.position && c.dragging) {
          next ??= new Map(prev);
          next.set(c.id, { ...next.get(c.id), x: c.position.x, y: c.position.y });
        } else if (c.type === 'dimensions' && c.resizing && c.dimensions) {
          next ??= new Map(prev);
          const cur = next.get(c.id);
          next.set(c.id, { x: cur?.x ?? NaN, y: cur?.y ?? NaN, ...cur, w: c.dimensions.width, h: c.dimensions.height });
        }
      }
      return next ?? prev;
    });
    const sel = changes.filter((c) => c.type === 'select');
    if (sel.length)
      setSelected((prev) => {
        const next = new Set(prev);
        for (const c of sel) if (c.type === 'select') c.selected ? next.add(c.id) : next.delete(c.id);
        return next;
      });
  }, []);

  // Once the change is in the document (at once, optimistically), the override is not needed.
  useEffect(() => {
    setOverrides((prev) => {
      if (prev.size === 0) return prev;
      const next = new Map(prev);
      for (const [id, o] of prev) {
        const n = docNodes.find((d) => d.id === id);
        if (!n || (Math.round(o.x) === n.x && Math.round(o.y) === n.y) || (o.w !== undefined && Math.round(o.w) === n.w && Math.round(o.h ?? 0) === n.h)) next.delete(id);
      }
      return next.size === prev.size ? prev : next;
    });
  }, [docNodes]);

  const onNodeDragStop = useCallback(
    (_e: unknown, _node: FlowNode, dragged: FlowNode[]) => {
      const ops: CanvasOp[] = [];
      const nodes = session.snapshot.document.nodes;
      for (const d of dragged) {
        const before = nodes.find((n) => n.id === d.id);
        if (!before) continue;
        const x = Math.round(d.position.x);
        const y = Math.round(d.position.y);
        if (x === before.x && y === before.y) continue;
        ops.push({ op: 'move', id: d.id, x, y });
        // Members of a moved group follow it.
        if (before.kind === 'group')
          for (const m of nodes) if (m.parent === d.id && !dragged.some((o) => o.id === m.id)) ops.push({ op: 'move', id: m.id, x: m.x + x - before.x, y: m.y + y - before.y });
      }
      session.change(ops);
      if (ops.length === 0) setOverrides(new Map());
    },
    [session],
  );

  const groupSelected = useCallback(() => {
    const members = session.snapshot.document.nodes.filter((n) => selected.has(n.id) && n.kind !== 'group');
    if (members.length < 2) return;
    const pad = 24;
    const x = Math.min(...members.map((n) => n.x)) - pad;
    const y = Math.min(...members.map((n) => n.y)) - pad;
    const w = Math.max(...members.map((n) => n.x + n.w)) + pad - x;
    const h = Math.max(...members.map((n) => n.y + n.h)) + pad - y;
    const id = `g${Date.now().toString(36)}`;
    session.change([{ op: 'add', node: { id, kind: 'group', x, y, w, h, title: 'Group', state: 'normal', z: 0 } }, ...members.map((m) => ({ op: 'update' as const, id: m.id, patch: { parent: id } }))]);
  }, [selected, session]);

  // Keyboard: arrows move the selection, [ and ] walk between windows, Ctrl+G groups, Alt+N adds a note.
  const walk = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (editableTarget(e.target) || document.querySelector('.overlay')) return;
      const nodes = session.snapshot.document.nodes;
      const sel = nodes.filter((n) => selected.has(n.id));
      if (e.key.startsWith('Arrow') && sel.length && !e.metaKey && !e.ctrlKey) {
        const d = e.shiftKey ? 100 : 20;
        const dx = e.key === 'ArrowLeft' ? -d : e.key === 'ArrowRight' ? d : 0;
        const dy = e.key === 'ArrowUp' ? -d : e.key === 'ArrowDown' ? d : 0;
        session.change(sel.map((n) => ({ op: 'move', id: n.id, x: n.x + dx, y: n.y + dy })));
        e.preventDefault();
      } else if ((e.key === ']' || e.key === '[') && nodes.length) {
        walk.current = (walk.current + (e.key === ']' ? 1 : nodes.length - 1)) % nodes.length;
        const n = nodes[walk.current]!;
        setSelected(new Set([n.id]));
        void flow.setCenter(n.x + n.w / 2, n.y + n.h / 2, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 });
      } else if (e.key.toLowerCase() === 'g' && (e.ctrlKey || e.metaKey)) {
        groupSelected();
        e.preventDefault();
      } else if (e.key.toLowerCase() === 'n' && e.altKey) {
        const at = placerRef.current?.(240, 180) ?? { x: 0, y: 0 };
        session.change([{ op: 'add', node: { id: `n${Date.now().toString(36)}`, kind: 'note', ...at, w: 240, h: 180, text: '', state: 'normal', z: 0 } }]);
        e.preventDefault();
      } else if (e.key === 'Escape') setSelected(new Set());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, selected, flow, groupSelected, placerRef]);

  if (view.status === 'loading') return null;
  if (view.status === 'deleted') return <div className="empty-state">This canvas was deleted.</div>;
  if (view.status === 'error') return <div className="empty-state">{view.error}</div>;

  return (
    <CanvasActionsContext.Provider value={actions}>
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={[]}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onNodesDelete={(deleted) => session.change(deleted.map((n) => ({ op: 'remove', id: n.id })))}
        deleteKeyCode={['Delete', 'Backspace']}
        defaultViewport={savedViewport(session.id) ?? { x: 40, y: 40, zoom: 0.9 }}
        onMoveEnd={(_e, v) => localStorage.setItem(viewportKey(session.id), JSON.stringify(v))}
        minZoom={0.1}
        maxZoom={2.5}
        onlyRenderVisibleElements
        panOnScroll
        zoomOnScroll={false}
        zoomActivationKeyCode={['Meta', 'Control']}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        disableKeyboardA11y
        // Stacking follows focus (a window's z), not selection: a selected group must not cover the windows on it.
        elevateNodesOnSelect={false}
        proOptions={{ hideAttribution: true }}
        aria-label={`Canvas ${view.name}`}
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1.2} color="color-mix(in oklab, var(--matrix-fg) 22%, transparent)" />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap pannable zoomable position="bottom-right" nodeColor="color-mix(in oklab, var(--matrix-accent) 45%, var(--matrix-surface))" maskColor="color-mix(in oklab, var(--matrix-bg) 60%, transparent)" />
      </ReactFlow>
      {docNodes.length === 0 && (
        <div className="canvas-empty" role="note">
          <strong>This canvas is empty.</strong>
          <span>
            Open an app from <b>Apps</b>, search with <span className="kbd">Ctrl K</span>, or add a note with <span className="kbd">Alt N</span>.
          </span>
        </div>
      )}
      {maximized && (
        <div className="maximized-layer">
          <WindowChrome
            title={windowTitle(maximized, canvasSurface(maximized).surface, apps)}
            state="maximized"
            focused
            onMinimize={() => session.change([{ op: 'update', id: maximized.id, patch: { state: 'minimized' } }])}
            onMaximize={() => session.change([{ op: 'update', id: maximized.id, patch: { state: 'normal' } }])}
            onClose={() => session.change([{ op: 'remove', id: maximized.id }])}
          >
            <SurfaceView surface={canvasSurface(maximized).surface} onPath={(path) => session.change([{ op: 'update', id: maximized.id, patch: { path } }])} />
          </WindowChrome>
        </div>
      )}
      {view.error && <div className="toast" role="status">{view.error}</div>}
    </CanvasActionsContext.Provider>
  );
}

/** Canvas mode: the current canvas as an infinite pan/zoom workspace. */
export default function CanvasView({ session, placerRef, revealRef }: CanvasViewProps) {
  return (
    <ReactFlowProvider key={session.id}>
      <Canvas session={session} placerRef={placerRef} revealRef={revealRef} />
    </ReactFlowProvider>
  );
}
