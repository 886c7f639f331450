import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

// An in-memory evaluation of bridge filters with SQL's three-valued logic, to check the bridge against.
type Row = { id: string; t: string | null; n: number | null; f: number | null; b: boolean | null; d: string | null };
type Tri = boolean | null;
const COLUMNS = { t: 'text', n: 'integer', f: 'float', b: 'boolean', d: 'date' } as const;
type Col = keyof typeof COLUMNS;

const and3 = (xs: Tri[]): Tri => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const or3 = (xs: Tri[]): Tri => (xs.includes(true) ? true : xs.includes(null) ? null : false);
const cmp = (a: unknown, b: unknown) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);

function likeToRegex(pattern: string, insensitive: boolean): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') out += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, insensitive ? 'i' : '');
}

function evalOp(a: unknown, op: string, v: unknown): Tri {
  switch (op) {
    case '$null':
      return v ? a === null : a !== null;
    case '$in':
      if ((v as unknown[]).length === 0) return false;
      return a === null ? null : (v as unknown[]).includes(a);
    case '$nin':
      if ((v as unknown[]).length === 0) return true;
      return a === null ? null : !(v as unknown[]).includes(a);
    case '$eq':
      if (v === null) return a === null;
      return a === null ? null : a === v;
    case '$ne':
      return v === null ? a !== null : a !== v;
  }
  if (a === null) return null;
  switch (op) {
    case '$lt': return cmp(a, v) < 0;
    case '$lte': return cmp(a, v) <= 0;
    case '$gt': return cmp(a, v) > 0;
    case '$gte': return cmp(a, v) >= 0;
    case '$like': return likeToRegex(v as string, false).test(a as string);
    case '$ilike': return likeToRegex(v as string, true).test(a as string);
  }
  throw new Error(`unknown op ${op}`);
}

function evalWhere(row: Row, where: Record<string, unknown>): Tri {
  return and3(
    Object.entries(where).map(([key, value]): Tri => {
      if (key === '$and') return and3((value as Record<string, unknown>[]).map((w) => evalWhere(row, w)));
      if (key === '$or') return or3((value as Record<string, unknown>[]).map((w) => evalWhere(row, w)));
      if (key === '$not') {
        const r = evalWhere(row, value as Record<string, unknown>);
        return r === null ? null : !r;
      }
      const a = row[key as Col];
      if (value === null || typeof value !== 'object') return evalOp(a, '$eq', value);
      return and3(Object.entries(value).map(([op, v]) => evalOp(a, op, v)));
    }),
  );
}

// Small value domains so conditions match some rows and miss others.
const values: Record<Col, fc.Arbitrary<unknown>> = {
  t: fc.constantFrom('a', 'b', 'ab', 'ba', 'A', 'B', '', 'a%b', 'a_b', "o'neil", 'x"y'),
  n: fc.integer({ min: -3, max: 3 }),
  f: fc.constantFrom(-1.5, 0, 0.25, 1.5, 2),
  b: fc.boolean(),
  d: fc.constantFrom('2024-01-01', '2024-06-30', '2025-02-28'),
};
const patterns = fc.constantFrom('a%', '%b', '_', '%', 'a_', '%a%', 'A%', 'a\\%b', 'a\\_b', "o'%", '');
const col = fc.constantFrom<Col>('t', 'n', 'f', 'b', 'd');

const condition = col.chain((c) => {
  const v = values[c];
  const ops: fc.Arbitrary<unknown>[] = [
    v,
    fc.constant(null),
    fc.record({ $eq: fc.oneof(v, fc.constant(null)) }),
    fc.record({ $ne: fc.oneof(v, fc.constant(null)) }),
    fc.record({ $lt: v }),
    fc.record({ $lte: v }),
    fc.record({ $gt: v }),
    fc.record({ $gte: v }),
    fc.record({ $gt: v, $lte: v }),
    fc.record({ $in: fc.uniqueArray(v, { maxLength: 3 }) }),
    fc.record({ $nin: fc.uniqueArray(v, { maxLength: 3 }) }),
    fc.record({ $null: fc.boolean() }),
  ];
  if (c === 't') ops.push(fc.record({ $like: patterns }), fc.record({ $ilike: patterns }));
  return fc.oneof(...ops).map((cond) => ({ [c]: cond }));
});

