import { describe, expect, it } from 'vitest';
import { APP_MESSAGE_LIMITS, parseAppRequest, parseShellMessage } from '@matrix-os/protocol';
import { appRequest, classifyShellMessage, readEventFrame } from '../src/index.ts';

describe('the shell↔app message protocol', () => {
  it('a request the SDK builds is one the shell accepts, without trailing undefined arguments', () => {
    const req = appRequest(7, 'db.find', ['tasks', { where: { done: false } }, undefined]);
    expect(req.args).toHaveLength(2);
    expect(parseAppRequest(req)).toEqual(req);
  });

  it('the shell refuses unknown calls, too many arguments, wrong versions and oversized messages', () => {
    expect(parseAppRequest({ matrix: 1, id: 1, call: 'files.read', args: [] })).toBeNull();
    expect(parseAppRequest({ matrix: 1, id: 1, call: 'db.find', args: [1, 2, 3, 4, 5] })).toBeNull();
    expect(parseAppRequest({ matrix: 2, id: 1, call: 'db.find', args: [] })).toBeNull();
    expect(parseAppRequest({ matrix: 1, id: -1, call: 'db.find', args: [] })).toBeNull();
    const big = 'x'.repeat(APP_MESSAGE_LIMITS.maxBytes);
    expect(parseAppRequest({ matrix: 1, id: 1, call: 'writeData', args: ['k', big] })).toBeNull();
    // Multi-byte text counts in UTF-8 bytes, not characters.
    const wide = 'é'.repeat(APP_MESSAGE_LIMITS.maxBytes / 2);
    expect(parseAppRequest({ matrix: 1, id: 1, call: 'writeData', args: ['k', wide] })).toBeNull();
  });

  it('an app tells replies from pushes and ignores anything else', () => {
    const ok = { matrix: 1, id: 3, ok: true, result: { id: 'x' } };
    const fail = { matrix: 1, id: 4, ok: false, error: { code: 'not_found', message: 'No table "x".' } };
    const hello = { matrix: 1, event: 'hello', payload: { app: { name: 'Tasks', slug: 'tasks' }, theme: { mode: 'dark', vars: { '--matrix-bg': '#000' } } } };
    expect(classifyShellMessage(ok)).toEqual({ reply: ok });
    expect(classifyShellMessage(fail)).toEqual({ reply: fail });
    expect(classifyShellMessage(hello)).toEqual({ push: hello });
    expect(classifyShellMessage({ type: 'os:wheel-zoom' })).toBeNull();
    expect(classifyShellMessage('hello')).toBeNull();
    expect(parseShellMessage(hello)).toEqual(hello);
    expect(parseShellMessage(fail)).toEqual(fail);
  });

  it('a theme may only carry --matrix-* variables', () => {
    const push = (vars: Record<string, string>) => ({ matrix: 1, event: 'theme', payload: { mode: 'light', vars } });
    expect(parseShellMessage(push({ '--matrix-accent': 'red' }))).not.toBeNull();
    expect(parseShellMessage(push({ background: 'url(https://evil.example)' }))).toBeNull();
  });

  it('reads data changes and sequence numbers from /ws frames', () => {
    const event = { type: 'data:change', app: 'tasks', table: 'tasks', op: 'insert', ids: ['a'] };
    expect(readEventFrame(JSON.stringify({ type: 'event', seq: 5, event }))).toEqual({ seq: 5, ready: false, change: event });
    expect(readEventFrame(JSON.stringify({ type: 'ready', seq: 9, replayed: 0, gap: false }))).toEqual({ seq: 9, ready: true, change: null });
    expect(readEventFrame(JSON.stringify({ type: 'pong' }))).toBeNull();
    expect(readEventFrame('not json')).toBeNull();
  });
});
