import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '@matrix-os/db/testing';
import { createSession } from './support/terminal.ts';
import { eachBackend, startTestGateway, type TestGateway } from './support/test-gateway.ts';

type Call = { method: string; path: string; json?: unknown; raw?: string };

const codeUnit = fc.nat(0xffff).map((c) => String.fromCharCode(c));
/**
 * Strings an owner's client might send by accident or on purpose: NUL, lone surrogates, controls,
 * and huge ones (drawn as a unit and a count, so a failure prints short).
 */
const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDC00\uD800', '\uD83D\uDE00', '\u202Eevil', '\uFEFF', '\uFFFF', '\u0007', '%00', '../..', '', ' ', '\n\r', 'a'.repeat(300)) },
  { weight: 6, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom<[string, number]>(['x', 70_000], ['\u0000', 5_000], ['\uD800', 5_000], ['é', 40_000]).map(([unit, times]) => ({ unit, times })) },
);
const materialise = (v: string | { unit: string; times: number }) => (typeof v === 'string' ? v : v.unit.repeat(v.times));

/** A path segment as a client would encode it (a lone surrogate goes out as U+FFFD, as any UTF-8 encoder sends it). */
const segment = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Sends a call as the owner: status and body. */
async function send(t: TestGateway, call: Call): Promise<{ status: number; body: string }> {
  const init: RequestInit = { method: call.method };
  if (call.json !== undefined) (init.headers = { 'content-type': 'application/json' }), (init.body = JSON.stringify(call.json));
  else if (call.raw !== undefined) init.body = call.raw;
  const res = await t.owner(call.path, init);
  return { status: res.status, body: await res.text() };
}

/**
 * Every refusal is in the one error shape and none is an internal error (a 500). The chat answers
 * 503 `unavailable` on purpose while the kernel is off, which is not a failure of the route.
 */
function expectNoServerError(call: Call, value: string, res: { status: number; body: string }): void {
  const where = `${call.method} ${call.path.slice(0, 120)} with ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? `… (${value.length} chars)` : ''}`;
  if (res.status < 400) return;
  let code: unknown;
  try {
    const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.message === 'string' ? body.error.code : undefined;
  } catch {
    code = undefined;
  }
  if (typeof code !== 'string') throw new Error(`${where} answered ${res.status} outside the error shape: ${res.body.slice(0, 300)}`);
  if (res.status === 500 || code === 'internal') throw new Error(`${where} answered ${res.status}: ${res.body.slice(0, 300)}`);
}

