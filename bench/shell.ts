// `npm run bench -- shell`: the shell's production build loaded cold in headless Chromium ten times.
// Prints JavaScript transferred (gzip) on first load, time to the first rendered canvas, and dropped
// frames over a 2 s pan of a canvas with 200 nodes, next to an empty canvas panned in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '@matrix-os/gateway';
import { startMachine } from '../packages/cli/src/start-machine.ts';

const LOADS = 10;
const PAN_MS = 2000;
const FRAME_MS = 1000 / 60;
const PASSWORD = 'bench owner password';
const TARGETS = { jsKiB: 300, firstCanvasMs: 1000, droppedPct: 5 };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = fileURLToPath(new URL('..', import.meta.url));

function nodes(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const x = (i % 20) * 280;
    const y = Math.floor(i / 20) * 200;
    return i % 4 === 3 ? { id: `f${i}`, kind: 'file', ref: `docs/file-${i}.md`, x, y, w: 240, h: 80 } : { id: `n${i}`, kind: 'note', x, y, w: 240, h: 160, text: `Note ${i}\nsome words to draw` };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function signedInPage(browser: Browser, url: string, cookie: string, canvasId: string, viewport?: { x: number; y: number; zoom: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url }]);
  await context.addInitScript(
    ([id, vp]) => {
      localStorage.setItem('matrix.canvas', id as string);
      localStorage.setItem('matrix.mode', 'canvas');
      if (vp) localStorage.setItem(`matrix.viewport.${id}`, JSON.stringify(vp));
    },
    [canvasId, viewport ?? null] as const,
  );
  return context.newPage();
}

/** One cold load: gzip bytes of JavaScript transferred, and ms from navigation to the first drawn node. */
async function coldLoad(browser: Browser, url: string, cookie: string, canvasId: string) {
  const page = await signedInPage(browser, url, cookie, canvasId);
  const scripts: Promise<number>[] = [];
  page.on('requestfinished', (req) => {
    if (req.resourceType() === 'script') scripts.push(req.sizes().then((s) => s.responseBodySize));
  });
  await page.goto(url);
  await page.waitForSelector('.react-flow__node', { state: 'visible' });
  const ms = await page.evaluate(() => performance.now());
  await page.waitForLoadState('networkidle');
  const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  await page.context().close();
  return { bytes, ms };
}

