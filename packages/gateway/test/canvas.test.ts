import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanvasOpInput, CanvasRecord, CanvasSocketMessage } from '@matrix-os/protocol';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A tab's canvas socket: collects every message it receives. */
async function openTab(t: TestGateway, id: string) {
  const messages: CanvasSocketMessage[] = [];
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws/canvas/${id}`, { headers: { cookie: t.ownerCookie } });
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    const check = setInterval(() => {
      if (messages.some((m) => m.type === 'ready')) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  const waitFor = async (pred: (m: CanvasSocketMessage) => boolean) => {
    for (let i = 0; i < 500; i++) {
      const m = messages.find(pred);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('socket message did not arrive');
  };
  return { ws, messages, waitFor };
}

const note = (id: string, x = 0, y = 0) => ({ id, kind: 'note' as const, x, y, w: 240, h: 160, text: `note ${id}` });

eachBackend((backend) => {
  describe(`canvas documents (${backend.kind})`, () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(backend);
    });
    afterAll(() => t.close());

    const create = async (name: string, document?: unknown) => {
      const res = await t.owner('/api/canvas', json({ name, ...(document ? { document } : {}) }));
      expect(res.status).toBe(201);
      return (await res.json()) as CanvasRecord;
    };
    const get = async (id: string) => (await (await t.owner(`/api/canvas/${id}`)).json()) as CanvasRecord;
    const ops = (id: string, baseRevision: number, list: CanvasOpInput[], clientId?: string) => t.owner(`/api/canvas/${id}/ops`, json({ baseRevision, ops: list, clientId }));

    it('lists, creates, renames, exports and deletes canvases, owner only', async () => {
      expect((await fetch(`${t.url}/api/canvas`)).status).toBe(401);
      const work = await create('Work');
      expect(work).toMatchObject({ name: 'Work', revision: 0, document: { version: 1, nodes: [] } });
      const renamed = await t.owner(`/api/canvas/${work.id}`, json({ name: 'Deep work' }, 'PATCH'));
      expect(await renamed.json()).toMatchObject({ name: 'Deep work' });
      const list = (await (await t.owner('/api/canvas')).json()) as { canvases: { id: string; name: string }[] };
      expect(list.canvases.map((c) => c.name)).toContain('Deep work');
      const exported = await t.owner(`/api/canvas/${work.id}/export`);
      expect(exported.headers.get('content-disposition')).toContain('Deep work.canvas.json');
      const file = (await exported.json()) as { document: unknown };
      const copy = await create('Copy', file.document);
      expect(copy.document).toEqual(work.document);
      expect((await t.owner(`/api/canvas/${work.id}`, { method: 'DELETE' })).status).toBe(200);
      expect((await t.owner(`/api/canvas/${work.id}`)).status).toBe(404);
    });

    it('applies small operations and survives a restart', async () => {
      const c = await create('Layout');
      let res = await ops(c.id, 0, [{ op: 'add', node: note('a') }, { op: 'add', node: { id: 'w', kind: 'builtin', ref: '__terminal__', x: 300, y: 0, w: 640, h: 400 } }]);
      expect(await res.json()).toEqual({ revision: 1 });
      res = await ops(c.id, 1, [
        { op: 'move', id: 'a', x: 50, y: 60 },
        { op: 'resize', id: 'w', w: 800, h: 500 },
        { op: 'update', id: 'w', patch: { state: 'minimized', title: 'Shell' } },
      ]);
      expect(await res.json()).toEqual({ revision: 2 });
      await t.stop();
      await t.restart();
      const doc = await get(c.id);
      expect(doc.revision).toBe(2);
      expect(doc.document.nodes).toEqual([
        { ...note('a', 50, 60), state: 'normal', z: 0 },
        { id: 'w', kind: 'builtin', ref: '__terminal__', x: 300, y: 0, w: 800, h: 500, state: 'minimized', title: 'Shell', z: 0 },
      ]);
      expect(await (await ops(c.id, 2, [{ op: 'remove', id: 'a' }])).json()).toEqual({ revision: 3 });
      expect((await get(c.id)).document.nodes.map((n) => n.id)).toEqual(['w']);
    });

    it('refuses a document or operation from an older or broken client with a clear 400 and leaves the stored document untouched', async () => {
      const c = await create('Guarded');
      await ops(c.id, 0, [{ op: 'add', node: note('keep', 10, 20) }]);
      const before = await get(c.id);
      const refusals: [string, RequestInit][] = [
        [`/api/canvas/${c.id}`, json({ baseRevision: 1, document: { version: 0, nodes: [] } }, 'PUT')],
        [`/api/canvas/${c.id}`, json({ baseRevision: 1, document: { version: 1, nodes: [{ id: 'x', kind: 'window', x: 0, y: 0, w: 100, h: 100 }] } }, 'PUT')],
        [`/api/canvas/${c.id}`, json({ baseRevision: 1, document: { version: 1, nodes: [note('d'), note('d')] } }, 'PUT')],
        [`/api/canvas/${c.id}/ops`, json({ baseRevision: 1, ops: [{ op: 'move', id: 'keep', x: 'left', y: 0 }] })],
        [`/api/canvas/${c.id}/ops`, json({ baseRevision: 1, ops: [{ op: 'move', id: 'keep', x: 1, y: 2, colour: 'red' }] })],
        [`/api/canvas/${c.id}/ops`, json({ baseRevision: 1, ops: [{ op: 'move', id: 'keep', x: 5, y: 5 }, { op: 'add', node: { ...note('keep') } }] })],
        [`/api/canvas/${c.id}/ops`, json({ baseRevision: 1, ops: [{ op: 'add', node: { id: 'b', kind: 'builtin', ref: 'tasks', x: 0, y: 0, w: 100, h: 100 } }] })],
        [`/api/canvas/${c.id}/ops`, json({ baseRevision: 1, ops: [] })],
        [`/api/canvas/${c.id}/ops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"baseRevision":1,' }],
      ];
      for (const [path, init] of refusals) {
        const res = await t.owner(path, init);
        expect(res.status, `${init.body}`).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('validation');
        expect(body.error.message.length).toBeGreaterThan(5);
      }
      expect(await get(c.id)).toEqual(before);
      // An operation on a node another tab removed is a 404, and also changes nothing.
      expect((await ops(c.id, 1, [{ op: 'move', id: 'gone', x: 1, y: 1 }])).status).toBe(404);
      expect(await get(c.id)).toEqual(before);
    });

    it('answers a stale revision with 409 and the latest revision', async () => {
      const c = await create('Race');
      await ops(c.id, 0, [{ op: 'add', node: note('n') }]);
      await ops(c.id, 1, [{ op: 'move', id: 'n', x: 5, y: 5 }]);
      const res = await ops(c.id, 1, [{ op: 'move', id: 'n', x: 9, y: 9 }]);
      expect(res.status).toBe(409);
      expect(res.headers.get('x-canvas-revision')).toBe('2');
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('revision 2') });
      expect((await get(c.id)).document.nodes[0]).toMatchObject({ x: 5, y: 5 });
    });

    it('two tabs editing the same node both end in the same state, pushed over the canvas socket', async () => {
      const c = await create('Shared');
      const tabA = await openTab(t, c.id);
      const tabB = await openTab(t, c.id);
      await ops(c.id, 0, [{ op: 'add', node: note('same') }], 'A');
      await tabB.waitFor((m) => m.type === 'ops' && m.revision === 1);
      // Both tabs move the same node against revision 1; one wins, the other is told to rebase.
      const [ra, rb] = await Promise.all([ops(c.id, 1, [{ op: 'move', id: 'same', x: 100, y: 100 }], 'A'), ops(c.id, 1, [{ op: 'move', id: 'same', x: 200, y: 200 }], 'B')]);
      const statuses = [ra.status, rb.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = ra.status === 409 ? { res: ra, id: 'A', x: 100 } : { res: rb, id: 'B', x: 200 };
      const latest = Number(loser.res.headers.get('x-canvas-revision'));
      expect(latest).toBe(2);
      expect((await ops(c.id, latest, [{ op: 'move', id: 'same', x: loser.x, y: loser.x }], loser.id)).status).toBe(200);
      // Each tab replays what it received on top of the document it loaded: same result as the server.
      const stored = await get(c.id);
      for (const tab of [tabA, tabB]) {
        await tab.waitFor((m) => m.type === 'ops' && m.revision === 3);
        const moves = tab.messages.filter((m): m is Extract<CanvasSocketMessage, { type: 'ops' }> => m.type === 'ops').flatMap((m) => m.ops);
        const last = moves.filter((o) => o.op === 'move').at(-1);
        expect(last).toMatchObject({ x: stored.document.nodes[0]!.x, y: stored.document.nodes[0]!.y });
      }
      expect(stored.document.nodes[0]).toMatchObject({ x: loser.x, y: loser.x });
      // Renames and deletes reach open tabs too.
      await t.owner(`/api/canvas/${c.id}`, json({ name: 'Renamed' }, 'PATCH'));
      await tabA.waitFor((m) => m.type === 'renamed' && m.name === 'Renamed');
      await t.owner(`/api/canvas/${c.id}`, { method: 'DELETE' });
      await tabB.waitFor((m) => m.type === 'deleted');
      tabA.ws.close();
      tabB.ws.close();
    });

    it('refuses the canvas socket without a session', async () => {
      const c = await create('Private');
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws/canvas/${c.id}`);
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(401);
    });
  });
});
