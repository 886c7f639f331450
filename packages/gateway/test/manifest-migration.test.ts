import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

type AppInfo = { slug: string; status: string; errors: string[]; tables: string[] };

eachBackend((backend) => {
  describe(`changing a manifest never loses stored rows (${backend.kind})`, () => {
    let t: TestGateway;
    let token: string;
    const rescan = async () => {
      expect((await t.owner('/api/apps/rescan', { method: 'POST' })).status).toBe(200);
      const { apps } = (await (await t.owner('/api/apps')).json()) as { apps: AppInfo[] };
      return apps.find((a) => a.slug === 'habits')!;
    };
    const rows = async (table = 'habits') =>
      ((await (await t.bridge(token, { action: 'find', table, limit: 1000 })).json()) as { rows: Record<string, unknown>[] }).rows;

    beforeAll(async () => {
      t = await startTestGateway(backend, {
        prepareHome: (home) => writeAppManifest(home, 'habits', dataApp('Habits', { habits: { name: 'text', streak: 'integer' } })),
      });
      token = await t.appToken('habits');
      // Two statements, so created_at orders them.
      for (const data of [{ name: 'run', streak: 3 }, { name: 'read', streak: 9 }]) {
        expect((await t.bridge(token, { action: 'insert', table: 'habits', data })).status).toBe(200);
      }
    });
    afterAll(() => t.close());

    it('a new column and a new table are added; the old rows keep their values', async () => {
      await writeAppManifest(t.homeDir, 'habits', dataApp('Habits', { habits: { name: 'text', streak: 'integer', color: 'text' }, logs: { habit: 'uuid', day: 'date' } }));
      expect(await rescan()).toMatchObject({ status: 'ok', tables: ['habits', 'logs'] });
      const before = await rows();
      expect(before.map((r) => [r.name, r.streak, r.color])).toEqual([['run', 3, null], ['read', 9, null]]);
      expect((await t.bridge(token, { action: 'insert', table: 'logs', data: { habit: before[0]!.id, day: '2026-11-29' } })).status).toBe(200);
    });

    it('a removed column and table are hidden from the app, and come back with their data when re-added', async () => {
      await writeAppManifest(t.homeDir, 'habits', dataApp('Habits', { habits: { name: 'text', color: 'text' } }));
      expect(await rescan()).toMatchObject({ status: 'ok', tables: ['habits'] });
      expect((await rows()).map((r) => r.streak)).toEqual([undefined, undefined]);
      expect((await t.bridge(token, { action: 'find', table: 'habits', where: { streak: 3 } })).status).toBe(400);
      expect((await t.bridge(token, { action: 'find', table: 'logs' })).status).toBe(404);
      await writeAppManifest(t.homeDir, 'habits', dataApp('Habits', { habits: { name: 'text', streak: 'integer', color: 'text' }, logs: { habit: 'uuid', day: 'date' } }));
      expect(await rescan()).toMatchObject({ status: 'ok' });
      expect((await rows()).map((r) => r.streak)).toEqual([3, 9]);
      expect((await rows('logs')).map((r) => r.day)).toEqual(['2026-11-29']);
    });

    it('a changed column type is refused with a message, and the app keeps working on its last schema', async () => {
      await writeAppManifest(t.homeDir, 'habits', dataApp('Habits', { habits: { name: 'text', streak: 'text', color: 'text' } }));
      const app = await rescan();
      expect(app.status).toBe('invalid');
      expect(app.errors.join('\n')).toMatch(/storage\.tables\.habits\.columns\.streak: type changed from integer to text/);
      expect((await rows()).map((r) => r.streak)).toEqual([3, 9]);
      expect((await t.bridge(token, { action: 'update', table: 'habits', where: { name: 'run' }, limit: 1, data: { streak: 4 } })).status).toBe(200);
    });

    it('a broken manifest is reported with the field at fault; other apps keep serving', async () => {
      await writeAppManifest(t.homeDir, 'broken', { name: 'Broken', storage: { tables: { things: { columns: { when: 'datetime' } } } } });
      await writeAppManifest(t.homeDir, 'not-json', '{ "name": ');
      await rescan();
      const { apps } = (await (await t.owner('/api/apps')).json()) as { apps: AppInfo[] };
      expect(apps.find((a) => a.slug === 'broken')).toMatchObject({ status: 'invalid', errors: [expect.stringMatching(/^storage\.tables\.things\.columns\.when: must be one of text/)] });
      expect(apps.find((a) => a.slug === 'not-json')).toMatchObject({ status: 'invalid', errors: [expect.stringMatching(/not valid JSON/)] });
      expect((await rows()).length).toBe(2);
    });

    it('the data survives a gateway restart', async () => {
      await t.stop();
      await t.restart();
      token = await t.appToken('habits');
      expect((await rows()).map((r) => [r.name, r.streak])).toEqual([['run', 4], ['read', 9]]);
    });
  });
});
