import { expect, test } from '@playwright/test';
import { baseUrl, freshCanvas, launch, openShell, PASSWORD, snap } from './support/shell-page.ts';

test('the owner signs in and sees the default apps on a canvas', async ({ page, playwright }, info) => {
  // A machine with no canvas yet (other specs may have made some): the shell lays out the default apps.
  const owner = await playwright.request.newContext({ baseURL: baseUrl() });
  expect((await owner.post('/api/auth/login', { data: { password: PASSWORD } })).ok()).toBe(true);
  for (const c of ((await (await owner.get('/api/canvas')).json()) as { canvases: { id: string }[] }).canvases) await owner.delete(`/api/canvas/${c.id}`);
  await owner.dispose();
  await page.goto(baseUrl());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await snap(page, info, '01-sign-in');
  await page.getByPlaceholder('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toContainText('Wrong password');
  await page.getByPlaceholder('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.react-flow')).toBeVisible();
  await expect(page.locator('iframe[data-app="tasks"]').first()).toBeAttached();
  await snap(page, info, '02-home-canvas');
});

test('Tasks opens from the launcher, a task is added and is still there after a reload; Ctrl-K works inside it', async ({ page }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Tasks test');
  await launch(page, 'Tasks');
  const app = page.frameLocator('iframe[data-app="tasks"]');
  const text = `Buy milk ${Date.now()}`;
  // The runtime may still be building the app on a fresh machine.
  await expect(app.getByLabel('New task')).toBeVisible({ timeout: 90_000 });
  await app.getByLabel('New task').fill(text);
  await app.getByLabel('New task').press('Enter');
  await expect(app.getByText(text)).toBeVisible();
  await snap(page, info, '03-task-added');
  await page.reload();
  await expect(page.frameLocator('iframe[data-app="tasks"]').getByText(text)).toBeVisible({ timeout: 30_000 });
  await snap(page, info, '04-task-after-reload');
  // Ctrl-K with the keyboard inside the app still opens the shell's command palette.
  await page.frameLocator('iframe[data-app="tasks"]').getByLabel('New task').press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
});

test('three windows arranged on the canvas keep their layout after a reload', async ({ page }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Layout test');
  for (const name of ['Files', 'Chat', 'Workspace']) await launch(page, name);
  const windows = page.locator('.react-flow__node-window');
  await expect(windows).toHaveCount(3);
  const targets = [
    { x: 60, y: 80 },
    { x: 820, y: 90 },
    { x: 300, y: 520 },
  ];
  for (const [i, t] of targets.entries()) {
    const bar = windows.nth(i).locator('.window-titlebar');
    const box = (await bar.boundingBox())!;
    await page.mouse.move(box.x + 60, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 80, box.y + 20, { steps: 3 });
    await page.mouse.move(t.x + 60, t.y + 100, { steps: 6 });
    await page.mouse.up();
  }
  await page.waitForTimeout(300);
  const layout = async () => {
    const out: Record<string, { x: number; y: number; w: number; h: number }> = {};
    for (const w of await windows.all()) {
      const id = (await w.getAttribute('data-id'))!;
      const b = (await w.boundingBox())!;
      out[id] = { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.width), h: Math.round(b.height) };
    }
    return out;
  };
  const before = await layout();
  await snap(page, info, '05-three-windows');
  await page.reload();
  await expect(windows).toHaveCount(3);
  await page.waitForTimeout(300);
  expect(await layout()).toEqual(before);
  await snap(page, info, '06-three-windows-after-reload');
});

test('a change in one tab appears in a second tab within a second', async ({ page, context }, info) => {
  await openShell(page);
  const id = await freshCanvas(page, 'Realtime test', { version: 1, nodes: [{ id: 'shared-note', kind: 'note', x: 100, y: 100, w: 260, h: 180, text: 'first words' }] });
  const second = await context.newPage();
  await second.goto(baseUrl());
  await expect(second.getByRole('combobox', { name: 'Canvas' })).toHaveValue(id);
  await expect(second.locator('.note textarea')).toHaveValue('first words');
  // Add a note with the keyboard in the first tab; move the shared one by keyboard too.
  await page.locator('.react-flow__pane').click({ position: { x: 700, y: 500 } });
  await page.keyboard.press('Alt+n');
  await expect(second.locator('.react-flow__node-note')).toHaveCount(2, { timeout: 1000 });
  await page.locator('.react-flow__node-note').first().locator('textarea').fill('edited in tab one');
  await expect(second.locator('.note textarea').first()).toHaveValue('edited in tab one', { timeout: 1500 });
  await snap(page, info, '07-tab-one');
  await snap(second, info, '08-tab-two');
  // The second tab in Desktop mode shows the note's next edit too, while it is on screen.
  await second.getByRole('button', { name: 'Desktop', exact: true }).click();
  await expect(second.locator('.desktop .note textarea').first()).toHaveValue('edited in tab one');
  await page.locator('.react-flow__node-note').first().locator('textarea').fill('edited again, seen on the desktop');
  await expect(second.locator('.desktop .note textarea').first()).toHaveValue('edited again, seen on the desktop', { timeout: 1500 });
  await snap(second, info, '08b-tab-two-desktop');
});

