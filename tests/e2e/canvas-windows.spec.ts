import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { freshCanvas, openShell, snap } from './support/shell-page.ts';

const windowNamed = (page: Page, title: string) => page.locator('.react-flow__node-window').filter({ has: page.locator('.window-titlebar .title', { hasText: new RegExp(`^${title}$`) }) });

async function boxOf(l: Locator) {
  const b = await l.boundingBox();
  expect(b).not.toBeNull();
  return { x: Math.round(b!.x), y: Math.round(b!.y) };
}

/** Drags `handle` by (dx, dy) screen pixels in small steps, as a hand would. */
async function drag(page: Page, handle: Locator, dx: number, dy: number) {
  const b = (await handle.boundingBox())!;
  const x = b.x + Math.min(40, b.width / 2);
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 4, y + dy / 4, { steps: 3 });
  await page.mouse.move(x + dx, y + dy, { steps: 6 });
  await page.mouse.up();
}

test('windows minimise, maximise and close; two of them group with Ctrl-G, move as one and stay grouped after a reload', async ({ page }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Window test', {
    version: 1,
    nodes: [
      { id: 'files', kind: 'builtin', ref: '__file-browser__', x: 40, y: 60, w: 420, h: 320 },
      { id: 'work', kind: 'builtin', ref: '__workspace__', x: 520, y: 60, w: 420, h: 320 },
      { id: 'chat', kind: 'builtin', ref: '__chat__', x: 40, y: 440, w: 420, h: 300 },
    ],
  });
  const files = windowNamed(page, 'Files');
  const work = windowNamed(page, 'Workspace');
  const chat = windowNamed(page, 'Chat');
  await expect(page.locator('.react-flow__node-window')).toHaveCount(3);
  await expect(page.getByRole('note').filter({ hasText: 'This canvas is empty' })).toHaveCount(0);

  // Minimise folds a window to its title bar; Restore brings the body back.
  await files.getByRole('button', { name: 'Minimise' }).click();
  await expect(files.locator('.window-body')).toBeHidden();
  await files.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(files.locator('.window-body')).toBeVisible();

  // Maximise fills the view; Restore size puts it back on the canvas.
  await work.getByRole('button', { name: 'Maximise' }).click();
  const layer = page.locator('.maximized-layer');
  await expect(layer.getByRole('region', { name: 'Workspace' })).toBeVisible();
  const full = (await layer.boundingBox())!;
  expect(full.width).toBeGreaterThan(1000);
  await snap(page, info, '30-window-maximised');
  await layer.getByRole('button', { name: 'Restore size' }).click();
  await expect(layer).toHaveCount(0);

  // Select two windows (Shift adds to the selection), group them, drag the group: both follow.
  await files.locator('.window-titlebar .title').click();
  await work.locator('.window-titlebar .title').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+g');
  const group = page.locator('.react-flow__node-group');
  await expect(group).toHaveCount(1);
  const before = { files: await boxOf(files), work: await boxOf(work), chat: await boxOf(chat), frame: await boxOf(group.locator('.group-frame')) };
  await page.keyboard.press('Escape');
  await drag(page, group.locator('.label'), 200, 30);
  // The members moved exactly as far as the group's frame did.
  const frame = group.locator('.group-frame');
  await expect
    .poll(async () => {
      const g = await boxOf(frame);
      const f = await boxOf(files);
      const w = await boxOf(work);
      const moved = { x: f.x - before.files.x, y: f.y - before.files.y };
      // Canvas units are rounded at zoom 0.9: a pixel either way is the same place.
      const same = (a: number, b: number) => Math.abs(a - b) <= 1;
      return [moved.x > 100 && moved.y > 15, same(f.x - g.x, before.files.x - before.frame.x), same(w.y - g.y, before.work.y - before.frame.y), same(w.x - f.x, before.work.x - before.files.x)];
    })
    .toEqual([true, true, true, true]);
  expect(await boxOf(chat)).toEqual(before.chat);
  await snap(page, info, '31-group-moved');

  // Arrow keys move the selected window (100 canvas units with Shift, 90 px at the default zoom):
  // up into the group's frame, where it still takes clicks. Close removes a window. All of it is
  // on the canvas after a reload.
  await chat.locator('.window-titlebar .title').click();
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(async () => Math.abs((await boxOf(chat)).y - before.chat.y + 90) <= 2).toBe(true);
  // A selected group does not cover the windows lying on its frame.
  await group.locator('.label').click();
  await expect(group).toHaveClass(/selected/);
  await chat.locator('.window-titlebar .title').click({ timeout: 5_000 });
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => Math.abs((await boxOf(chat)).x - before.chat.x - 90) <= 2).toBe(true);
  const moved = { files: await boxOf(files), work: await boxOf(work), chat: await boxOf(chat) };
  await page.reload();
  await expect(page.locator('.react-flow__node-window')).toHaveCount(3);
  await expect(group).toHaveCount(1);
  expect({ files: await boxOf(files), work: await boxOf(work), chat: await boxOf(chat) }).toEqual(moved);
  await chat.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('.react-flow__node-window')).toHaveCount(2);
  await page.reload();
  await expect(page.locator('.react-flow__node-window')).toHaveCount(2);
});

