import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdir, readdir, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@matrix-os/db/testing';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

// The file routes never touch the database, so one backend (embedded PGlite) is enough here.
const pglite = testBackends().find((b) => b.kind === 'pglite')!;
const SECRET = `TOP-SECRET-${randomBytes(8).toString('hex')}`;
// Planted outside the home under a name no path inside it has, so any listing that shows it leaked.
const NAME = `leak-${randomBytes(4).toString('hex')}.txt`;
const named = (forms: string[]) => forms.map((f) => f.replaceAll('secret.txt', NAME));

/** Known ways out of a folder, as a client would send them (decoded; the raw URL form encodes what it must). */
const KNOWN_FORMS = named([
  '..', '../', '../secret.txt', '../../etc/passwd', '/etc/passwd', '/', '//secret.txt', '..\\secret.txt', '..\\..\\secret.txt',
  '%2e%2e/secret.txt', '%2E%2E%2Fsecret.txt', '%252e%252e%252fsecret.txt', '..%2fsecret.txt', '..%5csecret.txt', '%2e%2e%5csecret.txt',
  '%c0%ae%c0%ae/secret.txt', '.%2e/secret.txt', 'inside/../../secret.txt', 'inside/./../../secret.txt', 'inside/%2e%2e/%2e%2e/secret.txt',
  'escape', 'escape/secret.txt', 'escape/outside/secret.txt', 'escape-file', 'docs/up', 'docs/up/secret.txt', 'docs/up/home-evil/secret.txt',
  'dangling', 'dangling/x', 'secret.txt\u0000.md', 'inside/ok.txt\u0000', '\u0000', '．．/secret.txt', '~/secret.txt', 'C:\\secret.txt',
  '\\\\server\\share', '.git/config', '.git', '.trash', '.TRASH/x', '../home-evil/secret.txt', 'inside/\u0001', '...', '.../secret.txt',
]);

const TOKENS = named(['..', '.', '/', '//', '\\', '%2e', '%2E', '%2f', '%5c', '%00', '%25', '%252e', '%252f', '\u0000', 'escape', 'escape-file', 'docs', 'up', 'dangling', 'inside', 'secret.txt', 'home-evil', 'outside', '~', '．', ' ', 'ok.txt']);
const pathArb = fc.oneof(
  fc.constantFrom(...KNOWN_FORMS),
  fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 8 }).map((t) => t.join('')),
  fc.string({ maxLength: 30 }),
);

/** Everything outside the home that a leak would touch: names at the top of the data folder, and the planted trees. */
async function outsideState(dataDir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        await walk(p, r);
      } else out.push(`${r} ${e.isFile() ? await readFile(p, 'utf8') : 'link'}`);
    }
  };
  const top = (await readdir(dataDir)).sort();
  out.push(top.join(','));
  for (const name of ['outside', 'home-evil']) await walk(join(dataDir, name), name);
  out.push(`${NAME} ${await readFile(join(dataDir, NAME), 'utf8')} ${(await stat(join(dataDir, NAME))).mtimeMs}`);
  return out.join('\n');
}

/** A raw HTTP request whose path is sent exactly as given (fetch would normalise `..` away first). */
function rawRequest(url: string, method: string, path: string, cookie: string, body?: string): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The form of `p` a raw URL can carry: what HTTP cannot hold is percent-encoded once. */
const asUrlPath = (p: string) => p.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));

