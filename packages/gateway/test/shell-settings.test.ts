import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SHELL_PREFS } from '@matrix-os/protocol';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

/** Collects the events a socket receives until closed. */
async function listen(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  const events: { type: string; prefs?: unknown }[] = [];
  await new Promise((resolve, reject) => {
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.type === 'event') events.push(msg.event);
      if (msg.type === 'ready') resolve(null);
    });
    ws.on('error', reject);
  });
  return { events, close: () => ws.close() };
}

eachBackend((backend) => {
  describe(`shell preferences and integrations [${backend.kind}]`, () => {
    let t: TestGateway;
    let appToken = '';
    beforeAll(async () => {
      t = await startTestGateway(backend, { prepareHome: (home) => writeAppManifest(home, 'notes', dataApp('Notes', { notes: { body: 'text' } })) });
      appToken = await t.appToken('notes');
    });
    afterAll(() => t.close());

    const put = (body: unknown) => t.owner('/api/settings/shell', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('starts from the defaults, and only the owner reads or writes them', async () => {
      expect(await (await t.owner('/api/settings/shell')).json()).toEqual(DEFAULT_SHELL_PREFS);
      expect((await fetch(`${t.url}/api/settings/shell`)).status).toBe(401);
      const asApp = await fetch(`${t.url}/api/settings/shell`, { method: 'PUT', headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' }, body: '{"theme":"dark"}' });
      expect(asApp.status).toBe(401);
      expect(await (await t.owner('/api/settings/shell')).json()).toEqual(DEFAULT_SHELL_PREFS);
    });

    it('keeps a change, tells the owner’s other tabs, and tells no app', async () => {
      const owner = await listen(`${t.url.replace('http', 'ws')}/ws`, { cookie: t.ownerCookie });
      const app = await listen(`${t.url.replace('http', 'ws')}/ws?token=${appToken}`, {});
      const res = await put({ theme: 'dark', wallpaper: 'forest' });
      expect(res.status).toBe(200);
      const expected = { theme: 'dark', wallpaper: 'forest', defaultMode: 'canvas' };
      expect(await res.json()).toEqual(expected);
      await expect.poll(() => owner.events.filter((e) => e.type === 'settings:shell')).toEqual([{ type: 'settings:shell', prefs: expected }]);
      await new Promise((r) => setTimeout(r, 200));
      expect(app.events).toEqual([]);
      owner.close();
      app.close();
      await t.stop();
      await t.restart();
      expect(await (await t.owner('/api/settings/shell')).json()).toEqual(expected);
    });

    it('refuses bad values with a 400 naming the field, and leaves what was stored', async () => {
      const before = await (await t.owner('/api/settings/shell')).json();
      for (const [body, field] of [
        [{ theme: 'purple' }, 'theme'],
        [{ wallpaper: '../../etc' }, 'wallpaper'],
        [{ defaultMode: 1 }, 'defaultMode'],
        [{ fontSize: 40 }, ''],
        ['{"theme":', ''],
        [[], ''],
      ] as const) {
        const res = await put(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        const err = (await res.json()) as { error: { message: string; field?: string } };
        if (field) expect(err.error.field).toBe(field);
        expect(JSON.stringify(err)).not.toMatch(/at .*\.ts|stack/i);
      }
      expect((await put({ theme: 'dark', note: 'x'.repeat(10_000) })).status).toBe(413);
      expect(await (await t.owner('/api/settings/shell')).json()).toEqual(before);
    });

    it('reports integrations: none on a machine of its own, and says why', async () => {
      const res = await t.owner('/api/integrations');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { integrations: unknown[]; reason: string };
      expect(body.integrations).toEqual([]);
      expect(body.reason).toMatch(/Matrix platform/);
      expect((await fetch(`${t.url}/api/integrations`)).status).toBe(401);
    });
  });
});