test('named canvases: a new one starts empty, is renamed, exported and deleted; each keeps its own windows', async ({ page }, info) => {
  await openShell(page);
  const first = await freshCanvas(page, 'Switcher home', { version: 1, nodes: [{ id: 'n1', kind: 'note', x: 80, y: 80, w: 240, h: 160, text: 'home note' }] });
  const picker = page.getByRole('combobox', { name: 'Canvas' });

  page.once('dialog', (d) => void d.accept('Scratch'));
  await page.getByRole('button', { name: 'New canvas' }).click();
  await expect(picker).not.toHaveValue(first);
  await expect(picker.locator('option:checked')).toHaveText('Scratch');
  await expect(page.getByRole('note').filter({ hasText: 'This canvas is empty' })).toBeVisible();
  await snap(page, info, '32-new-canvas-empty');
  await page.locator('.react-flow__pane').click({ position: { x: 500, y: 300 } });
  await page.keyboard.press('Alt+n');
  await page.locator('.note textarea').fill('scratch note');
  await expect(page.getByRole('note').filter({ hasText: 'This canvas is empty' })).toHaveCount(0);

  page.once('dialog', (d) => void d.accept('Scratch pad'));
  await page.getByRole('button', { name: 'Rename canvas' }).click();
  await expect(picker.locator('option:checked')).toHaveText('Scratch pad');

  // The export is the canvas as a file, with the note in it (once the note's text is saved).
  const exportUrl = (await page.getByRole('link', { name: 'Export canvas' }).getAttribute('href'))!;
  await expect.poll(async () => ((await (await page.request.get(new URL(exportUrl, page.url()).href)).json()) as { document: { nodes: { text?: string }[] } }).document.nodes[0]?.text).toBe('scratch note');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export canvas' }).click()]);
  expect(download.suggestedFilename()).toBe('Scratch pad.canvas.json');
  const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; name: string; document: { nodes: { text?: string }[] } };
  expect(exported).toMatchObject({ format: 'matrix-canvas', name: 'Scratch pad' });
  expect(exported.document.nodes.map((n) => n.text)).toEqual(['scratch note']);

  // Each canvas keeps its own windows; text typed just before a reload is kept.
  await picker.selectOption(first);
  await expect(page.locator('.note textarea')).toHaveValue('home note');
  await page.locator('.note textarea').fill('home note, edited');
  await page.reload();
  await expect(page.locator('.note textarea')).toHaveValue('home note, edited');
  await picker.selectOption({ label: 'Scratch pad' });
  await expect(page.locator('.note textarea')).toHaveValue('scratch note');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete canvas' }).click();
  await expect(picker.locator('option', { hasText: 'Scratch pad' })).toHaveCount(0);
  await expect(page.locator('.note textarea')).not.toHaveValue('scratch note');
  await snap(page, info, '33-canvas-deleted');
});
