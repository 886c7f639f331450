import type { Hono } from 'hono';
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { clientMessageSchema, type ServerMessage } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { appOf, ownerOf, type AuthDeps, type Principal } from '../middleware/auth/index.ts';
import type { EventBus, SequencedEvent } from './event-bus.ts';

const MAX_CLIENT_MESSAGE = 4096;
// A client this far behind is dropped; it reconnects with `since` and resumes from the ring.
const MAX_BUFFERED = 4 * 1024 * 1024;

/** What a principal may see: the owner sees everything, an app only changes to its own data. */
export function visibleTo(principal: Principal, e: SequencedEvent): boolean {
  if (principal.kind === 'owner') return true;
  return e.event.type === 'data:change' && e.event.app === principal.app;
}

/** `GET /ws`: the event socket. `?since=N` replays what the client missed after sequence N. */
export function mountEventSocket(app: Hono<GatewayEnv>, upgradeWebSocket: UpgradeWebSocket, deps: AuthDeps & { events: EventBus }) {
  app.get(
    '/ws',
    async (c, next) => {
      const owner = await ownerOf(deps, c);
      const appSlug = owner ? null : await appOf(deps, c, true);
      if (!owner && !appSlug) throw new AppError('unauthorized', 'Sign in first.');
      c.set('principal', owner ? { kind: 'owner', userId: owner } : { kind: 'app', app: appSlug! });
      await next();
    },
    upgradeWebSocket((c) => {
      const principal = c.get('principal');
      const sinceParam = Number(c.req.query('since') ?? NaN);
      let unsubscribe = () => {};
      const send = (ws: WSContext, msg: ServerMessage) => {
        const raw = ws.raw as { bufferedAmount?: number } | undefined;
        if ((raw?.bufferedAmount ?? 0) > MAX_BUFFERED) {
          ws.close(1013, 'too far behind; reconnect with since');
          return;
        }
        ws.send(JSON.stringify(msg));
      };
      const replay = (ws: WSContext, since: number) => {
        const { events, gap } = deps.events.since(since);
        const visible = events.filter((e) => visibleTo(principal, e));
        for (const e of visible) send(ws, { type: 'event', seq: e.seq, event: e.event });
        send(ws, { type: 'ready', seq: deps.events.lastSeq, replayed: visible.length, gap });
      };
      return {
        onOpen(_evt, ws) {
          unsubscribe = deps.events.subscribe((e) => {
            if (visibleTo(principal, e)) send(ws, { type: 'event', seq: e.seq, event: e.event });
          });
          if (Number.isInteger(sinceParam) && sinceParam >= 0) replay(ws, sinceParam);
          else send(ws, { type: 'ready', seq: deps.events.lastSeq, replayed: 0, gap: false });
        },
        onMessage(evt, ws) {
          const text = typeof evt.data === 'string' ? evt.data : '';
          let msg: unknown;
          try {
            msg = text.length <= MAX_CLIENT_MESSAGE ? JSON.parse(text) : undefined;
          } catch {
            msg = undefined;
          }
          const parsed = clientMessageSchema.safeParse(msg);
          if (!parsed.success) return send(ws, { type: 'error', code: 'validation', message: 'Unknown or malformed message.' });
          if (parsed.data.type === 'ping') return send(ws, { type: 'pong' });
          replay(ws, parsed.data.since ?? deps.events.lastSeq);
        },
        onClose() {
          unsubscribe();
        },
      };
    }),
  );
}
