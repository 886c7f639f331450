import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import type { TerminalSession } from '@matrix-os/protocol';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { createSession, openTerminal } from './support/terminal.ts';

const backend = testBackends().at(-1)!;

describe('terminal limits', () => {
  let t: TestGateway;
  // The shells get a HOME of their own: the machine user's dotfiles (pyenv, nvm…) stay out of the test.
  const realHome = process.env.HOME;
  let shellHome = '';
  beforeAll(async () => {
    shellHome = await mkdtemp(join(tmpdir(), 'matrix-shell-home-'));
    process.env.HOME = shellHome;
    t = await startTestGateway(backend, { env: { MATRIX_TERMINAL_MAX_SESSIONS: '2', MATRIX_TERMINAL_IDLE_SEC: '2' } });
  });
  afterAll(async () => {
    process.env.HOME = realHome;
    await rm(shellHome, { recursive: true, force: true });
    await t.close();
  });

  const list = async () => ((await (await t.owner('/api/terminal/sessions')).json()) as { sessions: TerminalSession[] }).sessions;

  it('refuses a session beyond the limit with a clear message', async () => {
    const a = await createSession(t);
    await createSession(t);
    const third = await t.owner('/api/terminal/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(third.status).toBe(409);
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/At most 2 terminal sessions/);
    await t.owner(`/api/terminal/sessions/${a.id}`, { method: 'DELETE' });
    expect((await createSession(t)).id).toBeTruthy();
  });

  it('ends sessions nobody watches after the idle time, but not a watched one', async () => {
    for (const s of await list()) await t.owner(`/api/terminal/sessions/${s.id}`, { method: 'DELETE' });
    const idle = await createSession(t);
    const watched = await createSession(t);
    const term = await openTerminal(t, watched.id);
    await expect.poll(async () => (await list()).map((s) => s.id), { timeout: 20_000, interval: 500 }).not.toContain(idle.id);
    expect((await list()).map((s) => s.id)).toContain(watched.id);
    await term.close();
  });
});
