import { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { z } from 'zod/v4';
import { canvasCreateRequestSchema, canvasOpsRequestSchema, canvasRenameRequestSchema, canvasReplaceRequestSchema, type CanvasSocketMessage } from '@matrix-os/protocol';
import type { CanvasStore } from '../canvas/canvas-store.ts';
import { AppError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { ownerOf, requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput, readJson } from '../middleware/validate/index.ts';

const idParam = z.object({ id: z.uuid('must be a canvas id') });
// A whole document of 2000 nodes with notes fits; anything larger is not a canvas.
const MAX_BODY = 2 * 1024 * 1024;
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface CanvasRouteDeps extends AuthDeps {
  canvas: CanvasStore;
}

/** `/api/canvas`: the owner's canvas documents (list, create, get, rename, delete, export, ops). */
export function createCanvasRoutes(deps: CanvasRouteDeps) {
  const store = deps.canvas;
  const idOf = (raw: Record<string, string>) => parseInput(idParam, raw).id;
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(MAX_BODY))
    .get('/', async (c) => c.json({ canvases: await store.list() }))
    .post('/', async (c) => {
      const body = await readJson(c, canvasCreateRequestSchema);
      return c.json(await store.create(body.name, body.document), 201);
    })
    .get('/:id', async (c) => c.json(await store.get(idOf(c.req.param()))))
    .put('/:id', async (c) => {
      const id = idOf(c.req.param());
      const body = await readJson(c, canvasReplaceRequestSchema);
      return c.json(await store.replace(id, body.baseRevision, body.document, body.clientId));
    })
    .patch('/:id', async (c) => {
      const id = idOf(c.req.param());
      const body = await readJson(c, canvasRenameRequestSchema);
      return c.json(await store.rename(id, body.name));
    })
    .delete('/:id', async (c) => {
      await store.remove(idOf(c.req.param()));
      return c.json({ deleted: true });
    })
    .get('/:id/export', async (c) => {
      const canvas = await store.get(idOf(c.req.param()));
      const file = canvas.name.replace(/[^A-Za-z0-9 _-]/g, '').trim() || 'canvas';
      c.header('content-disposition', `attachment; filename="${file}.canvas.json"`);
      return c.json({ format: 'matrix-canvas', name: canvas.name, document: canvas.document });
    })
    .post('/:id/ops', async (c) => {
      const id = idOf(c.req.param());
      const body = await readJson(c, canvasOpsRequestSchema);
      return c.json(await store.applyOps(id, body.baseRevision, body.ops, body.clientId));
    });
}

/** `GET /ws/canvas/:id` (owner only): pushes every committed change of one canvas to the tab. */
export function mountCanvasSocket(app: Hono<GatewayEnv>, upgradeWebSocket: UpgradeWebSocket, deps: CanvasRouteDeps) {
  app.get(
    '/ws/canvas/:id',
    async (c, next) => {
      if (!(await ownerOf(deps, c))) throw new AppError('unauthorized', 'Sign in first.');
      await deps.canvas.get(parseInput(idParam, c.req.param()).id);
      await next();
    },
    upgradeWebSocket((c) => {
      const id = c.req.param('id')!;
      let leave = () => {};
      const send = (ws: WSContext, msg: CanvasSocketMessage) => {
        // A tab this far behind reloads the document when it reconnects.
        if (((ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0) > MAX_BUFFERED) return ws.close(1013, 'too far behind');
        ws.send(JSON.stringify(msg));
      };
      return {
        async onOpen(_evt, ws) {
          leave = deps.canvas.hub.join(id, (msg) => send(ws, msg));
          try {
            send(ws, { type: 'ready', revision: (await deps.canvas.get(id)).revision });
          } catch {
            ws.close(1008, 'no such canvas');
          }
        },
        onMessage(evt, ws) {
          if (evt.data === '{"type":"ping"}') send(ws, { type: 'pong' });
        },
        onClose() {
          leave();
        },
      };
    }),
  );
}