test('a file uploaded in the file browser is listed and previewed', async ({ page }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Files test');
  await launch(page, 'Files');
  const files = page.locator('.react-flow__node-window').filter({ has: page.locator('.window-titlebar .title', { hasText: /^Files$/ }) });
  await expect(files).toHaveCount(1);
  const name = `hello-${Date.now()}.md`;
  await files.getByLabel('Upload files').setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from('# Hello from the e2e\n\nSome **bold** words.\n') });
  const row = files.getByRole('option').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.click();
  await expect(files.getByRole('complementary', { name: 'Preview' }).getByRole('heading', { name: 'Hello from the e2e' })).toBeVisible();
  await snap(page, info, '09-file-preview');
  // Open it in its own preview window.
  await row.dblclick();
  const preview = page.locator('.react-flow__node-window').filter({ has: page.locator('.window-titlebar', { hasText: name }) });
  await expect(preview).toHaveCount(1);
  // It opens beside the file browser (the canvas zooms out to show both), not on top of it.
  await expect
    .poll(async () => {
      const [a, b] = [(await files.boundingBox())!, (await preview.boundingBox())!];
      return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    })
    .toBe(true);
  await expect(files.getByRole('button', { name: `Delete ${name}` })).toBeInViewport();
  // Delete and restore it.
  await files.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(row).toHaveCount(0);
  await files.getByRole('button', { name: 'Trash' }).click();
  await files.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Restore' }).click();
  await expect(files.getByRole('listitem').filter({ hasText: name })).toHaveCount(0);
  await files.getByRole('button', { name: '← Files' }).click();
  await expect(files.getByRole('option').filter({ hasText: name })).toBeVisible();
  await snap(page, info, '10-file-restored');
  // Rename it, then move it into a new folder, where it is listed and previewed.
  const named = (n: string) => files.getByRole('option').filter({ has: page.locator('.name').getByText(n, { exact: true }) });
  const folder = `e2e-folder-${Date.now()}`;
  page.once('dialog', (d) => void d.accept(folder));
  await files.getByRole('button', { name: 'New folder' }).click();
  await expect(named(folder)).toBeVisible();
  const renamed = `renamed-${name}`;
  page.once('dialog', (d) => void d.accept(renamed));
  await files.getByRole('button', { name: `Rename ${name}` }).click();
  await expect(named(renamed)).toBeVisible();
  await expect(named(name)).toHaveCount(0);
  page.once('dialog', (d) => void d.accept(`${folder}/${renamed}`));
  await files.getByRole('button', { name: `Move ${renamed}` }).click();
  await expect(named(renamed)).toHaveCount(0);
  await named(folder).dblclick();
  await named(renamed).click();
  await expect(files.getByRole('complementary', { name: 'Preview' }).getByRole('heading', { name: 'Hello from the e2e' })).toBeVisible();
  await snap(page, info, '10b-file-renamed-and-moved');
  // The command palette finds the file by name and opens it in a preview window.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByLabel('Search').fill(name.slice(0, 12));
  await expect(palette.getByRole('option', { name: new RegExp(name) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node-window .window-titlebar', { hasText: name })).toHaveCount(2);
});

test('switching to Desktop mode and back keeps the same windows; settings follow the owner to another browser', async ({ page, browser }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Modes test');
  await launch(page, 'Workspace');
  await launch(page, 'Chat');
  await page.getByRole('button', { name: 'Desktop', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Dock' })).toBeVisible();
  await expect(page.locator('.desktop-window')).toHaveCount(2);
  await expect(page.getByText('The AI kernel is not configured.')).toBeVisible();
  await snap(page, info, '11-desktop');
  await page.getByRole('button', { name: 'Canvas', exact: true }).click();
  await expect(page.locator('.react-flow__node-window')).toHaveCount(2);
  await snap(page, info, '12-back-to-canvas');
  // Settings: the dark theme applies at once, and the integrations the gateway reports are listed.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(settings.getByText(/No integrations configured\. .*Matrix platform/)).toBeVisible();
  await snap(page, info, '13-settings-dark');
  // The machine keeps the choice: another browser (no shared storage) opens dark too.
  const elsewhere = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const other = await elsewhere.newPage();
  await openShell(other);
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
  // And a change there reaches this tab while it is open.
  await other.getByRole('button', { name: 'Settings' }).click();
  await other.getByRole('dialog', { name: 'Settings' }).getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Light' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await elsewhere.close();
  await expect(settings.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Light' })).toHaveAttribute('aria-pressed', 'true');
  // The terminal built-in opens from the launcher and runs a command.
  await page.keyboard.press('Escape');
  await launch(page, 'Terminal');
  const term = page.getByTestId('terminal');
  await expect(term).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connecting' })).toHaveCount(0, { timeout: 30_000 });
  await term.click();
  await page.keyboard.type('echo matrix-$((6*7))\n');
  await expect(term.locator('.xterm-rows')).toContainText('matrix-42', { timeout: 15_000 });
  await snap(page, info, '14-terminal');
});

test('typing /apps/tasks/ in the address bar opens Tasks in the shell, with its data', async ({ page }, info) => {
  await openShell(page);
  await freshCanvas(page, 'Direct visit');
  await page.goto(`${baseUrl()}/apps/tasks/`);
  await expect(page).toHaveURL(`${baseUrl()}/`);
  const app = page.frameLocator('iframe[data-app="tasks"]');
  await expect(app.getByLabel('New task')).toBeVisible({ timeout: 90_000 });
  const text = `Direct ${Date.now()}`;
  await app.getByLabel('New task').fill(text);
  await app.getByLabel('New task').press('Enter');
  await expect(app.getByText(text)).toBeVisible();
  await snap(page, info, '11-direct-visit');
});
