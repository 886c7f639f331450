import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll } from 'vitest';
import type { TestBackend } from '@matrix-os/db/testing';
import type { ChatEvent, ChatMessage, KernelEvent } from '@matrix-os/protocol';
import { startScriptedAnthropic, type ScriptedAnthropic } from '../../../kernel/test/support/scripted-anthropic.ts';
import { startTestGateway, type TestGateway } from './test-gateway.ts';

const REPO_HOME = fileURLToPath(new URL('../../../../home/', import.meta.url));

/** The kernel's part of the default home (soul, skills, agents), without the default apps and their builds. */
async function kernelHome(home: string) {
  await mkdir(join(home, 'system'), { recursive: true });
  await cp(join(REPO_HOME, 'system/soul.md'), join(home, 'system/soul.md'));
  await cp(join(REPO_HOME, 'skills'), join(home, 'skills'), { recursive: true });
  await cp(join(REPO_HOME, 'agents'), join(home, 'agents'), { recursive: true });
}

/** A gateway whose kernel talks to a scripted Messages API (no retries), with its event socket open. */
export async function startKernelGateway(backend: TestBackend): Promise<{ srv: ScriptedAnthropic; t: TestGateway; socket: ChatSocket; close(): Promise<void> }> {
  const srv = await startScriptedAnthropic();
  const t = await startTestGateway(backend, {
    env: { ANTHROPIC_BASE_URL: srv.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_MAX_RETRIES: '0', MATRIX_HOME_TEMPLATE: 'off' },
    prepareHome: kernelHome,
  });
  const socket = await openChatSocket(t);
  return {
    srv,
    t,
    socket,
    async close() {
      socket.close();
      await t.close();
      await srv.close();
    },
  };
}

/** A kernel gateway for the enclosing `describe`: started before its tests, closed after; fields are set once it runs. */
export function kernelGatewayFixture(backend: TestBackend): { srv: ScriptedAnthropic; t: TestGateway; socket: ChatSocket } {
  const k = {} as Awaited<ReturnType<typeof startKernelGateway>>;
  beforeAll(async () => {
    Object.assign(k, await startKernelGateway(backend));
  });
  afterAll(() => k.close?.());
  return k;
}

export type ChatSocket = Awaited<ReturnType<typeof openChatSocket>>;

/** The owner's event socket, collecting chat events, opened before a message is sent so nothing is missed. */
export async function openChatSocket(t: TestGateway) {
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws`, { headers: { cookie: t.ownerCookie } });
  const events: ChatEvent[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw));
    if (msg.type === 'event' && msg.event.type === 'chat') {
      events.push(msg.event as ChatEvent);
      for (const w of waiters) w();
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Resolves with the turn's events once one matches `until` (by default the turn's end). */
  const waitFor = (turnId: string, until: (e: KernelEvent) => boolean = (e) => ['result', 'error', 'aborted'].includes(e.kind), timeoutMs = 50_000) =>
    new Promise<KernelEvent[]>((resolve, reject) => {
      const check = () => {
        const mine = events.filter((e) => e.turnId === turnId).sort((a, b) => a.index - b.index);
        if (mine.some((e) => until(e.event))) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(mine.map((e) => e.event));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`turn ${turnId} did not finish; saw ${JSON.stringify(events.filter((e) => e.turnId === turnId).map((e) => e.event))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { events, waitFor, close: () => ws.close() };
}

/** POST /api/chat/send; answers the ids of the queued turn. */
export async function sendChat(t: TestGateway, message: string, conversationId?: string): Promise<{ conversationId: string; turnId: string; position: number }> {
  const res = await t.owner('/api/chat/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, conversationId }) });
  if (res.status !== 202) throw new Error(`send failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { conversationId: string; turnId: string; position: number };
}

/** The stored messages of a conversation. */
export async function chatMessages(t: TestGateway, conversationId: string): Promise<ChatMessage[]> {
  const res = await t.owner(`/api/chat/conversations/${conversationId}`);
  return ((await res.json()) as { messages: ChatMessage[] }).messages;
}
