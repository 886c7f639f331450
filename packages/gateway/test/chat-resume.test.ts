import { describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { runDueSchedules } from '../src/chat/schedule-runner.ts';
import { chatMessages, kernelGatewayFixture, sendChat } from './support/chat.ts';

// Real Claude Agent SDK turns against a scripted Messages API; one database backend (see chat-kernel.test.ts).
const backend = testBackends().at(-1)!;

describe(`chat turns over time (${backend.kind})`, () => {
  const k = kernelGatewayFixture(backend);

  it('resumes an earlier conversation: the next request carries the first turn', async () => {
    k.srv.setScript((r) => {
      const history = JSON.stringify(r.body.messages);
      if (r.userText.includes('What is my name')) return { text: history.includes('My name is Ada') ? 'Your name is Ada.' : 'I do not know.' };
      return { text: 'Nice to meet you, Ada.' };
    });
    const first = await sendChat(k.t, 'My name is Ada.');
    await k.socket.waitFor(first.turnId);
    const second = await sendChat(k.t, 'What is my name?', first.conversationId);
    expect(await k.socket.waitFor(second.turnId).then((e) => e.at(-1))).toMatchObject({ kind: 'result', text: 'Your name is Ada.' });

    const list = (await (await k.t.owner('/api/chat/conversations?q=ada')).json()) as { conversations: { id: string; title: string }[] };
    expect(list.conversations.map((c) => c.id)).toContain(first.conversationId);
  });

  it('a malformed reply or a stream that drops gives a clear chat error, and the conversation goes on', async () => {
    k.srv.setScript((r) => {
      if (r.userText.includes('first')) return { malformed: true };
      if (r.userText.includes('second')) return { drop: true, afterText: 'Half a rep' };
      return { text: 'Recovered.' };
    });
    const bad = await sendChat(k.t, 'first try');
    const badEnd = (await k.socket.waitFor(bad.turnId)).at(-1)!;
    expect(badEnd.kind).toBe('error');
    expect(badEnd.kind === 'error' && badEnd.message).toMatch(/send your message again/i);

    const dropped = await sendChat(k.t, 'second try', bad.conversationId);
    const dropEnd = (await k.socket.waitFor(dropped.turnId)).at(-1)!;
    expect(dropEnd.kind).toBe('error');
    expect(dropEnd.kind === 'error' && dropEnd.message).toMatch(/send your message again/i);

    const ok = await sendChat(k.t, 'third try', bad.conversationId);
    expect(await k.socket.waitFor(ok.turnId).then((e) => e.at(-1))).toMatchObject({ kind: 'result', text: 'Recovered.' });
  });

  it('a prompt the kernel scheduled runs as a new conversation in a matching minute, once', async () => {
    k.srv.setScript((r) => {
      if (r.userText.includes('Every morning')) {
        return r.step === 0 ? { toolUses: [{ name: 'mcp__matrix__schedule_prompt', input: { cron: '30 7 * * *', prompt: 'Summarise my tasks for today.' } }] } : { text: 'Scheduled for 7:30.' };
      }
      if (r.userText.includes('Summarise my tasks')) return { text: 'You have three tasks today.' };
      return { text: 'Not in this script.' };
    });
    const asked = await sendChat(k.t, 'Every morning at 7:30, summarise my tasks.');
    expect(await k.socket.waitFor(asked.turnId).then((e) => e.at(-1))).toMatchObject({ kind: 'result', text: 'Scheduled for 7:30.' });
    const { db, chat } = k.t.gateway.deps;
    // The runner's clock is the machine's local time, like cron's.
    expect(await runDueSchedules(db, chat!, new Date(2026, 10, 30, 7, 29, 50))).toEqual([]);
    const at = new Date(2026, 10, 30, 7, 30, 5);
    const started = await runDueSchedules(db, chat!, at);
    expect(started).toHaveLength(1);
    // The runner ticks every 20 s: a second tick in the same minute starts nothing.
    expect(await runDueSchedules(db, chat!, new Date(at.getTime() + 20_000))).toEqual([]);
    await expect
      .poll(async () => (await chatMessages(k.t, started[0]!)).map((m) => [m.role, m.content]), { timeout: 60_000 })
      .toEqual([
        ['user', 'Summarise my tasks for today.'],
        ['assistant', 'You have three tasks today.'],
      ]);
    // The next day it runs again.
    expect(await runDueSchedules(db, chat!, new Date(2026, 11, 1, 7, 30))).toHaveLength(1);
  });
});
