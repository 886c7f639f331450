'use client';
import { memo, useCallback } from 'react';
import { NodeResizer, type Node, type NodeProps } from '@xyflow/react';
import type { CanvasNode } from '@matrix-os/protocol';
import { BUILTINS, type Surface } from '../builtins/registry.ts';
import { NoteText } from '../shell/NoteText.tsx';
import { SurfaceView } from '../shell/SurfaceView.tsx';
import { WindowChrome } from '../shell/WindowChrome.tsx';
import { useShell } from '../shell/shell-context.ts';
import { useCanvasActions } from './canvas-actions.ts';

export type FlowNodeData = { node: CanvasNode; surface: Surface; title: string };
export type FlowNode = Node<FlowNodeData>;

function Resizer({ node, min = 160 }: { node: CanvasNode; min?: number }) {
  const { change } = useCanvasActions();
  return (
    <NodeResizer
      minWidth={min}
      minHeight={80}
      lineStyle={{ borderColor: 'transparent', borderWidth: 6 }}
      handleStyle={{ width: 10, height: 10, borderRadius: 3, background: 'var(--matrix-accent)', border: 0 }}
      onResizeEnd={(_e, p) => change([{ op: 'resize', id: node.id, w: Math.round(p.width), h: Math.round(p.height), x: Math.round(p.x), y: Math.round(p.y) }])}
      isVisible={undefined}
    />
  );
}

/** An app, built-in or preview window on the canvas. */
export const WindowNode = memo(function WindowNode({ data, selected }: NodeProps<FlowNode>) {
  const { node, surface, title } = data;
  const { change, raise } = useCanvasActions();
  const setState = (state: CanvasNode['state']) => change([{ op: 'update', id: node.id, patch: { state } }]);
  return (
    <>
      {selected && node.state === 'normal' && <Resizer node={node} />}
      <WindowChrome
        title={title}
        glyph={surface.type === 'builtin' ? BUILTINS[surface.id].glyph : '●'}
        state={node.state}
        focused={selected}
        onFocus={() => raise(node.id)}
        onMinimize={() => setState(node.state === 'minimized' ? 'normal' : 'minimized')}
        onMaximize={() => setState(node.state === 'maximized' ? 'normal' : 'maximized')}
        onClose={() => change([{ op: 'remove', id: node.id }])}
      >
        <SurfaceView surface={surface} onPath={(path) => change([{ op: 'update', id: node.id, patch: { path } }])} />
      </WindowChrome>
    </>
  );
});

/** A sticky note. */
export const NoteNode = memo(function NoteNode({ data, selected }: NodeProps<FlowNode>) {
  const { node } = data;
  const { change } = useCanvasActions();
  const save = useCallback((text: string) => change([{ op: 'update', id: node.id, patch: { text } }]), [change, node.id]);
  return (
    <>
      {selected && <Resizer node={node} min={120} />}
      <div className="note">
        <div className="note-bar">
          <button type="button" className="btn ghost nodrag" style={{ height: 18, padding: '0 6px', fontSize: 11 }} aria-label="Delete note" onClick={() => change([{ op: 'remove', id: node.id }])}>
            ✕
          </button>
        </div>
        <NoteText className="nodrag nowheel" text={node.text ?? ''} onSave={save} />
      </div>
    </>
  );
});

/** A file on the canvas: double-click to preview it. */
export const FileNode = memo(function FileNode({ data }: NodeProps<FlowNode>) {
  const { openFile } = useShell();
  const path = data.surface.type === 'file' ? data.surface.path : '';
  return (
    <div className="file-card" onDoubleClick={() => openFile(path)} title={path}>
      <span style={{ fontSize: 22 }} aria-hidden>
        ▤
      </span>
      <div style={{ minWidth: 0 }}>
        <div style={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis' }}>{data.title}</div>
        <div className="muted" style={{ fontSize: 11, overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {path}
        </div>
      </div>
    </div>
  );
});

/** A group frame; its members move with it. */
export const GroupNode = memo(function GroupNode({ data, selected }: NodeProps<FlowNode>) {
  return (
    <>
      {selected && <Resizer node={data.node} />}
      <div className="group-frame">
        <span className="label">{data.title === 'Window' ? 'Group' : data.title}</span>
      </div>
    </>
  );
});

export const NODE_TYPES = { window: WindowNode, note: NoteNode, file: FileNode, group: GroupNode };
