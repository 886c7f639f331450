import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import type { ChatEvent } from '@matrix-os/protocol';
import { chatMessages, kernelGatewayFixture, sendChat } from './support/chat.ts';

// Each turn runs the real Claude Agent SDK CLI (~1 s, ~220 MB) against a scripted Messages API, so
// these files run on one database backend (real PostgreSQL when the suite has it) and keep turns few.
const backend = testBackends().at(-1)!;

const HABIT_APP = `import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')).render(<h1>Habits</h1>);
`;

describe(`chat with the kernel (${backend.kind})`, () => {
  const k = kernelGatewayFixture(backend);

  it('"make me a habit tracker" writes an app, builds it, lists it in /api/apps and opens it on the canvas', async () => {
    k.srv.setScript((r) => {
      if (r.step === 0) {
        return {
          text: "I'll build a habit tracker.",
          toolUses: [{ name: 'mcp__matrix__create_app', input: { slug: 'habits', name: 'Habit Tracker', tables: { habits: { name: 'text', done: 'boolean' } }, files: { 'src/main.jsx': HABIT_APP } } }],
        };
      }
      if (r.step === 1) return { toolUses: [{ name: 'mcp__matrix__build_app', input: { slug: 'habits' } }] };
      if (r.step === 2) return { toolUses: [{ name: 'mcp__matrix__open_window', input: { target: 'habits' } }] };
      return { text: 'Your **habit tracker** is ready.' };
    });
    const sent = await sendChat(k.t, 'make me a habit tracker');
    const events = await k.socket.waitFor(sent.turnId);

    expect(events[0]).toMatchObject({ kind: 'init' });
    // The system prompt was built from the home: the soul, the skills' table of contents, the rules.
    const system = JSON.stringify(k.srv.requests.at(-1).system);
    expect(system).toContain('Be warm, brief and concrete');
    expect(system).toContain('app-builder: How to make, build and fix a Matrix app');
    expect(system).toContain('Never write the OS');
    const ends = events.filter((e) => e.kind === 'tool_end');
    expect(ends.map((e) => [e.kind === 'tool_end' && e.name, e.kind === 'tool_end' && e.ok])).toEqual([
      ['create_app', true],
      ['build_app', true],
      ['open_window', true],
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'result', text: expect.stringContaining('habit tracker') });
    expect(events.filter((e) => e.kind === 'text').map((e) => (e.kind === 'text' ? e.delta : '')).join('')).toContain('ready');

    const { apps } = (await (await k.t.owner('/api/apps')).json()) as { apps: { slug: string; status: string; tables: string[]; build?: { state: string } }[] };
    expect(apps.find((a) => a.slug === 'habits')).toMatchObject({ status: 'ok', tables: ['habits'], build: { state: 'ok' } });
    expect(existsSync(join(k.t.homeDir, 'apps/habits/dist/index.html'))).toBe(true);
    expect(await readFile(join(k.t.homeDir, 'apps/habits/src/main.jsx'), 'utf8')).toBe(HABIT_APP);

    const { canvases } = (await (await k.t.owner('/api/canvas')).json()) as { canvases: { id: string }[] };
    const canvas = (await (await k.t.owner(`/api/canvas/${canvases[0]!.id}`)).json()) as { document: { nodes: { kind: string; ref: string }[] } };
    expect(canvas.document.nodes).toContainEqual(expect.objectContaining({ kind: 'app', ref: 'habits' }));

    const messages = await chatMessages(k.t, sent.conversationId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]!.tools.map((x) => x.name)).toEqual(['create_app', 'build_app', 'open_window']);
  });

  it('refuses a write to a protected file, reports it to the model and the user, and the change it made can be undone', async () => {
    k.srv.setScript((r) => {
      if (r.step === 0) {
        return {
          toolUses: [
            { name: 'mcp__matrix__write_file', input: { path: 'notes/hello.md', content: '# hello\n' } },
            { name: 'mcp__matrix__write_file', input: { path: '.env', content: 'SECRET=1\n' } },
          ],
        };
      }
      const refused = r.toolResults.find((x) => x.isError);
      return { text: refused ? `I could not write .env: ${refused.text}` : 'Both written.' };
    });
    const sent = await sendChat(k.t, 'write a note and set SECRET in .env');
    const events = await k.socket.waitFor(sent.turnId);
    const ends = events.filter((e) => e.kind === 'tool_end');
    expect(ends).toHaveLength(2);
    expect(ends[0]).toMatchObject({ ok: true });
    expect(ends[1]).toMatchObject({ ok: false, output: expect.stringContaining('environment file') });
    expect(events.at(-1)).toMatchObject({ kind: 'result', text: expect.stringContaining('could not write .env') });
    expect(existsSync(join(k.t.homeDir, '.env'))).toBe(false);
    expect(await readFile(join(k.t.homeDir, 'notes/hello.md'), 'utf8')).toBe('# hello\n');

    const log = execFileSync('git', ['-C', k.t.homeDir, 'log', '--format=%s'], { encoding: 'utf8' });
    expect(log).toContain('kernel: write_file notes/hello.md');
    const undo = await k.t.owner('/api/chat/undo', { method: 'POST' });
    expect(undo.status).toBe(200);
    expect(((await undo.json()) as { reverted: { message: string } }).reverted.message).toBe('kernel: write_file notes/hello.md');
    expect(existsSync(join(k.t.homeDir, 'notes/hello.md'))).toBe(false);
  });

  it('an abort mid-turn leaves no half-written app, and the conversation goes on', async () => {
    k.srv.setScript((r) => {
      if (r.userText.includes('todo app')) return { hang: true, afterText: 'Writing your todo app…', partialTool: { name: 'mcp__matrix__create_app', input: { slug: 'todo', name: 'Todo' } } };
      return { text: 'Still here.' };
    });
    const sent = await sendChat(k.t, 'make me a todo app');
    await k.socket.waitFor(sent.turnId, (e) => e.kind === 'text');
    // A client that reconnects gets the running turn's events so far: in the conversation, and as a stream.
    const view = (await (await k.t.owner(`/api/chat/conversations/${sent.conversationId}`)).json()) as { conversation: { running: boolean }; running: { turnId: string; events: ChatEvent[] } };
    expect(view.conversation.running).toBe(true);
    expect(view.running.turnId).toBe(sent.turnId);
    expect(view.running.events.map((e) => e.event.kind)).toEqual(expect.arrayContaining(['init', 'text']));
    const stream = await k.t.owner(`/api/chat/conversations/${sent.conversationId}/stream`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const abort = await k.t.owner(`/api/chat/conversations/${sent.conversationId}/abort`, { method: 'POST' });
    expect(await abort.json()).toEqual({ aborted: true });
    const events = await k.socket.waitFor(sent.turnId);
    expect(events.at(-1)).toEqual({ kind: 'aborted' });
    const replayed = (await stream.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => (JSON.parse(l.slice(6)) as ChatEvent).event.kind);
    expect(replayed).toEqual(events.map((e) => e.kind));
    expect(existsSync(join(k.t.homeDir, 'apps/todo'))).toBe(false);
    expect(readdirSync(join(k.t.homeDir, 'apps')).filter((n) => n.startsWith('.staging'))).toEqual([]);

    const next = await sendChat(k.t, 'are you there?', sent.conversationId);
    expect(await k.socket.waitFor(next.turnId).then((e) => e.at(-1))).toMatchObject({ kind: 'result', text: 'Still here.' });
    const roles = (await chatMessages(k.t, sent.conversationId)).map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'error', 'user', 'assistant']);
  });
});
