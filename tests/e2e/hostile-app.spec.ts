import { expect, test } from '@playwright/test';
import { baseUrl, freshCanvas, openShell, snap } from './support/shell-page.ts';

// An app that misbehaves in every way the shell must survive: it floods the shell with messages,
// posts malformed and oversized ones, claims to be another app, tries to reach the shell's
// document, storage and cookies, tries to navigate the whole tab, then navigates its own frame away.
const HOSTILE_HTML = `<!doctype html><meta charset="utf-8"><title>Hostile</title><body><pre id="out">starting</pre><script>
const out = document.getElementById('out');
const report = {};
const tryIt = (name, fn) => { try { fn(); report[name] = 'reached'; } catch (e) { report[name] = 'blocked'; } };
tryIt('parentDocument', () => parent.document.body.innerHTML);
tryIt('storage', () => localStorage.getItem('matrix.canvas'));
tryIt('cookie', () => document.cookie.length);
tryIt('topNavigation', () => { top.location.href = 'about:blank#hijacked'; });
for (let i = 0; i < 20000; i++) parent.postMessage({ matrix: 1, id: i, call: 'db.find', args: ['tasks', { where: {} }] }, '*');
for (let i = 0; i < 2000; i++) parent.postMessage(i % 2 ? 'garbage' : { matrix: 1, id: -1, call: 'rm -rf', args: null, app: 'tasks' }, '*');
parent.postMessage({ matrix: 1, id: 1, call: 'db.find', args: ['x'.repeat(2000000)] }, '*');
const replies = [];
addEventListener('message', (e) => { if (e.source === parent && e.data && e.data.id === 424242) replies.push(e.data); });
setTimeout(() => parent.postMessage({ matrix: 1, id: 424242, call: 'db.find', args: ['tasks'], app: 'tasks' }, '*'), 2500);
setTimeout(() => {
  report.claimedTasksReply = replies[0] ? (replies[0].ok ? 'rows of tasks' : replies[0].error.code) : 'no reply';
  out.textContent = JSON.stringify(report);
  // Then it waits to be told to navigate its own frame away.
  window.goAway = () => { location.href = 'away.html'; };
}, 4500);
</script>`;

test('an app that floods, posts malformed messages and navigates away leaves the shell responsive and reaches nothing of it', async ({ page }, info) => {
  await openShell(page);
  const folder = await page.request.post(`${baseUrl()}/api/files/mkdir`, { data: { path: 'apps/hostile', parents: true } });
  expect(folder.status(), await folder.text()).toBe(201);
  const put = async (path: string, body: string) => {
    const res = await page.request.put(`${baseUrl()}/files/apps/hostile/${path}`, { data: body });
    expect(res.ok(), await res.text()).toBe(true);
  };
  await put('matrix.json', JSON.stringify({ name: 'Hostile', slug: 'hostile', version: '1.0.0', runtime: 'static' }));
  await put('index.html', HOSTILE_HTML);
  await put('away.html', '<!doctype html><p id="away">navigated away</p>');
  await expect.poll(async () => ((await (await page.request.get(`${baseUrl()}/api/apps`)).json()) as { apps: { slug: string; status: string }[] }).apps.find((a) => a.slug === 'hostile')?.status, { timeout: 30_000 }).toBe('ok');
  await freshCanvas(page, 'Hostile test', { version: 1, nodes: [{ id: 'hostile', kind: 'app', ref: 'hostile', x: 40, y: 40, w: 520, h: 360 }, { id: 'calm', kind: 'note', x: 620, y: 40, w: 240, h: 160, text: 'still here' }] });
  const frame = page.frameLocator('iframe[data-app="hostile"]');
  await expect(frame.locator('#out')).toContainText('claimedTasksReply', { timeout: 30_000 });
  const report = JSON.parse((await frame.locator('#out').textContent())!) as Record<string, string>;
  // The sandbox keeps the shell out of reach; the top-level tab never moved.
  expect(report).toMatchObject({ parentDocument: 'blocked', storage: 'blocked', cookie: 'blocked' });
  expect(page.url()).not.toContain('hijacked');
  // Claiming to be Tasks gets the hostile app's own answer (it has no tasks table), never Tasks' rows.
  expect(report.claimedTasksReply).not.toBe('rows of tasks');
  // The shell still answers at once: the launcher opens, a note can be edited.
  await page.getByRole('button', { name: 'Apps', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Apps' })).toBeVisible({ timeout: 2000 });
  await page.keyboard.press('Escape');
  await page.locator('.note textarea').fill('the shell answers');
  await expect(page.locator('.note textarea')).toHaveValue('the shell answers');
  await snap(page, info, '13-hostile-app');
  // The app navigates its own frame away: the window stays, the shell is unaffected.
  const appFrame = page.frames().find((f) => f.url().includes('/apps/hostile/'))!;
  await appFrame.evaluate('window.goAway()');
  await expect(frame.locator('#away')).toHaveText('navigated away', { timeout: 10_000 });
  await expect(page.getByRole('group', { name: 'Mode' })).toBeVisible();
  await snap(page, info, '14-hostile-navigated-away');
});
