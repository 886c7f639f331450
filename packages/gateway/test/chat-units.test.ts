import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { cronMatches, parseCron } from '../src/chat/cron.ts';
import { WriteAbortedError, writeAppAtomically } from '../src/kernel-host/app-staging.ts';
import { createGatewayKernelHost } from '../src/kernel-host/gateway-kernel-host.ts';
import { startTestGateway } from './support/test-gateway.ts';

describe('cron schedules', () => {
  it('match the minutes they name', () => {
    const weekdays8 = parseCron('0 8 * * 1-5');
    expect(cronMatches(weekdays8, new Date(2026, 0, 5, 8, 0))).toBe(true); // a Monday
    expect(cronMatches(weekdays8, new Date(2026, 0, 4, 8, 0))).toBe(false); // a Sunday
    expect(cronMatches(weekdays8, new Date(2026, 0, 5, 8, 1))).toBe(false);
    const every15 = parseCron('*/15 * * * *');
    expect([0, 15, 30, 45].every((m) => cronMatches(every15, new Date(2026, 0, 1, 3, m)))).toBe(true);
    expect(cronMatches(every15, new Date(2026, 0, 1, 3, 10))).toBe(false);
    expect(cronMatches(parseCron('30 9 1,15 * 7'), new Date(2026, 1, 15, 9, 30))).toBe(true); // 7 is Sunday too
  });

  it.each([
    ['* * * *', /5 fields/],
    ['61 * * * *', /minute/],
    ['* 24 * * *', /hour/],
    ['* * * jan *', /month/],
  ])('refuse "%s" naming the bad field', (expr, why) => {
    expect(() => parseCron(expr)).toThrow(why);
  });
});

describe('writing a new app', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('stopped part-way leaves no app folder and no staging folder', async () => {
    const appsDir = await mkdtemp(join(tmpdir(), 'kernel-apps-'));
    dirs.push(appsDir);
    const files = Object.fromEntries([['matrix.json', '{}'], ...Array.from({ length: 20 }, (_, i) => [`src/f${i}.js`, `export const n = ${i};`])]);
    // The signal turns to aborted after a few files were written, as when the user stops the turn.
    let reads = 0;
    const signal = { get aborted() { return ++reads > 5; } } as AbortSignal;
    await expect(writeAppAtomically(appsDir, 'half', files, signal)).rejects.toBeInstanceOf(WriteAbortedError);
    expect(readdirSync(appsDir)).toEqual([]);

    await writeAppAtomically(appsDir, 'whole', files);
    expect(readdirSync(join(appsDir, 'whole', 'src'))).toHaveLength(20);
    await expect(writeAppAtomically(appsDir, 'whole', files)).rejects.toThrow(/already exists/);
    await expect(writeAppAtomically(appsDir, 'escape', { 'matrix.json': '{}', '../outside.js': '' })).rejects.toThrow(/not allowed/);
    expect(existsSync(join(appsDir, 'escape'))).toBe(false);
    expect(readdirSync(appsDir)).toEqual(['whole']);
  });
});

describe('without an API key', () => {
  const backend = testBackends()[0]!;

  it('chat says exactly how to enable the kernel, and everything else keeps working', async () => {
    const t = await startTestGateway(backend, { env: { MATRIX_HOME_TEMPLATE: 'off' } });
    try {
      const status = await (await t.owner('/api/chat/status')).json();
      expect(status).toMatchObject({ enabled: false, model: null, message: expect.stringContaining('set ANTHROPIC_API_KEY') });
      const send = await t.owner('/api/chat/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hi' }) });
      expect(send.status).toBe(503);
      expect(((await send.json()) as { error: { message: string } }).error.message).toMatch(/set ANTHROPIC_API_KEY.*restart the gateway/);
      expect(await (await t.owner('/api/chat/conversations')).json()).toEqual({ conversations: [] });
      expect((await t.owner('/api/apps')).status).toBe(200);
      expect((await fetch(`${t.url}/api/chat/status`)).status).toBe(401);

      // The kernel's host works the same with or without a model: memory, schedules, files.
      const { deps } = t.gateway;
      const host = createGatewayKernelHost({ homeDir: t.homeDir, db: deps.db, registry: deps.registry, runtime: deps.runtime, events: deps.events, canvas: deps.canvas });
      try {
        await host.memory.remember('Ada drinks her coffee black', ['coffee']);
        await host.memory.remember('Ada runs on Tuesdays', []);
        expect((await host.memory.recall('coffee black', 5)).map((m) => m.text)).toEqual(['Ada drinks her coffee black']);
        expect(await host.memory.recall('', 5)).toHaveLength(2);
        await expect(host.schedule.add('0 25 * * *', 'water the plants')).rejects.toThrow(/hour/);
        expect(await host.schedule.add('0 8 * * 1-5', 'plan my day')).toMatchObject({ cron: '0 8 * * 1-5', prompt: 'plan my day' });
        await expect(host.files.read('../etc/passwd')).rejects.toThrow(/not allowed/);
        await host.files.write('notes/a.md', 'hi');
        expect(await host.files.read('notes/a.md')).toBe('hi');
        expect((await host.files.list('notes')).map((e) => e.name)).toEqual(['a.md']);
      } finally {
        host.close();
      }
    } finally {
      await t.close();
    }
  });
});
