import { describe, expect, it } from 'vitest';
import { indexName, planStorage } from '../src/registry/storage-plan.ts';

describe('planning additive storage changes', () => {
  const declared = { tables: { tasks: { columns: { text: 'text' as const, done: 'boolean' as const }, indexes: ['done'] } } };

  it('creates the schema, tables and indexes on first sight', () => {
    const plan = planStorage(null, declared);
    expect(plan.ok && plan.steps.map((s) => s.kind)).toEqual(['createSchema', 'createTable', 'createIndex', 'createIndex']);
  });

  it('adds only what is missing and never drops anything', () => {
    const plan = planStorage({ tasks: { id: 'uuid', text: 'text', old: 'integer' }, archive: { id: 'uuid' } }, declared);
    expect(plan.ok && plan.steps.filter((s) => s.kind !== 'createIndex')).toEqual([{ kind: 'addColumn', table: 'tasks', column: 'done', type: 'boolean' }]);
  });

  it('refuses a type change, naming the column', () => {
    const plan = planStorage({ tasks: { text: 'text', done: 'text' } }, declared);
    expect(plan).toEqual({ ok: false, errors: [expect.stringMatching(/^storage\.tables\.tasks\.columns\.done: type changed from text to boolean/)] });
  });

  it('keeps index names within 63 bytes and distinct', () => {
    const long = ['a'.repeat(40), 'b'.repeat(40)];
    expect(indexName('t'.repeat(40), long).length).toBeLessThanOrEqual(63);
    expect(indexName('t'.repeat(40), long)).not.toBe(indexName('t'.repeat(40), [...long].reverse()));
  });
});
