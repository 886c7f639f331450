import { describe, expect, it } from 'vitest';
import { bridgeQuerySchema, parseManifest } from '../src/index.ts';

describe('matrix.json', () => {
  it('accepts a manifest written for another Matrix OS version, keeping unknown fields', () => {
    const r = parseManifest({
      name: 'Todo', runtime: 'vite', runtimeVersion: '^1.0.0', listingTrust: 'first_party', category: 'productivity',
      build: { install: 'true', command: 'vite build', output: 'dist', timeout: 180, sourceGlobs: ['src/**'] },
      storage: { tables: { tasks: { columns: { title: 'text', due: 'timestamptz', done: 'boolean' }, indexes: ['due', ['done', 'due']] } } },
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.manifest).toMatchObject({ runtimeVersion: '^1.0.0', category: 'productivity' });
  });

  it.each([
    [{ name: 'x', storage: { tables: { t: { columns: { when: 'datetime' } } } } }, /^storage\.tables\.t\.columns\.when: must be one of text/],
    [{ name: 'x', storage: { tables: { t: { columns: { id: 'text' } } } } }, /storage\.tables\.t\.columns\.id.*reserved/],
    [{ name: 'x', storage: { tables: { 'Bad-Name': { columns: {} } } } }, /storage\.tables\.Bad-Name/],
    [{ name: 'x', storage: { tables: { t: { columns: { pg_x: 'text' } } } } }, /reserved prefix/],
    [{ name: 'x', storage: { tables: { t: { columns: { a: 'text' }, indexes: ['b'] } } } }, /storage\.tables\.t\.indexes\.0: column "b" is not declared/],
    [{ runtime: 'vite' }, /^name: /],
    [{ name: 'x', runtime: 'python' }, /^runtime: /],
  ])('refuses %j naming the field', (manifest, message) => {
    const r = parseManifest(manifest);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(message);
  });
});

describe('bridge query', () => {
  it('bounds limits and insert batches', () => {
    expect(bridgeQuerySchema.safeParse({ action: 'find', table: 't', limit: 1001 }).success).toBe(false);
    expect(bridgeQuerySchema.safeParse({ action: 'insert', table: 't', data: Array.from({ length: 501 }, () => ({})) }).success).toBe(false);
    expect(bridgeQuerySchema.safeParse({ action: 'drop', table: 't' }).success).toBe(false);
  });
});
