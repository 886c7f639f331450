import { describe, expect, it } from 'vitest';
import { FIND_ALL_MAX, MAX_PAGE, findPageQuery, normalizeOrderBy } from '../src/index.ts';
import { findTotal, kvLookupQuery } from '../src/bridge-queries.ts';

describe('db.find options become bridge queries', () => {
  it('accepts orderBy as { col: "asc" }, as pairs, or as a column name, in any letter case', () => {
    expect(normalizeOrderBy({ due: 'asc', created_at: 'DESC' })).toEqual([['due', 'asc'], ['created_at', 'desc']]);
    expect(normalizeOrderBy([['rank', 'desc']])).toEqual([['rank', 'desc']]);
    expect(normalizeOrderBy('title')).toEqual([['title', 'asc']]);
    expect(normalizeOrderBy(undefined)).toBeUndefined();
  });

  it('refuses a direction that is neither asc nor desc, naming the column', () => {
    expect(() => normalizeOrderBy({ due: 'up' as 'asc' })).toThrow(/"due"/);
  });

  it('passes where through, carries the offset on the first page and the cursor after it', () => {
    const opts = { where: { done: false }, orderBy: { due: 'asc' as const }, offset: 20 };
    expect(findPageQuery('tasks', opts, 50)).toEqual({
      action: 'find', table: 'tasks', where: { done: false }, orderBy: [['due', 'asc']], limit: 50, offset: 20,
    });
    expect(findPageQuery('tasks', opts, 50, 'c1')).toEqual({
      action: 'find', table: 'tasks', where: { done: false }, orderBy: [['due', 'asc']], limit: 50, cursor: 'c1',
    });
  });

  it('never asks the bridge for more than one page of rows', () => {
    expect(findPageQuery('t', {}, 5000).limit).toBe(MAX_PAGE);
  });

  it('reads everything up to FIND_ALL_MAX rows when no limit is given, and refuses a bad limit', () => {
    expect(findTotal({})).toBe(FIND_ALL_MAX);
    expect(findTotal({ limit: 3 })).toBe(3);
    expect(() => findTotal({ limit: -1 })).toThrow(/limit/);
    expect(() => findTotal({ offset: 1.5 })).toThrow(/offset/);
  });

  it('looks a readData key up in the kv table, newest first, and refuses an empty key', () => {
    expect(kvLookupQuery('scores')).toEqual({ action: 'find', table: 'kv', where: { key: 'scores' }, orderBy: [['updated_at', 'desc']], limit: 1 });
    expect(() => kvLookupQuery('')).toThrow(/key/);
  });
});