function ownerRoutesUnderFuzz(backend: TestBackend) {
  describe(`owner routes given odd strings (${backend.kind})`, () => {
    let t: TestGateway;
    let canvasId: string;
    let sessionId: string;
    beforeAll(async () => {
      t = await startTestGateway(backend);
      const res = await send(t, { method: 'POST', path: '/api/canvas', json: { name: 'fuzz', document: { version: 1, nodes: [{ id: 'n1', kind: 'note', x: 0, y: 0, w: 200, h: 100, text: 'hi' }] } } });
      canvasId = (JSON.parse(res.body) as { id: string }).id;
      sessionId = (await createSession(t, { name: 'fuzz' })).id;
      // A fresh PGlite folder under a loaded machine can take minutes to start.
    }, 300_000);
    afterAll(() => t?.close());

    const revision = async () => (JSON.parse((await send(t, { method: 'GET', path: `/api/canvas/${canvasId}` })).body) as { revision: number }).revision;
    const note = (s: string, id = 'n2') => ({ id, kind: 'note', x: 10, y: 10, w: 200, h: 100, title: s, text: s });

    /** Every owner route that takes a string, built around one value. */
    const calls: ((s: string) => Promise<Call>)[] = [
      async (s) => ({ method: 'POST', path: '/api/canvas', json: { name: s } }),
      async (s) => ({ method: 'POST', path: '/api/canvas', json: { name: 'n', document: { version: 1, nodes: [note(s)] } } }),
      async (s) => ({ method: 'PATCH', path: `/api/canvas/${canvasId}`, json: { name: s } }),
      async (s) => ({ method: 'POST', path: `/api/canvas/${canvasId}/ops`, json: { baseRevision: await revision(), ops: [{ op: 'update', id: 'n1', patch: { title: s, text: s } }] } }),
      async (s) => ({ method: 'PUT', path: `/api/canvas/${canvasId}`, json: { baseRevision: await revision(), document: { version: 1, nodes: [note('keep', 'n1'), note(s)] }, clientId: s } }),
      async (s) => ({ method: 'GET', path: `/api/canvas/${segment(s)}` }),
      async (s) => ({ method: 'PATCH', path: `/api/terminal/sessions/${sessionId}`, json: { name: s } }),
      async (s) => ({ method: 'GET', path: `/api/terminal/sessions/${segment(s)}` }),
      async (s) => ({ method: 'PUT', path: '/api/settings/shell', json: { theme: s } }),
      async (s) => ({ method: 'POST', path: '/api/files/mkdir', json: { path: `fuzz/${s}`, parents: true } }),
      async (s) => ({ method: 'POST', path: '/api/files/move', json: { from: s, to: `${s}-moved` } }),
      async (s) => ({ method: 'GET', path: `/api/files/list?${query({ path: s })}` }),
      async (s) => ({ method: 'GET', path: `/api/files/search?${query({ q: s })}` }),
      async (s) => ({ method: 'PUT', path: `/files/fuzz-${segment(s)}`, raw: s }),
      async (s) => ({ method: 'POST', path: `/api/files/trash/${segment(s)}/restore`, json: { to: s } }),
      async (s) => ({ method: 'POST', path: '/api/chat/send', json: { message: s } }),
      async (s) => ({ method: 'GET', path: `/api/chat/conversations?${query({ q: s })}` }),
      async (s) => ({ method: 'GET', path: `/api/chat/conversations/${segment(s)}` }),
      async (s) => ({ method: 'POST', path: `/api/apps/${segment(s)}/session` }),
      async (s) => ({ method: 'POST', path: `/api/apps/${segment(s)}/build` }),
    ];

    it('answers every route with a success or a clear 4xx, never a 500', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(calls.length - 1), oddString, async (i, v) => {
          const s = materialise(v);
          const call = await calls[i]!(s);
          expectNoServerError(call, s, await send(t, call));
        }),
        { numRuns: 700 },
      );
    });

    it('refuses NUL in a canvas name, a note text and a node title with a 400 naming the field', async () => {
      const cases: [Call, string][] = [
        [{ method: 'POST', path: '/api/canvas', json: { name: 'a\u0000b' } }, 'name'],
        [{ method: 'PATCH', path: `/api/canvas/${canvasId}`, json: { name: 'a\u0000b' } }, 'name'],
        [{ method: 'POST', path: `/api/canvas/${canvasId}/ops`, json: { baseRevision: await revision(), ops: [{ op: 'update', id: 'n1', patch: { text: 'before\u0000after' } }] } }, 'ops.0.patch.text'],
        [{ method: 'POST', path: `/api/canvas/${canvasId}/ops`, json: { baseRevision: await revision(), ops: [{ op: 'add', node: note('title\u0000') }] } }, 'ops.0.node.title'],
        [{ method: 'PUT', path: `/api/canvas/${canvasId}`, json: { baseRevision: await revision(), document: { version: 1, nodes: [note('\uD800')] } } }, 'document.nodes.0.title'],
        [{ method: 'POST', path: '/api/chat/send', json: { message: 'hello\u0000' } }, 'message'],
      ];
      for (const [call, field] of cases) {
        const res = await send(t, call);
        expect({ path: call.path, status: res.status }).toEqual({ path: call.path, status: 400 });
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'validation', field } });
      }
      // Nothing was half-written: the note still reads as before.
      const doc = JSON.parse((await send(t, { method: 'GET', path: `/api/canvas/${canvasId}` })).body) as { document: { nodes: { id: string; text?: string }[] } };
      expect(doc.document.nodes.find((n) => n.id === 'n1')?.text).not.toContain('\u0000');
    });
  });
}

eachBackend(ownerRoutesUnderFuzz);
