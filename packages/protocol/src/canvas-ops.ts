/*
 * The canvas's plain values and its operation logic, free of Zod so the shell's first load does
 * not carry it (the shell re-applies operations in the browser). The schemas are in canvas.ts.
 */
import type { CanvasDocument, CanvasOp } from './canvas.ts';

export const CANVAS_LIMITS = {
  maxNodes: 2000,
  maxOpsPerBatch: 200,
  maxNoteChars: 20_000,
  maxNameChars: 80,
  /** Positions stay within ±this many pixels. */
  maxCoord: 10_000_000,
} as const;

/** Built-in surfaces of the shell; never routed to an app. */
export const BUILTIN_IDS = ['__workspace__', '__terminal__', '__file-browser__', '__preview-window__', '__chat__'] as const;
export type BuiltinId = (typeof BUILTIN_IDS)[number];

export const CANVAS_DOCUMENT_VERSION = 1;

/** Why an operation could not apply to a document. */
export class CanvasOpError extends Error {
  constructor(
    readonly reason: 'missing' | 'duplicate' | 'full' | 'cycle',
    message: string,
  ) {
    super(message);
  }
}

/** An empty document. */
export function emptyCanvasDocument(): CanvasDocument {
  return { version: CANVAS_DOCUMENT_VERSION, nodes: [] };
}

/**
 * Applies operations to a document and returns the new one (the input is not changed). Throws
 * `CanvasOpError` when an operation names a node that is not there, adds one that is, or overfills.
 */
export function applyCanvasOps(doc: CanvasDocument, ops: readonly CanvasOp[]): CanvasDocument {
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const existing = (id: string) => {
    const n = nodes.get(id);
    if (!n) throw new CanvasOpError('missing', `No node "${id}" on this canvas.`);
    return n;
  };
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        if (nodes.has(op.node.id)) throw new CanvasOpError('duplicate', `A node "${op.node.id}" is already on this canvas.`);
        if (nodes.size >= CANVAS_LIMITS.maxNodes) throw new CanvasOpError('full', `A canvas holds at most ${CANVAS_LIMITS.maxNodes} nodes.`);
        nodes.set(op.node.id, op.node);
        break;
      case 'move':
        nodes.set(op.id, { ...existing(op.id), x: op.x, y: op.y });
        break;
      case 'resize': {
        const n = existing(op.id);
        nodes.set(op.id, { ...n, w: op.w, h: op.h, x: op.x ?? n.x, y: op.y ?? n.y });
        break;
      }
      case 'update': {
        const n = existing(op.id);
        const next = { ...n };
        for (const [k, v] of Object.entries(op.patch)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
        if (op.patch.parent) {
          if (op.patch.parent === op.id) throw new CanvasOpError('cycle', 'A node cannot be its own group.');
          existing(op.patch.parent);
        }
        nodes.set(op.id, next);
        break;
      }
      case 'remove':
        existing(op.id);
        nodes.delete(op.id);
        // Members of a removed group stay on the canvas, ungrouped.
        for (const [id, n] of nodes) if (n.parent === op.id) nodes.set(id, { ...n, parent: null });
        break;
    }
  }
  return { version: doc.version, nodes: [...nodes.values()] };
}
