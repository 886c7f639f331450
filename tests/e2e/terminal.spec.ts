import { expect, test } from '@playwright/test';
import { baseUrl, freshCanvas, launch, openShell, snap } from './support/shell-page.ts';

async function sessionIds(page: import('@playwright/test').Page): Promise<string[]> {
  const res = await page.request.get(`${baseUrl()}/api/terminal/sessions`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}

test('a terminal keeps its session, its history and its shell across a page reload', async ({ page, context }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Terminal reload');
  await launch(page, 'Terminal');
  const term = page.getByTestId('terminal');
  const rows = term.locator('.xterm-rows');
  await expect(term).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connecting' })).toHaveCount(0, { timeout: 30_000 });
  // Type once the shell has printed its prompt.
  await expect(rows).toContainText(/[$#]/, { timeout: 15_000 });
  await term.click();
  // A variable lives only in that shell process: seeing it again proves the same shell, not a new one.
  await page.keyboard.type('export MARK=kept-$((2+3)); echo before-reload-$((6*7))\n');
  await expect(rows).toContainText('before-reload-42', { timeout: 15_000 });
  const before = await sessionIds(page);
  await snap(page, info, '20-terminal-before-reload');

  await page.reload();
  await expect(page.getByTestId('terminal')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connecting' })).toHaveCount(0, { timeout: 30_000 });
  // The history is replayed before anything is typed.
  await expect(rows).toContainText('before-reload-42', { timeout: 15_000 });
  expect(await sessionIds(page)).toEqual(before);
  await term.click();
  await page.keyboard.type('echo mark=$MARK\n');
  await expect(rows).toContainText('mark=kept-5', { timeout: 15_000 });
  await snap(page, info, '21-terminal-after-reload');

  // A URL in the output opens in a new tab when clicked. The screen is cleared first and the next
  // prompt awaited, so the line cannot scroll away between measuring it and clicking it.
  await page.keyboard.type(`clear; printf '%s\\n' '${baseUrl()}/health'; echo link-printed\n`);
  await expect(rows).toContainText(/link-printed\s*\S*[$#]/, { timeout: 15_000 });
  const link = rows.getByText(`${baseUrl()}/health`, { exact: true });
  // xterm's screen layer takes the pointer events, so point at the text's place on it; the link
  // is only live once the pointer has hovered it (xterm then shows a pointer cursor).
  await expect(async () => {
    const box = await link.boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.move(box!.x + box!.width + 40, box!.y - 40);
    await page.mouse.move(box!.x + 30, box!.y + box!.height / 2, { steps: 3 });
    await expect(term.locator('.xterm-screen.xterm-cursor-pointer, .xterm.xterm-cursor-pointer')).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  const box = (await link.boundingBox())!;
  const [opened] = await Promise.all([context.waitForEvent('page', { timeout: 10_000 }), page.mouse.click(box.x + 30, box.y + box.height / 2)]);
  await expect.poll(() => opened.url()).toBe(`${baseUrl()}/health`);

  // A second session from the bar: a fresh shell, named, then the window goes back to the first.
  const picker = page.getByRole('combobox', { name: 'Terminal session' });
  const bar = page.getByRole('toolbar', { name: 'Terminal sessions' });
  const first = await picker.inputValue();
  await bar.getByRole('button', { name: 'New' }).click();
  await expect(picker).not.toHaveValue(first);
  await expect(picker.locator('option')).toHaveCount(before.length + 1);
  await expect(rows).toContainText(/[$#]/, { timeout: 15_000 });
  await expect(rows).not.toContainText('before-reload-42');
  await term.click();
  await page.keyboard.type('echo second-$((1+1))\n');
  await expect(rows).toContainText('second-2', { timeout: 15_000 });
  page.once('dialog', (d) => void d.accept('build'));
  await bar.getByRole('button', { name: 'Rename' }).click();
  await expect(picker.locator('option:checked')).toHaveText('build');
  await snap(page, info, '22-terminal-second-session');
  await picker.selectOption(first);
  await expect(rows).toContainText('link-printed', { timeout: 15_000 });
  // The window keeps the session it shows (it is on the canvas node), over a reload too.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Terminal session' })).toHaveValue(first);
  // Ending a session stops it for good; the window moves to another one.
  await picker.selectOption({ label: 'build' });
  await expect(rows).toContainText('second-2', { timeout: 15_000 });
  page.once('dialog', (d) => void d.accept());
  await bar.getByRole('button', { name: 'End' }).click();
  await expect(picker.locator('option', { hasText: 'build' })).toHaveCount(0);
  expect(await sessionIds(page)).toEqual(before);
  await snap(page, info, '23-terminal-session-ended');
});
