import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const here = fileURLToPath(new URL('.', import.meta.url));
const outputDir = fileURLToPath(new URL('../../test-results/e2e', import.meta.url));
// Profiles and caches of the browser stay in the test folder.
const browserTmp = `${outputDir}/.browser-tmp`;
mkdirSync(browserTmp, { recursive: true });
process.env.TMPDIR = browserTmp;
process.env.XDG_CACHE_HOME = browserTmp;

export default defineConfig({
  testDir: here,
  testMatch: '*.spec.ts',
  outputDir,
  globalSetup: './support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
