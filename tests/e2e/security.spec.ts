import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, freshCanvas, launch, openShell, snap } from './support/shell-page.ts';

/** Collects every Content-Security-Policy violation the page or any of its frames reports. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(msg.text())) seen.push(msg.text());
  });
  page.on('pageerror', (err) => {
    if (/Content Security Policy/i.test(err.message)) seen.push(err.message);
  });
  return seen;
}

test('the shell runs under its nonce policy: no violation over a walk through the canvas, an app, the terminal and the files', async ({ page }, info) => {
  const violations = watchViolations(page);
  // Each load gets its own nonce; only scripts that carry it may run inline.
  const first = await page.request.get(`${baseUrl()}/`);
  const second = await page.request.get(`${baseUrl()}/`);
  const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
  const [a, b] = [nonceOf(first.headers()['content-security-policy']), nonceOf(second.headers()['content-security-policy'])];
  expect(a).toBeTruthy();
  expect(b).not.toBe(a);
  expect(first.headers()['content-security-policy']).toContain("frame-ancestors 'self'");
  expect(first.headers()['x-content-type-options']).toBe('nosniff');
  const html = await first.text();
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0]);
  expect(inline.length).toBeGreaterThan(0);
  for (const tag of inline) expect(tag).toContain(`nonce="${a}"`);

  await openShell(page);
  await freshCanvas(page, 'Policy walk');
  await launch(page, 'Tasks');
  const tasks = page.frameLocator('iframe[data-app="tasks"]');
  await expect(tasks.getByLabel('New task')).toBeVisible({ timeout: 90_000 });
  await tasks.getByLabel('New task').fill('policy task');
  await tasks.getByLabel('New task').press('Enter');
  await expect(tasks.getByText('policy task')).toBeVisible();

  await launch(page, 'Terminal');
  const term = page.getByTestId('terminal');
  await expect(term.locator('.xterm-rows')).toContainText(/[$#]/, { timeout: 30_000 });
  await term.click();
  await page.keyboard.type('echo policy-$((20+22))\n');
  await expect(term.locator('.xterm-rows')).toContainText('policy-42', { timeout: 15_000 });

  await launch(page, 'Files');
  const files = page.locator('.react-flow__node-window').filter({ has: page.locator('.window-titlebar .title', { hasText: /^Files$/ }) });
  const name = `policy-${Date.now()}.md`;
  await files.getByLabel('Upload files').setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from('# Under the policy\n') });
  await files.getByRole('option').filter({ hasText: name }).click();
  await expect(files.getByRole('complementary', { name: 'Preview' }).getByRole('heading', { name: 'Under the policy' })).toBeVisible();
  await snap(page, info, '40-walk-under-policy');

  await page.reload();
  await expect(page.frameLocator('iframe[data-app="tasks"]').getByText('policy task')).toBeVisible({ timeout: 30_000 });
  expect(violations).toEqual([]);
});

test("a page on another site cannot open the owner's socket or change anything, though the browser sends the owner's cookie", async ({ page }) => {
  const machine = baseUrl();
  // Another local port on the same host: the same site, so SameSite=Lax lets the cookie go along.
  const probe = `<!doctype html><meta charset="utf-8"><title>elsewhere</title><script>
    window.socketResult = new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(`${machine.replace(/^http/, 'ws')}/ws`)});
      ws.onopen = () => resolve('opened');
      ws.onclose = () => resolve('refused');
    });
    window.postResult = fetch(${JSON.stringify(`${machine}/api/files/mkdir`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ path: 'planted-by-another-site' }) }).then(() => 'sent', () => 'failed');
  </script>`;
  const elsewhere: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(probe));
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  try {
    await openShell(page);
    // From the machine's own page the socket opens.
    expect(await page.evaluate(`new Promise((resolve) => { const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws'); ws.onopen = () => { ws.close(); resolve('opened'); }; ws.onclose = () => resolve('refused'); })`)).toBe('opened');
    await page.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
    expect(await page.evaluate('window.socketResult')).toBe('refused');
    expect(await page.evaluate('window.postResult')).toBe('sent');
    // The owner is still signed in, and nothing was made.
    const stat = await page.request.get(`${machine}/api/files/stat?path=planted-by-another-site`);
    expect(stat.status()).toBe(404);
  } finally {
    elsewhere.close();
  }
});
