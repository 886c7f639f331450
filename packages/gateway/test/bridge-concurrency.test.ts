import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

eachBackend((backend) => {
  describe(`50 concurrent clients (${backend.kind})`, () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway(backend, {
        prepareHome: (home) => writeAppManifest(home, 'counter', dataApp('Counter', { items: { client: 'integer', seq: 'integer', value: 'integer' } })),
        env: { MATRIX_BRIDGE_RATE_PER_SEC: '100000' },
      });
    });
    afterAll(() => t.close());

    it('every acknowledged insert and update is there afterwards and the counts match', async () => {
      const token = await t.appToken('counter');
      const perClient = 8;
      const acknowledged = new Map<string, { client: number; seq: number; value: number }>();
      await Promise.all(
        Array.from({ length: 50 }, async (_, client) => {
          for (let seq = 0; seq < perClient; seq++) {
            const ins = await t.bridge(token, { action: 'insert', table: 'items', data: { client, seq, value: 0 } });
            expect(ins.status).toBe(200);
            const [id] = ((await ins.json()) as { ids: string[] }).ids;
            const upd = await t.bridge(token, { action: 'update', table: 'items', id, data: { value: client * 100 + seq } });
            expect(upd.status).toBe(200);
            expect(((await upd.json()) as { changed: number }).changed).toBe(1);
            acknowledged.set(id!, { client, seq, value: client * 100 + seq });
          }
        }),
      );
      const count = (await (await t.bridge(token, { action: 'count', table: 'items' })).json()) as { count: number };
      expect(count.count).toBe(50 * perClient);
      const stored = new Map<string, { client: number; seq: number; value: number }>();
      let cursor: string | null = null;
      do {
        const page = (await (await t.bridge(token, { action: 'find', table: 'items', limit: 150, ...(cursor ? { cursor } : {}) })).json()) as {
          rows: { id: string; client: number; seq: number; value: number }[];
          nextCursor: string | null;
        };
        for (const r of page.rows) stored.set(r.id, { client: r.client, seq: r.seq, value: r.value });
        cursor = page.nextCursor;
      } while (cursor);
      expect(stored).toEqual(acknowledged);
    });
  });
});
