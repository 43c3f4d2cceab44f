// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sotto's end-to-end suite: real relays, real app instances, a real browser.
 *
 * - `chromium`: each app runs as `sotto-desktop --headless` and is driven in Debian's Chromium.
 * - `electron`: the same specs against the Electron app through `_electron.launch`, where an
 *   Electron binary exists; elsewhere its tests are reported as skipped, with the reason.
 *
 * Run after the build: `npm test -w e2e`.
 */
import { defineConfig } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from './fixtures/environment.ts'

const workers = Number(process.env.SOTTO_E2E_WORKERS ?? 1)

export default defineConfig({
  testDir: './specs',
  globalSetup: './fixtures/global-setup.ts',
  outputDir: './test-results',
  // Each test starts its own relays and apps; on two cores one worker at a time keeps timings honest.
  workers,
  fullyParallel: false,
  forbidOnly: process.env.CI != null,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: './playwright-report' }],
    ['./reporters/journeys.ts']
  ],
  use: {
    viewport: VIEWPORT,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS }
      }
    },
    {
      name: 'electron',
      use: {}
    }
  ]
})
