import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import type { TerminalSession } from '@matrix-os/protocol';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { createSession, openNonReadingSocket, openTerminal, plain } from './support/terminal.ts';

// Terminals need no database of their own: one backend is enough (real PostgreSQL when the suite
// has it, as it starts faster than a fresh PGlite folder; PGlite otherwise).
const backend = testBackends().at(-1)!;

describe('terminal sessions (real tmux, real PTY)', () => {
  let t: TestGateway;
  const secret = 'terminal-test-secret-value';

  // The shells get a HOME of their own: the machine user's dotfiles (pyenv, nvm…) stay out of the test.
  const realHome = process.env.HOME;
  let shellHome = '';
  beforeAll(async () => {
    shellHome = await mkdtemp(join(tmpdir(), 'matrix-shell-home-'));
    process.env.HOME = shellHome;
    // A secret in the gateway's own environment must never reach a shell.
    process.env.MATRIX_TEST_TERMINAL_TOKEN = secret;
    t = await startTestGateway(backend, { env: { MATRIX_TERMINAL_VIEWER_QUEUE_KB: '64', MATRIX_TERMINAL_HEARTBEAT_SEC: '2' } });
  });
  afterAll(async () => {
    process.env.HOME = realHome;
    await rm(shellHome, { recursive: true, force: true });
    delete process.env.MATRIX_TEST_TERMINAL_TOKEN;
    await t.close();
  });

  it('creates, lists, renames and kills named sessions, owner only', async () => {
    const anonymous = await fetch(`${t.url}/api/terminal/sessions`);
    expect(anonymous.status).toBe(401);
    const s = await createSession(t, { name: 'build' });
    expect(s.name).toBe('build');
    const list = (await (await t.owner('/api/terminal/sessions')).json()) as { sessions: TerminalSession[] };
    expect(list.sessions.map((x) => x.id)).toContain(s.id);
    const renamed = await t.owner(`/api/terminal/sessions/${s.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'deploy' }) });
    expect(((await renamed.json()) as TerminalSession).name).toBe('deploy');
    const badName = await t.owner(`/api/terminal/sessions/${s.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '' }) });
    expect(badName.status).toBe(400);
    expect(((await t.owner(`/api/terminal/sessions/${s.id}`, { method: 'DELETE' })).status)).toBe(200);
    const gone = await t.owner(`/api/terminal/sessions/${s.id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('echoes a command in the home folder, with no gateway secret in the environment', async () => {
    const s = await createSession(t);
    const term = await openTerminal(t, s.id);
    expect(term.attached.session.id).toBe(s.id);
    term.type('echo matrix_$((6*7)) "$(pwd)" "secret=${MATRIX_TEST_TERMINAL_TOKEN:-absent}"');
    await term.waitFor(`matrix_42 ${t.homeDir} secret=absent`);
    expect(plain(term.output())).not.toContain(secret);
    await term.close();
  });

  it('renders a full-screen program (vi) and returns to the shell', async () => {
    const s = await createSession(t, { cols: 80, rows: 24 });
    const term = await openTerminal(t, s.id);
    term.send({ type: 'resize', cols: 80, rows: 24 });
    term.type('printf "first_line_of_file\\n" > note.txt && vi note.txt; echo back_$((1+1))');
    await term.waitFor('first_line_of_file');
    // vi marks the lines past the end of the file with "~" down the left edge.
    await term.waitFor(/~\s*~\s*~/);
    // Escape on its own, or vi reads Escape and ':' together as Alt-:.
    term.send({ type: 'input', data: '\x1b' });
    await new Promise((r) => setTimeout(r, 300));
    term.send({ type: 'input', data: ':q!\r' });
    await term.waitFor('back_2');
    await term.close();
  });

  it('lets several viewers watch one session', async () => {
    const s = await createSession(t);
    const a = await openTerminal(t, s.id);
    const b = await openTerminal(t, s.id);
    a.type('echo shared_$((3*3))');
    await a.waitFor('shared_9');
    await b.waitFor('shared_9');
    const listed = (await (await t.owner(`/api/terminal/sessions/${s.id}`)).json()) as TerminalSession;
    expect(listed.viewers).toBe(2);
    await a.close();
    await b.close();
  });

  it('a viewer that reconnects with its seq gets exactly what it missed', async () => {
    const s = await createSession(t);
    const first = await openTerminal(t, s.id);
    first.type('echo before_$((2*5))');
    await first.waitFor('before_10');
    const { epoch } = first.attached;
    const seq = first.seq();
    await first.close();
    const other = await openTerminal(t, s.id);
    other.type('echo while_away_$((4*4))');
    await other.waitFor('while_away_16');
    const back = await openTerminal(t, s.id, { epoch, seq });
    expect(back.attached.mode).toBe('replay');
    await back.waitFor('while_away_16');
    // Only the missed part of the stream, not the whole of it again.
    expect(back.attached.replayBytes).toBeLessThan(back.attached.seq);
    await other.close();
    await back.close();
  });

  it('refuses bad input and keeps the session usable', async () => {
    const s = await createSession(t);
    const term = await openTerminal(t, s.id);
    const errors = () => term.messages.filter((m) => m.type === 'error');
    term.send({ type: 'launch-missiles' });
    await term.waitForMessage((m) => m.type === 'error' && m.code === 'validation');
    term.send({ type: 'resize', cols: 0, rows: 24 });
    term.send({ type: 'resize', cols: 100_000, rows: 24 });
    term.send({ type: 'input', data: '' });
    term.ws.send('not json');
    term.ws.send(Buffer.from('binary input'));
    term.send({ type: 'input', data: 'x'.repeat(100 * 1024) });
    await expect.poll(() => errors().length, { timeout: 10_000 }).toBe(7);
    expect(errors().filter((e) => e.type === 'error' && e.code === 'too_large')).toHaveLength(1);
    // The window keeps its size: tmux still reports the last good one. tmux applies a resize in
    // steps (rows, then columns), so a command run at that moment may see half of it: ask again.
    term.send({ type: 'resize', cols: 90, rows: 30 });
    await expect
      .poll(
        async () => {
          term.type('echo size_$(tput cols)x$(tput lines)');
          return term.waitFor('size_90x30', 1000).then(() => true, () => false);
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
    await term.close();
  });

  it('closes a socket that sends a frame beyond the protocol limit', async () => {
    const s = await createSession(t);
    const term = await openTerminal(t, s.id);
    term.ws.send('y'.repeat(2 * 1024 * 1024));
    expect((await term.closed).code).toBe(1009);
    const again = await openTerminal(t, s.id);
    again.type('echo still_$((5+5))');
    await again.waitFor('still_10');
    await again.close();
  });

  it('refuses to attach to a session that does not exist, or without the owner', async () => {
    await expect(openTerminal(t, 'tdoesnotexist00')).rejects.toMatchObject({ status: 404 });
    await expect(openTerminal(t, 'not-an-id')).rejects.toMatchObject({ status: 400 });
    const s = await createSession(t);
    const cookie = t.ownerCookie;
    t.ownerCookie = '';
    await expect(openTerminal(t, s.id)).rejects.toMatchObject({ status: 401 });
    t.ownerCookie = cookie;
  });

  it('keeps memory bounded when a client never reads, and drops that client', async () => {
    const terminals = t.gateway.deps.terminals!;
    const limit = terminals.limits.maxQueuedPerViewer;
    const s = await createSession(t);
    const watcher = await openTerminal(t, s.id);
    const slow = await openNonReadingSocket(t, s.id);
    const viewers = async () => ((await (await t.owner(`/api/terminal/sessions/${s.id}`)).json()) as TerminalSession).viewers;
    await expect.poll(viewers, { timeout: 10_000, interval: 100 }).toBe(2);
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, terminals.queuedBytes())), 2);
    // A wide window makes tmux send large screens; the flood runs until the slow client is dropped.
    watcher.send({ type: 'resize', cols: 300, rows: 100 });
    watcher.type('head -c 400000000 /dev/urandom | base64');
    // The slow viewer is dropped: either its queue passes the limit (it is told to reconnect with
    // its seq) or, while the kernel's send buffer towards it still absorbs the flood (autotuned up
    // to 4 MiB), it leaves a heartbeat ping unanswered (every 2 s here).
    await expect.poll(viewers, { timeout: 60_000, interval: 200 }).toBeLessThanOrEqual(1);
    clearInterval(sample);
    // Never more than the limit per viewer, plus the one chunk that tipped it over.
    expect(peak).toBeLessThanOrEqual(2 * limit + 256 * 1024);
    // The reading viewer shares this busy process with the gateway, so it may have fallen behind
    // too: then it was told so (4008) and comes back with its seq, as a browser tab would.
    const dropped = await Promise.race([watcher.closed, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (dropped) expect(dropped.code).toBe(4008);
    const reader = dropped ? await openTerminal(t, s.id, { epoch: watcher.attached.epoch, seq: watcher.seq() }) : watcher;
    // The slow one stays gone; the reader is the one viewer left.
    await expect.poll(viewers, { timeout: 10_000, interval: 200 }).toBe(1);
    slow.kill();
    reader.send({ type: 'input', data: '\x03' });
    reader.type('echo survived_$((6*6))');
    await reader.waitFor('survived_36', 30_000);
    await reader.close();
  }, 90_000);

  it('keeps sessions and their scrollback across a gateway restart', async () => {
    const s = await createSession(t, { name: 'long-lived', cols: 80, rows: 24 });
    const term = await openTerminal(t, s.id);
    term.send({ type: 'resize', cols: 80, rows: 24 });
    term.type('for i in $(seq 1 150); do echo history_line_$i; done; echo ready_$((8*8))');
    await term.waitFor('ready_64');
    await t.gateway.close();
    expect((await term.closed).code).toBe(1001);
    await t.restart();
    const list = (await (await t.owner('/api/terminal/sessions')).json()) as { sessions: TerminalSession[] };
    expect(list.sessions.find((x) => x.id === s.id)?.name).toBe('long-lived');
    const back = await openTerminal(t, s.id);
    expect(back.attached.mode).toBe('snapshot');
    // Line 1 scrolled off long ago: it comes back from tmux's scrollback; the last ones are on screen.
    await back.waitFor('history_line_1\r\n');
    await back.waitFor('history_line_150');
    back.type('echo after_restart_$((9*9))');
    await back.waitFor('after_restart_81');
    await back.close();
  });
});
