import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ENABLE_KERNEL_MESSAGE } from '@matrix-os/kernel';
import { chatSendSchema, type ChatEvent } from '@matrix-os/protocol';
import { z } from 'zod/v4';
import type { ChatService } from '../chat/chat-service.ts';
import type { GatewayEnv } from '../gateway-env.ts';
import { undoLastKernelChange } from '../kernel-host/undo.ts';
import { requireOwner, type AuthDeps } from '../middleware/auth/index.ts';
import { limitBody } from '../middleware/limits/index.ts';
import { parseInput, readJson } from '../middleware/validate/index.ts';

const idParam = z.object({ id: z.uuid() });
const listQuery = z.object({ q: z.string().trim().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const streamQuery = z.object({ after: z.coerce.number().int().min(-1).default(-1) });
// An SSE stream lives as long as its turn, but not forever.
const STREAM_MAX_MS = 30 * 60 * 1000;

/** `/api/chat`: the owner's conversations with the kernel. */
export function createChatRoutes(deps: AuthDeps & { chat: ChatService; homeDir: string }) {
  const { chat } = deps;
  return new Hono<GatewayEnv>()
    .use('*', requireOwner(deps), limitBody(64 * 1024))
    .get('/status', (c) => c.json({ enabled: chat.enabled, model: chat.model, message: chat.enabled ? null : ENABLE_KERNEL_MESSAGE }))
    .post('/send', async (c) => {
      const body = await readJson(c, chatSendSchema);
      return c.json(await chat.send(body.conversationId, body.message), 202);
    })
    .get('/conversations', async (c) => {
      const { q, limit } = parseInput(listQuery, c.req.query());
      return c.json({ conversations: await chat.store.list(q || undefined, limit, (id) => chat.isRunning(id)) });
    })
    .get('/conversations/:id', async (c) => {
      const { id } = parseInput(idParam, c.req.param());
      const conversation = await chat.store.summary(id, chat.isRunning(id));
      return c.json({ conversation, messages: await chat.store.messages(id), running: chat.running(id) });
    })
    .get('/conversations/:id/stream', async (c) => {
      const { id } = parseInput(idParam, c.req.param());
      const { after } = parseInput(streamQuery, c.req.query());
      await chat.store.get(id);
      return streamSSE(c, async (stream) => {
        const pending: ChatEvent[] = [];
        let wake = () => {};
        const followed = chat.follow(id, (e) => {
          pending.push(e);
          wake();
        });
        if (!followed) return void (await stream.writeSSE({ event: 'idle', data: '{}' }));
        stream.onAbort(() => {
          followed.stop();
          wake();
        });
        pending.unshift(...followed.events);
        const until = Date.now() + STREAM_MAX_MS;
        try {
          for (;;) {
            while (pending.length) {
              const e = pending.shift()!;
              if (e.index <= after) continue;
              await stream.writeSSE({ event: 'chat', id: String(e.index), data: JSON.stringify(e) });
              if (e.event.kind === 'result' || e.event.kind === 'error' || e.event.kind === 'aborted') return;
            }
            if (stream.aborted || Date.now() > until) return;
            // Wakes on the next event, or after a while to send a keep-alive.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 15_000);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            if (!pending.length && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
          }
        } finally {
          followed.stop();
        }
      });
    })
    .post('/conversations/:id/abort', async (c) => {
      const { id } = parseInput(idParam, c.req.param());
      await chat.store.get(id);
      return c.json({ aborted: chat.abort(id) });
    })
    .delete('/conversations/:id', async (c) => {
      const { id } = parseInput(idParam, c.req.param());
      await chat.remove(id);
      return c.body(null, 204);
    })
    .post('/undo', async (c) => c.json({ reverted: await undoLastKernelChange(deps.homeDir) }));
}
