import { defineConfig, devices } from '@playwright/test';

// Foothold's end-to-end tests drive Debian's Chromium (never a downloaded
// browser). scripts/test.sh starts FerretDB and Foothold and sets BASE_URL.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const browser = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  },
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /admin\.spec\.ts/,
      use: browser,
    },
    {
      // Adds a module to the catalog, which other specs count: it runs after them.
      name: 'admin',
      testMatch: /admin\.spec\.ts/,
      dependencies: ['chromium'],
      use: browser,
    },
  ],
});
