import type { Page, TestInfo } from '@playwright/test';
import { expect } from '@playwright/test';

export const PASSWORD = 'e2e owner password';

/** The machine's URL (set by the global setup). */
export function baseUrl(): string {
  const url = process.env.MATRIX_E2E_URL;
  if (!url) throw new Error('MATRIX_E2E_URL is not set: run through tests/e2e/playwright.config.ts');
  return url;
}

/** Signs in through the API (the login page has its own spec) and opens the shell. */
export async function openShell(page: Page, path = '/', base = baseUrl()): Promise<void> {
  const res = await page.request.post(`${base}/api/auth/login`, { data: { password: PASSWORD } });
  expect(res.ok()).toBe(true);
  await page.goto(`${base}${path}`);
  await expect(page.getByRole('group', { name: 'Mode' })).toBeVisible();
  // Settled on a canvas: the shell has written its choice, so a test may change it now.
  await expect(page.getByRole('combobox', { name: 'Canvas' })).toBeVisible();
}

/** Makes a fresh canvas and switches the shell to it; returns its id. */
export async function freshCanvas(page: Page, name: string, document?: unknown, base = baseUrl()): Promise<string> {
  const res = await page.request.post(`${base}/api/canvas`, { data: { name, ...(document ? { document } : {}) } });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await page.evaluate((canvasId) => localStorage.setItem('matrix.canvas', canvasId), id);
  await page.evaluate(() => localStorage.setItem('matrix.mode', 'canvas'));
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Canvas' })).toHaveValue(id);
  return id;
}

/** Saves a screenshot of this step under test-results/. */
export async function snap(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`) });
}

/** Opens an app or built-in from the launcher by its name. */
export async function launch(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Apps', exact: true }).click();
  await page.getByRole('dialog', { name: 'Apps' }).getByRole('button', { name, exact: true }).click();
}
