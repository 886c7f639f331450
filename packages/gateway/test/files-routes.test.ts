import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testBackends } from '@matrix-os/db/testing';
import { dataApp, writeAppManifest } from './support/apps.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// The file routes never touch the database, so one backend (embedded PGlite) is enough here.
const pglite = testBackends().find((b) => b.kind === 'pglite')!;

const jsonPost = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('file routes', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway(pglite, {
      env: { MATRIX_UPLOAD_MAX_MB: '1' },
      prepareHome: async (home) => {
        await mkdir(join(home, 'notes'), { recursive: true });
        await writeFile(join(home, 'notes', 'hello.md'), '# Hello\n');
        await writeAppManifest(home, 'probe', dataApp('Probe', {}));
      },
    });
  });
  afterAll(() => t?.close());

  it('lists a folder and describes a file', async () => {
    const res = await t.owner('/api/files/list?path=notes');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entries: { name: string; type: string; size: number }[] };
    expect(body.entries).toEqual([expect.objectContaining({ name: 'hello.md', path: 'notes/hello.md', type: 'file', size: 8 })]);
    const root = (await (await t.owner('/api/files/list')).json()) as { entries: { name: string }[] };
    expect(root.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['apps', 'notes']));
    const st = await t.owner('/api/files/stat?path=notes/hello.md');
    expect(((await st.json()) as { file: { etag: string } }).file.etag).toMatch(/^".+"$/);
    expect((await t.owner('/api/files/stat?path=notes/missing.md')).status).toBe(404);
  });

  it('reads a file with its type, ETag and safe headers, and answers 304 when unchanged', async () => {
    const res = await t.owner('/files/notes/hello.md');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('# Hello\n');
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = res.headers.get('etag')!;
    const again = await t.owner('/files/notes/hello.md', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('an HTML or SVG file is served sandboxed, so it cannot run script on the gateway origin', async () => {
    await t.owner('/files/notes/page.html', { method: 'PUT', body: '<script>alert(1)</script>' });
    await t.owner('/files/notes/pic.svg', { method: 'PUT', body: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' });
    for (const name of ['page.html', 'pic.svg']) {
      const res = await t.owner(`/files/notes/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox;/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const download = await t.owner('/files/notes/page.html?download=1');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('saving with a stale ETag answers 412 and keeps the other writer\'s text', async () => {
    const first = await t.owner('/files/notes/draft.txt', { method: 'PUT', body: 'one' });
    expect(first.status).toBe(201);
    const etag = first.headers.get('etag')!;
    const second = await t.owner('/files/notes/draft.txt', { method: 'PUT', body: 'two', headers: { 'if-match': etag } });
    expect(second.status).toBe(200);
    const stale = await t.owner('/files/notes/draft.txt', { method: 'PUT', body: 'three', headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('precondition_failed');
    expect(await readFile(join(t.homeDir, 'notes', 'draft.txt'), 'utf8')).toBe('two');
    const createOnly = await t.owner('/files/notes/draft.txt', { method: 'PUT', body: 'x', headers: { 'if-none-match': '*' } });
    expect(createOnly.status).toBe(412);
    const missing = await t.owner('/files/notes/nothing.txt', { method: 'PUT', body: 'x', headers: { 'if-match': etag } });
    expect(missing.status).toBe(412);
  });

  it('an upload over the limit answers 413 and leaves no partial file behind', async () => {
    const big = new Uint8Array(1024 * 1024 + 10).fill(65);
    const res = await t.owner('/files/notes/big.bin', { method: 'PUT', body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_large');
    // Without a length up front the gateway only finds out while streaming: still nothing left over.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(100 * 1024).fill(66));
        controller.close();
      },
    });
    const streamed = await t.owner('/files/notes/streamed.bin', { method: 'PUT', body: chunks, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    const left = await readdir(join(t.homeDir, 'notes'));
    expect(left.filter((n) => n.includes('big') || n.includes('streamed') || n.includes('upload'))).toEqual([]);
    const ok = await t.owner('/files/notes/fits.bin', { method: 'PUT', body: new Uint8Array(1024 * 1024).fill(67) });
    expect(ok.status).toBe(201);
    expect((await stat(join(t.homeDir, 'notes', 'fits.bin'))).size).toBe(1024 * 1024);
  });

  it('downloads a byte range', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    await t.owner('/files/notes/range.bin', { method: 'PUT', body: bytes });
    const part = await t.owner('/files/notes/range.bin?download=1', { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/100000');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(1000, 2000));
    const tail = await t.owner('/files/notes/range.bin', { headers: { range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(-10));
    const past = await t.owner('/files/notes/range.bin', { headers: { range: 'bytes=200000-' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */100000');
  });

  it('makes folders, moves, copies and finds files by name', async () => {
    expect((await t.owner('/api/files/mkdir', jsonPost({ path: 'projects/2026/q1', parents: true }))).status).toBe(201);
    expect((await t.owner('/api/files/mkdir', jsonPost({ path: 'projects' }))).status).toBe(409);
    await t.owner('/files/projects/2026/q1/plan.md', { method: 'PUT', body: 'plan' });
    const moved = await t.owner('/api/files/move', jsonPost({ from: 'projects/2026/q1/plan.md', to: 'projects/plan.md' }));
    expect(moved.status).toBe(200);
    const copied = await t.owner('/api/files/copy', jsonPost({ from: 'projects', to: 'projects-copy' }));
    expect(copied.status).toBe(201);
    expect(await readFile(join(t.homeDir, 'projects-copy', 'plan.md'), 'utf8')).toBe('plan');
    expect((await t.owner('/api/files/copy', jsonPost({ from: 'projects', to: 'projects/inner' }))).status).toBe(400);
    expect((await t.owner('/api/files/move', jsonPost({ from: 'projects/plan.md', to: 'projects-copy/plan.md' }))).status).toBe(409);
    const found = (await (await t.owner('/api/files/search?q=PLAN')).json()) as { results: { path: string }[] };
    expect(found.results.map((r) => r.path).sort()).toEqual(['projects-copy/plan.md', 'projects/plan.md']);
  });

  it('deleting moves to the trash, and restore puts it back where it was', async () => {
    await t.owner('/api/files/mkdir', jsonPost({ path: 'old/stuff', parents: true }));
    await t.owner('/files/old/stuff/letter.txt', { method: 'PUT', body: 'dear' });
    const trashed = await t.owner('/api/files/trash', jsonPost({ path: 'old' }));
    expect(trashed.status).toBe(201);
    const { item } = (await trashed.json()) as { item: { id: string; path: string } };
    expect(item.path).toBe('old');
    expect((await t.owner('/files/old/stuff/letter.txt')).status).toBe(404);
    const list = (await (await t.owner('/api/files/trash')).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toContain(item.id);
    // The trash is not reachable as an ordinary path.
    expect((await t.owner('/api/files/list?path=.trash')).status).toBe(403);
    const root = (await (await t.owner('/api/files/list')).json()) as { entries: { name: string }[] };
    expect(root.entries.map((e) => e.name)).not.toContain('.trash');

    // Something new took its place: restoring there is refused, restoring elsewhere works.
    await t.owner('/api/files/mkdir', jsonPost({ path: 'old' }));
    expect((await t.owner(`/api/files/trash/${item.id}/restore`, jsonPost({}))).status).toBe(409);
    await t.owner('/api/files/trash', jsonPost({ path: 'old' }));
    const restored = await t.owner(`/api/files/trash/${item.id}/restore`, jsonPost({}));
    expect(restored.status).toBe(200);
    expect(await (await t.owner('/files/old/stuff/letter.txt')).text()).toBe('dear');
    expect((await t.owner('/api/files/trash/not-an-id/restore', jsonPost({}))).status).toBe(404);
    expect((await t.owner('/api/files/trash', { method: 'DELETE' })).status).toBe(200);
    expect(((await (await t.owner('/api/files/trash')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('a trash item with a damaged record is listed apart, never fails the listing, and can still be restored or purged', async () => {
    const trash = async () => (await (await t.owner('/api/files/trash')).json()) as { items: { id: string; path: string }[]; unreadable: string[] };
    const trashOne = async (path: string) => {
      await t.owner(`/files/${path}`, { method: 'PUT', body: path });
      return ((await (await t.owner('/api/files/trash', jsonPost({ path }))).json()) as { item: { id: string } }).item.id;
    };
    const good = await trashOne('kept.txt');
    const broken = await trashOne('broken.txt');
    const odd = await trashOne('odd.txt');
    await writeFile(join(t.homeDir, '.trash', broken, 'info.json'), '{"id": "x", "path": ');
    await writeFile(join(t.homeDir, '.trash', odd, 'info.json'), JSON.stringify({ path: 42 }));
    const res = await t.owner('/api/files/trash');
    expect(res.status).toBe(200);
    const listed = await trash();
    expect(listed.items.map((i) => i.id)).toEqual([good]);
    expect(listed.unreadable.sort()).toEqual([broken, odd].sort());
    // Where it came from is unknown: restoring needs a destination; with one it works.
    const blind = await t.owner(`/api/files/trash/${broken}/restore`, jsonPost({}));
    expect(blind.status).toBe(409);
    expect(((await blind.json()) as { error: { field: string } }).error.field).toBe('to');
    const placed = await t.owner(`/api/files/trash/${broken}/restore`, jsonPost({ to: 'recovered.txt' }));
    expect(placed.status).toBe(200);
    expect(await (await t.owner('/files/recovered.txt')).text()).toBe('broken.txt');
    expect((await t.owner(`/api/files/trash/${odd}`, { method: 'DELETE' })).status).toBe(200);
    expect(await trash()).toEqual({ items: [expect.objectContaining({ id: good, path: 'kept.txt' })], unreadable: [] });
    await t.owner(`/api/files/trash/${good}`, { method: 'DELETE' });
  });

  it('a file read again after it changed shows the change, whoever made it', async () => {
    const read = async () => (await t.owner('/files/notes/fresh.txt')).text();
    await t.owner('/files/notes/fresh.txt', { method: 'PUT', body: 'v1' });
    expect(await read()).toBe('v1');
    await t.owner('/files/notes/fresh.txt', { method: 'PUT', body: 'v2' });
    expect(await read()).toBe('v2');
    // Changed behind the gateway's back: the watcher's event drops the copy it kept in memory.
    await writeFile(join(t.homeDir, 'notes', 'fresh.txt'), 'v3');
    let text = await read();
    for (let i = 0; i < 100 && text !== 'v3'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      text = await read();
    }
    expect(text).toBe('v3');
    await t.owner('/api/files/move', jsonPost({ from: 'notes/fresh.txt', to: 'notes/fresh-moved.txt' }));
    expect((await t.owner('/files/notes/fresh.txt')).status).toBe(404);
  });

  it('follows a link that stays inside the home', async () => {
    await symlink(join(t.homeDir, 'notes'), join(t.homeDir, 'notes-link'));
    expect(await (await t.owner('/files/notes-link/hello.md')).text()).toBe('# Hello\n');
  });

  it('an app credential or no session reaches none of the file routes', async () => {
    const token = await t.appToken('probe');
    const attempts: [string, RequestInit][] = [
      ['/api/files/list', {}],
      ['/files/notes/hello.md', {}],
      ['/files/notes/app.txt', { method: 'PUT', body: 'x' }],
      ['/api/files/trash', { method: 'POST', body: JSON.stringify({ path: 'notes' }), headers: { 'content-type': 'application/json' } }],
    ];
    for (const [path, init] of attempts) {
      for (const headers of [{ authorization: `Bearer ${token}` }, {}] as Record<string, string>[]) {
        const res = await fetch(`${t.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
        expect([401, 403], path).toContain(res.status);
        expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/unauthorized|forbidden/);
      }
    }
    expect(await readFile(join(t.homeDir, 'notes', 'hello.md'), 'utf8')).toBe('# Hello\n');
  });

  it('changes in the home arrive on /ws as file:change events', async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws`, { headers: { cookie: t.ownerCookie } });
    const seen: { kind: string; path: string }[] = [];
    let wanted: (() => void) | null = null;
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { type: string; event?: { type: string; kind: string; path: string } };
      if (msg.type === 'event' && msg.event?.type === 'file:change') seen.push(msg.event);
      wanted?.();
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const arrived = (pred: (e: { kind: string; path: string }) => boolean) =>
      new Promise<void>((resolve) => {
        wanted = () => seen.some(pred) && resolve();
        wanted();
      });
    // Written behind the gateway's back (a terminal, the kernel): the watcher still sees it.
    await writeFile(join(t.homeDir, 'notes', 'from-terminal.txt'), 'hi');
    await arrived((e) => e.path === 'notes/from-terminal.txt' && e.kind === 'add');
    await t.owner('/files/notes/from-terminal.txt', { method: 'PUT', body: 'changed' });
    await arrived((e) => e.path === 'notes/from-terminal.txt' && (e.kind === 'change' || e.kind === 'add') && seen.length > 1);
    ws.close();
    expect(seen.every((e) => !e.path.includes('.~upload-') && !e.path.startsWith('.trash'))).toBe(true);
  });
});