/** The baseline: a bare page of the same Next server (its 404), ms to first contentful paint. */
async function bareLoad(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/no-such-page`);
  const ms = (await page.evaluate(
    `new Promise((resolve) => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) resolve(e.startTime); else new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }); })`,
  )) as number;
  await context.close();
  return ms;
}

/** Drags the empty pane for PAN_MS and counts frames that took longer than one refresh. */
async function pan(browser: Browser, url: string, cookie: string, canvasId: string) {
  const page = await signedInPage(browser, url, cookie, canvasId, { x: 20, y: 60, zoom: 0.24 });
  await page.goto(url);
  await page.waitForSelector('.react-flow__pane');
  await page.waitForTimeout(500);
  // A string, not a function: tsx would wrap a named function in a helper the page does not have.
  await page.evaluate(`window.frames_ = []; window.recording = true;
    requestAnimationFrame(function tick(t) { window.frames_.push(t); if (window.recording) requestAnimationFrame(tick); });`);
  // Pressed on the pane's far right, below every node: pans instead of moving a node.
  await page.mouse.move(1300, 820);
  await page.mouse.down();
  const start = Date.now();
  while (Date.now() - start < PAN_MS) {
    const t = (Date.now() - start) / PAN_MS;
    await page.mouse.move(1300 - t * 900, 820 - Math.sin(t * Math.PI) * 300);
  }
  await page.mouse.up();
  const frames = (await page.evaluate('window.recording = false; window.frames_')) as number[];
  const moved = await page.$eval('.react-flow__viewport', (el) => getComputedStyle(el).transform);
  await page.context().close();
  if (moved.endsWith(', 20, 60)')) throw new Error('the drag did not pan the canvas');
  let dropped = 0;
  for (let i = 1; i < frames.length; i++) dropped += Math.max(0, Math.round((frames[i]! - frames[i - 1]!) / FRAME_MS) - 1);
  const span = frames.at(-1)! - frames[0]!;
  return { pct: (dropped / Math.max(1, span / FRAME_MS)) * 100 };
}

export default async function main(): Promise<void> {
  if (!existsSync(join(root, 'shell/.next/standalone/shell/server.js')) || process.env.MATRIX_BENCH_BUILD === '1') {
    if (spawnSync('npm', ['run', 'build', '-w', 'shell'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('next build failed');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'matrix-bench-shell-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MATRIX_DATA_DIR: dataDir, MATRIX_OWNER_PASSWORD: PASSWORD, MATRIX_HOME_TEMPLATE: 'off', LOG_LEVEL: 'error' });
  const machine = await startMachine(config, { shellDir: join(root, 'shell'), log: () => {} });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  try {
    const url = machine.url;
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const make = async (name: string, count: number) => {
      const res = await fetch(`${url}/api/canvas`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name, document: { version: 1, nodes: nodes(count) } }) });
      return ((await res.json()) as { id: string }).id;
    };
    const busy = await make('200 nodes', 200);
    const empty = await make('empty', 0);
    const small = await make('first canvas', 6);

    await coldLoad(browser, url, cookie, small); // warms the server's own caches, not the browser's
    const loads = [];
    for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(browser, url, cookie, small));
    const bare = [];
    for (let i = 0; i < LOADS; i++) bare.push(await bareLoad(browser, url));
    const loads200 = [];
    for (let i = 0; i < 3; i++) loads200.push(await coldLoad(browser, url, cookie, busy));
    const pans = { empty: [] as number[], busy: [] as number[] };
    for (let i = 0; i < 3; i++) {
      pans.empty.push((await pan(browser, url, cookie, empty)).pct);
      pans.busy.push((await pan(browser, url, cookie, busy)).pct);
    }

    const jsKiB = median(loads.map((l) => l.bytes)) / 1024;
    const first = median(loads.map((l) => l.ms));
    const first200 = median(loads200.map((l) => l.ms));
    const dropped = median(pans.busy);
    const droppedEmpty = median(pans.empty);
    const row = (what: string, value: string, target: string, ratio: string) => console.log(`${what.padEnd(44)} ${value.padStart(12)} ${target.padStart(10)} ${ratio.padStart(8)}`);
    console.log(`shell production build, ${LOADS} cold loads in headless Chromium (medians)\n`);
    row('measure', 'value', 'target', 'ratio');
    row('JS transferred on first load (gzip)', `${jsKiB.toFixed(1)} KiB`, `< ${TARGETS.jsKiB} KiB`, (jsKiB / TARGETS.jsKiB).toFixed(2));
    row('time to first rendered canvas (6 nodes)', `${first.toFixed(0)} ms`, `< ${TARGETS.firstCanvasMs} ms`, (first / TARGETS.firstCanvasMs).toFixed(2));
    row('first paint of a bare Next page (base)', `${median(bare).toFixed(0)} ms`, '', '');
    row('time to first rendered canvas (200 nodes)', `${first200.toFixed(0)} ms`, `< ${TARGETS.firstCanvasMs} ms`, (first200 / TARGETS.firstCanvasMs).toFixed(2));
    row('dropped frames, 2 s pan, 200 nodes', `${dropped.toFixed(1)} %`, `< ${TARGETS.droppedPct} %`, (dropped / TARGETS.droppedPct).toFixed(2));
    row('dropped frames, 2 s pan, empty canvas (base)', `${droppedEmpty.toFixed(1)} %`, '', '');
    console.log(`\nfirst canvas / bare page in this run: ${(first / median(bare)).toFixed(2)}x; 200-node pan vs empty-canvas pan: ${(dropped - droppedEmpty).toFixed(1)} percentage points`);
    console.log(`cold loads (ms): ${loads.map((l) => l.ms.toFixed(0)).join(' ')}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  } finally {
    await browser.close();
    await machine.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
