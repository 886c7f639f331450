import { z } from 'zod/v4';
import { BUILTIN_IDS, CANVAS_DOCUMENT_VERSION, CANVAS_LIMITS } from './canvas-ops.ts';

/*
 * Canvas documents: the spatial workspaces of the shell, stored in the user's Postgres.
 *
 * A document is a list of nodes. Every change is a small operation (add, move, resize, update,
 * remove) sent with the revision it was made against; the gateway applies it only on that revision
 * (else 409 with the latest one) and pushes it to every other open tab. Schemas are strict: a
 * document or operation with fields this version does not know is refused whole, so an older or
 * broken client can never half-write a document.
 */

export const canvasNodeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');
const coord = z.number().finite().min(-CANVAS_LIMITS.maxCoord).max(CANVAS_LIMITS.maxCoord);
const size = z.number().finite().min(40).max(20_000);

/** What a node shows: an app window, a built-in, a note, a file card or a file preview. */
export const canvasNodeKindSchema = z.enum(['app', 'builtin', 'note', 'file', 'preview', 'group']);
export type CanvasNodeKind = z.infer<typeof canvasNodeKindSchema>;

export const windowStateSchema = z.enum(['normal', 'minimized', 'maximized']);
export type WindowState = z.infer<typeof windowStateSchema>;

/** The fields of a node any client may change with an `update` operation. */
/** Where inside its target a window is: the terminal session a terminal window shows, say. */
const nodePathSchema = z.string().min(1).max(1024);

export const canvasNodePatchSchema = z.strictObject({
  title: z.string().max(200).optional(),
  path: nodePathSchema.optional(),
  text: z.string().max(CANVAS_LIMITS.maxNoteChars).optional(),
  state: windowStateSchema.optional(),
  z: z.number().int().min(0).max(1_000_000).optional(),
  /** The group this node belongs to; `null` takes it out. */
  parent: canvasNodeIdSchema.nullable().optional(),
});
export type CanvasNodePatch = z.infer<typeof canvasNodePatchSchema>;

export const canvasNodeSchema = z
  .strictObject({
    id: canvasNodeIdSchema,
    kind: canvasNodeKindSchema,
    x: coord,
    y: coord,
    w: size,
    h: size,
    /** What the node refers to: an app slug, a built-in id, or a file path under the home. */
    ref: z.string().min(1).max(1024).optional(),
    path: nodePathSchema.optional(),
    title: z.string().max(200).optional(),
    text: z.string().max(CANVAS_LIMITS.maxNoteChars).optional(),
    state: windowStateSchema.default('normal'),
    z: z.number().int().min(0).max(1_000_000).default(0),
    parent: canvasNodeIdSchema.nullable().optional(),
  })
  .superRefine((n, ctx) => {
    const needsRef = n.kind === 'app' || n.kind === 'builtin' || n.kind === 'file' || n.kind === 'preview';
    if (needsRef && !n.ref) ctx.addIssue({ code: 'custom', path: ['ref'], message: `required for a ${n.kind} node` });
    if (n.kind === 'builtin' && n.ref && !(BUILTIN_IDS as readonly string[]).includes(n.ref)) {
      ctx.addIssue({ code: 'custom', path: ['ref'], message: `unknown built-in (one of ${BUILTIN_IDS.join(', ')})` });
    }
  });
export type CanvasNode = z.output<typeof canvasNodeSchema>;
export type CanvasNodeInput = z.input<typeof canvasNodeSchema>;


export const canvasDocumentSchema = z
  .strictObject({
    version: z.literal(CANVAS_DOCUMENT_VERSION, { error: `unsupported document version (this machine reads version ${CANVAS_DOCUMENT_VERSION})` }),
    nodes: z.array(canvasNodeSchema).max(CANVAS_LIMITS.maxNodes),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.nodes.forEach((n, i) => {
      if (seen.has(n.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id "${n.id}"` });
      seen.add(n.id);
    });
  });
export type CanvasDocument = z.output<typeof canvasDocumentSchema>;

/** One change to a document. */
export const canvasOpSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), node: canvasNodeSchema }),
  z.strictObject({ op: z.literal('move'), id: canvasNodeIdSchema, x: coord, y: coord }),
  z.strictObject({ op: z.literal('resize'), id: canvasNodeIdSchema, w: size, h: size, x: coord.optional(), y: coord.optional() }),
  z.strictObject({ op: z.literal('update'), id: canvasNodeIdSchema, patch: canvasNodePatchSchema }),
  z.strictObject({ op: z.literal('remove'), id: canvasNodeIdSchema }),
]);
export type CanvasOp = z.output<typeof canvasOpSchema>;
export type CanvasOpInput = z.input<typeof canvasOpSchema>;

export const canvasNameSchema = z.string().trim().min(1, 'must not be empty').max(CANVAS_LIMITS.maxNameChars);

/** `POST /api/canvas/:id/ops`: operations made against `baseRevision`. */
export const canvasOpsRequestSchema = z.strictObject({
  baseRevision: z.number().int().min(0),
  ops: z.array(canvasOpSchema).min(1).max(CANVAS_LIMITS.maxOpsPerBatch),
  /** The sending tab, echoed on the socket so it can skip its own operations. */
  clientId: z.string().max(64).optional(),
});

/** `POST /api/canvas`: a new canvas, empty or from an exported document. */
export const canvasCreateRequestSchema = z.strictObject({ name: canvasNameSchema, document: canvasDocumentSchema.optional() });
/** `PUT /api/canvas/:id`: replaces the whole document (import, undo of many changes). */
export const canvasReplaceRequestSchema = z.strictObject({ baseRevision: z.number().int().min(0), document: canvasDocumentSchema, clientId: z.string().max(64).optional() });
export const canvasRenameRequestSchema = z.strictObject({ name: canvasNameSchema });

/** A canvas as the gateway returns it. */
export interface CanvasRecord {
  id: string;
  name: string;
  revision: number;
  document: CanvasDocument;
  updatedAt: string;
}

/** A canvas in a listing: no document, just what a switcher shows. */
export interface CanvasSummary {
  id: string;
  name: string;
  revision: number;
  nodeCount: number;
  updatedAt: string;
}

/** Messages on `/ws/canvas/:id` (server → client). */
export type CanvasSocketMessage =
  | { type: 'ready'; revision: number }
  | { type: 'ops'; revision: number; ops: CanvasOp[]; clientId?: string }
  | { type: 'replaced'; revision: number; document: CanvasDocument; clientId?: string }
  | { type: 'renamed'; name: string }
  | { type: 'deleted' }
  | { type: 'pong' };
