// Proves the web workspace end to end: the real server (started as a user
// would) serves the built UI at /, Chromium fills the loan calculator, and the
// page shows the schedule, the APR from the engine and the chart. Keeps a
// screenshot in test-artifacts/ (not committed).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server-process.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('loan calculator page', () => {
  it('shows the schedule, the APR and the principal/interest chart', async () => {
    const page = await browser.newPage({
      viewport: { width: 1366, height: 900 },
    });
    await page.goto(`${server.url}/`);
    await page.getByLabel('贷款金额').fill('12000');
    await page.getByLabel('年利率').fill('6');
    await page.getByLabel('期数').fill('12');
    await page.getByLabel('还款方式').click();
    await page.getByTitle('等本等息').click();
    await page.getByRole('button', { name: '计 算' }).click();
    // A flat 0.5 % a month is 10.8964 % a year as an IRR (loan-vectors FLAT-12K).
    await expect
      .poll(() => page.getByTestId('apr-nominal').textContent(), {
        timeout: 15_000,
      })
      .toBe('10.8964%');
    await expect
      .poll(() => page.locator('[data-testid="schedule-chart"] canvas').count())
      .toBeGreaterThan(0);
    expect(await page.getByRole('row').count()).toBeGreaterThan(12);
    await page.screenshot({
      path: artifactPath('calculator.png'),
      fullPage: true,
    });
  });

  it('shows the server refusal for a bad rate next to the form', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('年利率').fill('150');
    await page.getByRole('button', { name: '计 算' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('annual_rate');
  });
});
