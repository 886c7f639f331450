import { expect, test } from '@playwright/test';
import { startMachineProcess, type MachineProcess } from './support/machine-process.ts';
import { freshCanvas, launch, openShell, snap } from './support/shell-page.ts';

// A machine of its own whose kernel talks to a scripted Messages API (support/kernel-script.ts):
// the real Agent SDK runs the turn, its tools change the canvas and send a notification.
let machine: MachineProcess;
test.beforeAll(async () => {
  machine = await startMachineProcess({ MATRIX_E2E_KERNEL: '1' });
});
test.afterAll(async () => {
  await machine?.stop();
});

test('asked in the chat, the kernel opens a window the shell brings into view, its notification shows, and the conversation survives a reload', async ({ page }, info) => {
  test.setTimeout(180_000);
  await openShell(page, '/', machine.url);
  const id = await freshCanvas(page, 'Kernel canvas', undefined, machine.url);
  // Look far away from where the kernel places windows, so the shell has to bring the new one into view.
  await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ x: -2500, y: -2000, zoom: 1 })), `matrix.viewport.${id}`);
  await page.reload();
  await launch(page, 'Chat');
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('Put the clock on my canvas, please.');
  await message.press('Enter');
  const clock = page.locator('.react-flow__node-window', { has: page.locator('.window-titlebar', { hasText: 'Clock' }) });
  await expect(clock).toBeInViewport({ timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Clock is ready' })).toContainText('It is on your canvas now.');
  await snap(page, info, '40-kernel-opened-clock');
  // The whole canvas again: the chat window holds the kernel's answer.
  await page.getByRole('button', { name: /fit view/i }).click();
  await expect(page.getByText('Done: the clock is on your canvas.')).toBeVisible({ timeout: 30_000 });
  await expect(clock).toHaveCount(1);
  await snap(page, info, '41-kernel-answer');
  // A reload keeps the conversation, tool cards included.
  await page.reload();
  await page.getByRole('button', { name: /fit view/i }).click();
  await expect(page.locator('.bubble.user', { hasText: 'Put the clock on my canvas, please.' })).toBeVisible();
  await expect(page.getByText('Done: the clock is on your canvas.')).toBeVisible();
  await expect(page.locator('.tool-card', { hasText: 'notify' })).toBeVisible();
});

test('the chat undoes the kernel’s last change, stops a turn, and goes back to an earlier conversation', async ({ page }, info) => {
  test.setTimeout(180_000);
  await openShell(page, '/', machine.url);
  await freshCanvas(page, 'Kernel chat', undefined, machine.url);
  await launch(page, 'Chat');
  const chat = page.locator('.chat');
  const conversation = chat.getByRole('combobox', { name: 'Conversation' });
  await conversation.selectOption({ label: 'New conversation' });
  const message = chat.getByRole('textbox', { name: 'Message' });
  const stat = () => page.request.get(`${machine.url}/api/files/stat?path=notes/from-kernel.md`).then((r) => r.status());

  await message.fill('Write a note for me.');
  await message.press('Enter');
  await expect(chat.getByText('Wrote notes/from-kernel.md.')).toBeVisible({ timeout: 120_000 });
  expect(await stat()).toBe(200);
  await chat.getByRole('button', { name: 'Undo last change' }).click();
  await expect(chat.getByRole('status').filter({ hasText: /^Undid “/ })).toBeVisible();
  await expect.poll(stat).toBe(404);

  await message.fill('Think slowly about it.');
  await message.press('Enter');
  await expect(chat.getByText('Thinking slowly…')).toBeVisible({ timeout: 120_000 });
  await chat.getByRole('button', { name: 'Stop' }).click();
  await expect(chat.getByText('Stopped. Nothing half-written was kept.')).toBeVisible({ timeout: 30_000 });
  await expect(chat.getByRole('button', { name: 'Send' })).toBeVisible();
  await snap(page, info, '42-chat-undo-stop');

  // The first test's conversation is still there to go back to.
  await conversation.focus();
  await expect(conversation.locator('option', { hasText: 'Put the clock on my canvas' })).toHaveCount(1);
  await conversation.selectOption({ label: 'Put the clock on my canvas, please.' });
  await expect(chat.getByText('Done: the clock is on your canvas.')).toBeVisible();
});
