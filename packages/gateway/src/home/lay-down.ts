import { createHash, randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.ts';
import { makeFolder } from '../files/file-ops.ts';
import { openHomeRoot, resolveEntry, type HomeRoot } from '../files/safe-path.ts';
import { ensureHomeRepo, snapshotHome } from './home-git.ts';
import { planLayDown, type HashMap } from './lay-down-plan.ts';

/** Where the last lay-down's hashes are kept, relative to the home. */
export const TEMPLATE_MANIFEST = 'system/.template-manifest.json';
const SKIPPED = new Set(['node_modules', '.git']);

/** What one lay-down did, by home-relative path. */
export interface LayDownResult {
  added: string[];
  updated: string[];
  removed: string[];
  /** Files the user changed or deleted, left as they are. */
  kept: string[];
  /** The commit that recorded the lay-down, or null when nothing changed. */
  commit: string | null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Hashes every regular file under `dir` (links and dependency folders skipped). */
async function hashTree(dir: string, rel = '', out: HashMap = {}): Promise<HashMap> {
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    if (SKIPPED.has(e.name)) continue;
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await hashTree(dir, path, out);
    else if (e.isFile() && path !== TEMPLATE_MANIFEST) out[path] = sha256(await readFile(join(dir, path)));
  }
  return out;
}

/** The hash of a home file, `'other'` for a folder or link in its place, null when missing. */
async function hashOfHomeFile(root: HomeRoot, rel: string): Promise<string | null> {
  const st = await lstat(join(root.real, rel)).catch(() => null);
  if (!st) return null;
  return st.isFile() ? sha256(await readFile(join(root.real, rel))) : 'other';
}

async function readManifest(root: HomeRoot): Promise<HashMap> {
  const raw = await readFile(join(root.real, TEMPLATE_MANIFEST), 'utf8').catch(() => null);
  try {
    return raw ? ((JSON.parse(raw) as { files?: HashMap }).files ?? {}) : {};
  } catch {
    return {};
  }
}

/** Copies one template file into the home through the path rule (a link in the home cannot redirect it). */
async function place(root: HomeRoot, templateDir: string, rel: string): Promise<void> {
  const segments = rel.split('/');
  if (segments.length > 1) await makeFolder(root, segments.slice(0, -1), true);
  const entry = await resolveEntry(root, segments);
  const temp = join(dirname(entry.path), `.${segments.at(-1)}.~upload-${randomBytes(6).toString('hex')}`);
  const source = join(templateDir, rel);
  await copyFile(source, temp);
  // Keep the template's times: prebuilt app output must stay newer than its sources, or every
  // default app would be rebuilt on first start.
  const { atime, mtime } = await stat(source);
  await utimes(temp, atime, mtime);
  await rename(temp, entry.path);
}

/**
 * Lays the home template down into `homeDir`. First start: copies everything. Later starts: adds new
 * template files, updates and removes files the user never touched, keeps every file the user changed
 * or deleted. The home is a git repository; the lay-down is recorded as its own commit.
 */
export async function layDownHome(templateDir: string, homeDir: string): Promise<LayDownResult> {
  const templateStat = await lstat(templateDir).catch(() => null);
  if (!templateStat?.isDirectory()) throw new AppError('internal', `The home template ${templateDir} is not a folder.`);
  await mkdir(homeDir, { recursive: true });
  const root = await openHomeRoot(homeDir);
  const fresh = await ensureHomeRepo(homeDir);
  // Whatever the user changed while the gateway was stopped gets its own commit, apart from the template's.
  if (!fresh) await snapshotHome(homeDir, 'Changes made outside Matrix OS');

  const template = await hashTree(templateDir);
  const laidDown = await readManifest(root);
  const current: Record<string, string | null> = {};
  for (const rel of new Set([...Object.keys(template), ...Object.keys(laidDown)])) current[rel] = await hashOfHomeFile(root, rel);
  const { actions, manifest } = planLayDown(template, laidDown, current);

  const result: LayDownResult = { added: [], updated: [], removed: [], kept: [], commit: null };
  for (const [rel, action] of Object.entries(actions).sort(([a], [b]) => a.localeCompare(b))) {
    if (action === 'add' || action === 'update') await place(root, templateDir, rel);
    else if (action === 'remove') await unlink((await resolveEntry(root, rel.split('/'))).path);
    if (action === 'add') result.added.push(rel);
    else if (action === 'update') result.updated.push(rel);
    else if (action === 'remove') result.removed.push(rel);
    else if (action === 'keep') result.kept.push(rel);
  }
  await makeFolder(root, TEMPLATE_MANIFEST.split('/').slice(0, -1), true);
  await writeFile(join(root.real, TEMPLATE_MANIFEST), `${JSON.stringify({ version: 1, files: manifest }, null, 1)}\n`);
  const changes = result.added.length + result.updated.length + result.removed.length;
  const message = fresh ? 'Lay down the Matrix home' : `Update from the home template: ${result.added.length} added, ${result.updated.length} updated, ${result.removed.length} removed`;
  result.commit = fresh || changes > 0 ? await snapshotHome(homeDir, message) : null;
  return result;
}
