import { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { z } from 'zod/v4';
import { TERMINAL_LIMITS, terminalClientMessageSchema, terminalCreateRequestSchema, terminalRenameRequestSchema, terminalSessionIdSchema, type TerminalServerMessage } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { ownerOf, requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput, readJson } from '../middleware/validate/index.ts';
import type { TerminalAttachment, TerminalManager } from '../terminal/terminal-manager.ts';
import type { ViewerSink } from '../terminal/terminal-viewer.ts';

const idParam = z.object({ id: terminalSessionIdSchema });
const resumeQuery = z.object({
  epoch: z.string().regex(/^[0-9a-f]{1,64}$/).optional(),
  seq: z.coerce.number().int().min(0).optional(),
});

export interface TerminalRouteDeps extends AuthDeps {
  terminals: TerminalManager;
}

/** `/api/terminal/sessions`: the owner's named terminal sessions (list, create, get, rename, kill). */
export function createTerminalRoutes(deps: TerminalRouteDeps) {
  const { terminals } = deps;
  const idOf = (raw: Record<string, string>) => parseInput(idParam, raw).id;
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(4096))
    .get('/sessions', async (c) => c.json({ sessions: await terminals.list() }))
    .post('/sessions', async (c) => c.json(await terminals.create(await readJson(c, terminalCreateRequestSchema)), 201))
    .get('/sessions/:id', async (c) => c.json(await terminals.get(idOf(c.req.param()))))
    .patch('/sessions/:id', async (c) => {
      const id = idOf(c.req.param());
      return c.json(await terminals.rename(id, (await readJson(c, terminalRenameRequestSchema)).name));
    })
    .delete('/sessions/:id', async (c) => {
      await terminals.kill(idOf(c.req.param()));
      return c.json({ deleted: true });
    });
}

/** The `ws` socket under Hono's context: what back-pressure and the heartbeat need. */
interface RawSocket {
  bufferedAmount: number;
  send(data: Buffer, opts: { binary: boolean }): void;
  terminate(): void;
  ping(): void;
  on(event: 'pong', fn: () => void): void;
}

/**
 * Pings the viewer every `everyMs` and cuts it off when the last ping went unanswered: a client that
 * stopped reading (or a laptop that went to sleep) is dropped in bounded time, however much the
 * kernel's socket buffers would still take. Browsers answer pings by themselves.
 */
function startHeartbeat(raw: RawSocket, everyMs: number): () => void {
  let answered = true;
  raw.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) return raw.terminate();
    answered = false;
    raw.ping();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function sinkOf(ws: WSContext): ViewerSink {
  const raw = ws.raw as RawSocket;
  return {
    sendBinary: (data) => raw.send(data, { binary: true }),
    sendText: (text) => ws.send(text),
    bufferedAmount: () => raw.bufferedAmount,
    close: (code, reason) => ws.close(code, reason),
    terminate: () => raw.terminate(),
  };
}

/**
 * `GET /ws/terminal/:id?epoch=&seq=` (owner only): attaches to a session. Output arrives as binary
 * frames; input, resize and ping are JSON text frames (see packages/protocol/src/terminal.ts).
 */
export function mountTerminalSocket(app: Hono<GatewayEnv>, upgradeWebSocket: UpgradeWebSocket, deps: TerminalRouteDeps) {
  app.get(
    '/ws/terminal/:id',
    async (c, next) => {
      if (!(await ownerOf(deps, c))) throw new AppError('unauthorized', 'Sign in first.');
      await deps.terminals.get(parseInput(idParam, c.req.param()).id);
      parseInput(resumeQuery, c.req.query());
      await next();
    },
    upgradeWebSocket((c) => {
      const id = c.req.param('id')!;
      const resume = parseInput(resumeQuery, c.req.query());
      let attachment: Promise<TerminalAttachment | null> = Promise.resolve(null);
      let closed = false;
      let stopHeartbeat = () => {};
      const reply = (ws: WSContext, msg: TerminalServerMessage) => ws.send(JSON.stringify(msg));
      return {
        onOpen(_evt, ws) {
          stopHeartbeat = startHeartbeat(ws.raw as RawSocket, deps.terminals.limits.heartbeatMs);
          attachment = deps.terminals.attach(id, sinkOf(ws), resume).then(
            (a) => {
              if (closed) a.detach();
              return a;
            },
            (err: Error) => {
              reply(ws, { type: 'error', code: 'unavailable', message: err instanceof AppError ? err.message : 'The session could not be attached.' });
              ws.close(4000, 'session unavailable');
              return null;
            },
          );
        },
        async onMessage(evt, ws) {
          if (typeof evt.data !== 'string') return reply(ws, { type: 'error', code: 'validation', message: 'Send input as a JSON text frame: {"type":"input","data":"…"}.' });
          if (evt.data.length > TERMINAL_LIMITS.maxClientMessageBytes) return reply(ws, { type: 'error', code: 'too_large', message: `Messages may be at most ${TERMINAL_LIMITS.maxClientMessageBytes} bytes; send long input in pieces.` });
          let msg: unknown;
          try {
            msg = JSON.parse(evt.data);
          } catch {
            msg = undefined;
          }
          const parsed = terminalClientMessageSchema.safeParse(msg);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
            return reply(ws, { type: 'error', code: 'validation', message: `Unknown or malformed message (${where}${issue?.message ?? 'invalid'}).` });
          }
          const a = await attachment;
          if (!a) return;
          const m = parsed.data;
          if (m.type === 'input') a.input(m.data);
          else if (m.type === 'resize') a.resize(m.cols, m.rows);
          else reply(ws, { type: 'pong' });
        },
        onClose() {
          closed = true;
          stopHeartbeat();
          void attachment.then((a) => a?.detach());
        },
      };
    }),
  );
}
