import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataApp, writeAppManifest } from '../../gateway/test/support/apps.ts';
import { eachBackend, startTestGateway, type TestGateway } from '../../gateway/test/support/test-gateway.ts';
import {
  connectStandalone,
  createBridgeData,
  createHttpBridge,
  dispatchAppCall,
  standaloneCredential,
  type DataChangeEvent,
  type SocketFactory,
} from '../src/index.ts';

eachBackend((backend) => {
  describe(`an app opened directly at /apps/<slug>/ keeps its data through the SDK (${backend.kind})`, () => {
    let t: TestGateway;
    // The browser sends the owner's cookie with same-origin requests; from Node we add it ourselves.
    const ownerFetch: typeof fetch = (input, init = {}) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: t.ownerCookie } });

    beforeAll(async () => {
      t = await startTestGateway(backend, {
        prepareHome: async (home) => {
          await writeAppManifest(home, 'plain', dataApp('Plain', { notes: { body: 'text' } }));
          await writeAppManifest(home, 'todo', {
            name: 'To Do',
            runtime: 'static',
            storage: {
              tables: {
                tasks: { columns: { text: 'text', done: 'boolean', rank: 'integer' } },
                kv: { columns: { key: 'text', value: 'json' }, indexes: [['key']] },
              },
            },
          });
        },
      });
    });
    afterAll(() => t.close());

    it('inserts, finds with filters and order, updates, counts and deletes', async () => {
      const os = connectStandalone({ origin: t.url, slug: 'todo', fetch: ownerFetch, WebSocket: WebSocket as unknown as SocketFactory });
      await os.ready;
      expect(os.app).toEqual({ name: 'To Do', slug: 'todo' });

      const { id } = await os.db.insert('tasks', { text: 'buy milk', done: false, rank: 2 });
      const { ids } = await os.db.bulkInsert('tasks', [
        { text: 'walk the dog', done: false, rank: 1 },
        { text: 'file taxes', done: true, rank: 3 },
      ]);
      expect(ids).toHaveLength(2);

      const open = await os.db.find('tasks', { where: { done: false }, orderBy: { rank: 'asc' } });
      expect(open.map((r) => r.text)).toEqual(['walk the dog', 'buy milk']);
      expect(await os.db.find('tasks', { orderBy: { rank: 'desc' }, limit: 1, offset: 1 })).toMatchObject([{ text: 'buy milk' }]);

      expect(await os.db.update('tasks', id, { done: true })).toEqual({ changed: 1 });
      expect(await os.db.findOne('tasks', id)).toMatchObject({ id, text: 'buy milk', done: true });
      expect(await os.db.count('tasks', { done: true })).toBe(2);
      expect(await os.db.bulkUpdate('tasks', ids.map((i) => ({ id: i, data: { rank: 9 } })))).toEqual({ changed: 2 });
      expect(await os.db.count('tasks', { rank: 9 })).toBe(2);

      expect(await os.db.delete('tasks', id)).toEqual({ changed: 1 });
      expect(await os.db.findOne('tasks', id)).toBeNull();
      expect(await os.db.delete('tasks', id)).toEqual({ changed: 0 });
    });

    it('opened directly in a browser (an opaque origin, no session), says where the app works', async () => {
      const sandboxedFetch: typeof fetch = (input, init = {}) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), origin: 'null' } });
      const os = connectStandalone({ origin: t.url, slug: 'todo', fetch: sandboxedFetch });
      await expect(os.db.find('tasks')).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/Open this app from the Matrix OS desktop/) });
    });

    it('pages through more rows than the bridge returns at once when no limit is given', async () => {
      const os = connectStandalone({ origin: t.url, slug: 'todo', fetch: ownerFetch });
      const rows = Array.from({ length: 1200 }, (_, i) => ({ text: `bulk ${i}`, done: false, rank: 100 + i }));
      await os.db.bulkInsert('tasks', rows.slice(0, 500));
      await os.db.bulkInsert('tasks', rows.slice(500, 1000));
      await os.db.bulkInsert('tasks', rows.slice(1000));
      const found = await os.db.find('tasks', { where: { text: { $like: 'bulk %' } }, orderBy: { rank: 'asc' } });
      expect(found).toHaveLength(1200);
      expect(found[1199]!.text).toBe('bulk 1199');
    });

    it('keeps small values with readData/writeData, and they survive a gateway restart', async () => {
      const os = connectStandalone({ origin: t.url, slug: 'todo', fetch: ownerFetch });
      expect(await os.readData('settings')).toBeNull();
      await os.writeData('settings', { filter: 'open', sort: ['rank'] });
      await os.writeData('settings', { filter: 'done' });
      expect(await os.readData('settings')).toEqual({ filter: 'done' });
      await t.stop();
      await t.restart();
      const again = connectStandalone({ origin: t.url, slug: 'todo', fetch: ownerFetch });
      expect(await again.readData('settings')).toEqual({ filter: 'done' });
    });

    it('calls onChange listeners over the event socket after each committed change to their table', async () => {
      const bridge = createHttpBridge({
        origin: t.url,
        token: standaloneCredential({ origin: t.url, slug: 'todo', fetch: ownerFetch }),
        WebSocket: WebSocket as unknown as SocketFactory,
      });
      const data = createBridgeData(bridge);
      const seen: DataChangeEvent[] = [];
      const kvSeen: DataChangeEvent[] = [];
      let wake = () => {};
      const stop = data.db.onChange('tasks', (e) => {
        seen.push(e);
        wake();
      });
      const stopKv = data.db.onChange('kv', (e) => kvSeen.push(e));
      await bridge.live();

      const arrived = (n: number) => new Promise<void>((resolve) => (wake = () => seen.length >= n && resolve()));
      const first = arrived(2);
      const { id } = await data.db.insert('tasks', { text: 'watch me', done: false, rank: 1 });
      await data.db.update('tasks', id, { done: true });
      await first;
      const second = arrived(3);
      await data.db.delete('tasks', id);
      await second;
      expect(seen.map((e) => [e.op, e.ids])).toEqual([['insert', [id]], ['update', [id]], ['delete', [id]]]);
      expect(seen.every((e) => e.app === 'todo' && e.table === 'tasks')).toBe(true);
      expect(kvSeen).toEqual([]);
      stop();
      stopKv();
    });

    it('answers a shell-forwarded call the same way, and names the missing kv table for apps without one', async () => {
      const bridge = createHttpBridge({ origin: t.url, token: standaloneCredential({ origin: t.url, slug: 'todo', fetch: ownerFetch }) });
      const handlers = { data: createBridgeData(bridge), openApp: () => {}, subscribe: () => {}, openPalette: () => {} };
      const { id } = (await dispatchAppCall(handlers, 'db.insert', ['tasks', { text: 'from the shell', done: false, rank: 5 }])) as { id: string };
      expect(await dispatchAppCall(handlers, 'db.findOne', ['tasks', id])).toMatchObject({ text: 'from the shell' });
      await expect(dispatchAppCall(handlers, 'db.insert', ['tasks', 'not a row'])).rejects.toThrow(/data: expected an object/);
      await expect(dispatchAppCall(handlers, 'db.insert', ['tasks', { nope: 1 }])).rejects.toMatchObject({ code: 'validation' });
      await expect(dispatchAppCall(handlers, 'db.find', ['other_apps_table'])).rejects.toMatchObject({ code: 'not_found' });

      const plain = connectStandalone({ origin: t.url, slug: 'plain', fetch: ownerFetch });
      await expect(plain.writeData('k', 1)).rejects.toThrow(/"kv" table in matrix.json/);
    });
  });
});