describe('no path leaves the home', () => {
  let t: TestGateway;
  let dataDir: string;
  let before: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestGateway(pglite, {
      prepareHome: async (home) => {
        const outside = dirname(home);
        await writeFile(join(outside, NAME), SECRET);
        await mkdir(join(outside, 'outside'), { recursive: true });
        await writeFile(join(outside, 'outside', NAME), SECRET);
        // A sibling whose name starts like the home's: a naive prefix check lets it through.
        await mkdir(join(outside, 'home-evil'), { recursive: true });
        await writeFile(join(outside, 'home-evil', NAME), SECRET);
        await mkdir(join(home, 'inside'), { recursive: true });
        await mkdir(join(home, 'docs'), { recursive: true });
        await writeFile(join(home, 'inside', 'ok.txt'), 'ok');
        await symlink(outside, join(home, 'escape'));
        await symlink(join(outside, NAME), join(home, 'escape-file'));
        await symlink('../..', join(home, 'docs', 'up'));
        await symlink(join(outside, 'not-yet.txt'), join(home, 'dangling'));
      },
    });
    dataDir = t.dataDir;
    before = await outsideState(dataDir);
  });
  afterAll(() => t?.close());

  const noLeak = (what: string, res: { status: number; body: string }) => {
    expect(res.body, what).not.toContain(SECRET);
    expect(res.status, `${what} → ${res.status} ${res.body}`).toBeLessThan(500);
    // The HTTP layer itself refuses a raw backslash in a URL with a bare 400, before any route runs.
    const bareRefusal = res.status === 400 && res.body === '' && what.includes(' raw ') && what.includes('\\');
    if (res.status >= 400 && !bareRefusal) expect(JSON.parse(res.body), `${what} → ${res.status} ${res.body}`).toHaveProperty('error.code');
  };

  const json = async (method: string, path: string, body?: unknown) => {
    const res = await t.owner(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.text() };
  };

  /** Every entry a listing or search answered with is really inside the home, links followed. */
  const listedInside = async (what: string, res: { status: number; body: string }) => {
    noLeak(what, res);
    if (res.status !== 200) return;
    const body = JSON.parse(res.body) as { entries?: { path: string }[]; results?: { path: string }[] };
    const realHome = await realpath(t.homeDir);
    for (const e of body.entries ?? body.results ?? []) {
      const real = await realpath(join(t.homeDir, e.path));
      expect(real.startsWith(`${realHome}/`), `${what} listed ${e.path} → ${real}`).toBe(true);
    }
  };

  /** Every route that takes a path, with `p` in that place. */
  async function attack(p: string): Promise<void> {
    const i = n++;
    const q = encodeURIComponent(p);
    // All at once: the answers must hold whatever order the server runs them in. Listings come after,
    // so what they show is still there to be checked.
    await Promise.all([
      rawRequest(t.url, 'GET', `/files/${asUrlPath(p)}`, t.ownerCookie).then((r) => noLeak(`GET raw ${p}`, r)),
      rawRequest(t.url, 'PUT', `/files/${asUrlPath(p)}`, t.ownerCookie, `FUZZ-${i}`).then((r) => noLeak(`PUT raw ${p}`, r)),
      json('GET', `/api/files/stat?path=${q}`).then((r) => noLeak(`stat ${p}`, r)),
      json('POST', '/api/files/mkdir', { path: p, parents: true }).then((r) => noLeak(`mkdir ${p}`, r)),
      json('POST', '/api/files/copy', { from: 'inside/ok.txt', to: p }).then((r) => noLeak(`copy to ${p}`, r)),
      json('POST', '/api/files/copy', { from: p, to: `inside/copy-${i}` }).then((r) => noLeak(`copy from ${p}`, r)),
      json('POST', '/api/files/move', { from: p, to: `inside/moved-${i}` }).then((r) => noLeak(`move from ${p}`, r)),
      json('POST', '/api/files/trash', { path: p }).then((r) => noLeak(`trash ${p}`, r)),
    ]);
    await listedInside(`list ${p}`, await json('GET', `/api/files/list?path=${q}`));
    await listedInside(`search ${p}`, await json('GET', `/api/files/search?q=leak&path=${q}`));
  }

  it('links that lead outside never show up in a listing or search', async () => {
    const root = JSON.parse((await json('GET', '/api/files/list')).body) as { entries: { name: string }[] };
    expect(root.entries.map((e) => e.name)).not.toEqual(expect.arrayContaining(['escape']));
    for (const name of ['escape', 'escape-file', 'dangling']) expect(root.entries.map((e) => e.name)).not.toContain(name);
    const docs = JSON.parse((await json('GET', '/api/files/list?path=docs')).body) as { entries: { name: string }[] };
    expect(docs.entries.map((e) => e.name)).not.toContain('up');
    const found = JSON.parse((await json('GET', '/api/files/search?q=leak')).body) as { results: unknown[] };
    expect(found.results).toEqual([]);
  });

  it('known traversal forms are refused everywhere', async () => {
    for (const p of KNOWN_FORMS) await attack(p);
    const refused = await json('GET', `/api/files/list?path=${encodeURIComponent('../')}`);
    expect(refused.status).toBe(400);
    expect((await json('GET', '/api/files/stat?path=escape-file')).status).toBe(403);
    expect((await json('GET', '/api/files/list?path=escape')).status).toBe(403);
  });

  it('fuzzed paths never read, write or list anything outside', async () => {
    await fc.assert(fc.asyncProperty(pathArb, attack), { numRuns: 60 });
  });

  it('after all of it, everything outside the home is exactly as it was, and no secret came in', async () => {
    expect(await outsideState(dataDir)).toBe(before);
    const inside: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) inside.push(await readFile(p, 'utf8'));
      }
    };
    await walk(t.homeDir);
    expect(inside.filter((s) => s.includes(SECRET))).toEqual([]);
  });
});