const { where } = fc.letrec<{ where: Record<string, unknown> }>((tie) => ({
  where: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.array(tie('where'), { minLength: 1, maxLength: 3 }).map((ws) => ({ $and: ws })),
    fc.array(tie('where'), { minLength: 1, maxLength: 3 }).map((ws) => ({ $or: ws })),
    tie('where').map((w) => ({ $not: w })),
    fc.tuple(condition, condition).map(([a, b]) => ({ ...a, ...b })),
  ),
}));

const rowArb = fc.record({
  t: fc.oneof(values.t, fc.constant(null)),
  n: fc.oneof(values.n, fc.constant(null)),
  f: fc.oneof(values.f, fc.constant(null)),
  b: fc.oneof(values.b, fc.constant(null)),
  d: fc.oneof(values.d, fc.constant(null)),
});

eachBackend((backend) => {
  describe(`bridge filters match an in-memory evaluation (${backend.kind})`, () => {
    let t: TestGateway;
    let token: string;
    let rows: Row[];
    beforeAll(async () => {
      // Hundreds of queries a second on purpose: the per-app rate limit (its own tests) stays out of the way.
      t = await startTestGateway(backend, { env: { MATRIX_BRIDGE_RATE_PER_SEC: '100000' }, prepareHome: (home) => writeAppManifest(home, 'fuzz', dataApp('Fuzz', { items: COLUMNS })) });
      token = await t.appToken('fuzz');
      const seed = fc.sample(rowArb, { numRuns: 60, seed: 42 });
      const res = await t.bridge(token, { action: 'insert', table: 'items', data: seed });
      expect(res.status).toBe(200);
      const { ids } = (await res.json()) as { ids: string[] };
      rows = seed.map((r, i) => ({ id: ids[i]!, ...r }) as Row);
    });
    afterAll(() => t.close());

    it('returns exactly the rows the filter selects, and counts them', async () => {
      await fc.assert(
        fc.asyncProperty(where, async (w) => {
          const res = await t.bridge(token, { action: 'find', table: 'items', where: w, limit: 1000 });
          expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
          const got = ((await res.json()) as { rows: Row[] }).rows.map((r) => r.id).sort();
          const want = rows.filter((r) => evalWhere(r, w) === true).map((r) => r.id).sort();
          expect(got).toEqual(want);
          const count = await t.bridge(token, { action: 'count', table: 'items', where: w });
          expect(((await count.json()) as { count: number }).count).toBe(want.length);
        }),
        { numRuns: 150 },
      );
    });

    it('pages through a sorted result with cursors, in the order PostgreSQL defines', async () => {
      await fc.assert(
        fc.asyncProperty(col, fc.constantFrom('asc', 'desc'), fc.integer({ min: 1, max: 25 }), async (c, dir, limit) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const res = await t.bridge(token, { action: 'find', table: 'items', orderBy: [[c, dir]], limit, ...(cursor ? { cursor } : {}) });
            expect(res.status).toBe(200);
            const page = (await res.json()) as { rows: Row[]; nextCursor: string | null };
            seen.push(...page.rows.map((r) => r.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          // PostgreSQL puts nulls last ascending and first descending; ties break on id.
          const key = (r: Row) => r[c];
          const want = [...rows]
            .sort((x, y) => {
              const a = key(x);
              const b = key(y);
              if (a === null || b === null) {
                if (a !== b) return (a === null ? 1 : -1) * (dir === 'asc' ? 1 : -1);
              } else if (cmp(a, b) !== 0) return cmp(a, b) * (dir === 'asc' ? 1 : -1);
              return x.id < y.id ? -1 : 1;
            })
            .map((r) => r.id);
          expect(seen).toEqual(want);
        }),
        { numRuns: 20 },
      );
    });

    it('answers any JSON as a filter with 200 or a 400 naming the problem, never a 500', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 2 }), async (junk, order) => {
          for (const body of [
            { action: 'find', table: 'items', where: junk },
            { action: 'count', table: 'items', where: { t: junk, n: { $gt: junk } } },
            { action: 'find', table: 'items', orderBy: order },
            { action: 'update', table: 'items', where: { $or: [junk] }, limit: 1, data: { t: junk } },
          ]) {
            const res = await t.bridge(token, body);
            expect([200, 400, 404]).toContain(res.status);
            if (res.status !== 200) expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/\S/);
          }
        }),
        { numRuns: 80 },
      );
    });
  });
});
