import { expect, test } from '@playwright/test';
import { baseUrl, openShell, PASSWORD, snap } from './support/shell-page.ts';

// scripts/test.mjs sets this when code-server is installed (CI installs it); without it the
// editor's page must say how to install it.
const installed = Boolean(process.env.MATRIX_TEST_CODE_SERVER_DIR);

test('the code editor opens from the command palette, on the home, behind the owner’s sign-in', async ({ page, context, browser }, info) => {
  test.setTimeout(180_000);
  await openShell(page);
  await page.getByRole('button', { name: 'Search' }).click();
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('textbox', { name: 'Search' }).fill('code editor');
  const item = palette.getByRole('option', { name: /Open the code editor/ });
  await expect(item).toHaveAttribute('aria-selected', 'true');
  const [editor] = await Promise.all([context.waitForEvent('page'), item.click()]);
  await editor.waitForLoadState();
  expect(new URL(editor.url()).pathname).toBe('/code/');
  if (!installed) {
    await expect(editor.getByRole('heading', { name: 'The code editor is not installed' })).toBeVisible();
    await expect(editor.getByText('scripts/install-code-server.sh')).toBeVisible();
    await snap(editor, info, '30-code-editor-not-installed');
    return;
  }
  // The workbench loads over the proxied WebSocket and lists the home's folders in its explorer.
  await expect(editor.locator('.monaco-workbench')).toBeVisible({ timeout: 90_000 });
  await expect(editor.getByRole('treeitem', { name: 'apps' })).toBeVisible({ timeout: 90_000 });
  await snap(editor, info, '30-code-editor');

  // Signed out, /code/ sends the person to sign in, then back to the editor.
  const stranger = await browser.newContext();
  const fresh = await stranger.newPage();
  await fresh.goto(`${baseUrl()}/code/`);
  await expect(fresh).toHaveURL(`${baseUrl()}/?next=%2Fcode%2F`);
  await fresh.getByPlaceholder('Password').fill(PASSWORD);
  await fresh.getByRole('button', { name: /sign in/i }).click();
  await expect(fresh.locator('.monaco-workbench')).toBeVisible({ timeout: 90_000 });
  expect(new URL(fresh.url()).pathname).toBe('/code/');
  await snap(fresh, info, '31-code-editor-after-sign-in');
  await stranger.close();
});
