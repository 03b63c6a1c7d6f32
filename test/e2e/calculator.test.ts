// Proves the loan calculator end to end: the real server (started as a user
// would, with the demo book) serves the built workspace, an agent signs in,
// opens the calculator from the side menu, and the page shows the schedule,
// the APR from the engine and the principal/interest chart. Keeps a
// screenshot in test-artifacts/ (not committed).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../helpers/browser.js';
import {
  type DemoServer,
  signIn,
  startDemoServer,
} from '../helpers/workspace.js';

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.server.stop();
});

describe('loan calculator page', () => {
  it('shows the schedule, the APR and the principal/interest chart', async () => {
    const page = await signIn(browser, demo, 'agent');
    await page.getByRole('menuitem', { name: '贷款计算器' }).click();
    await page.getByLabel('贷款金额').fill('12000');
    await page.getByLabel('年利率').fill('6');
    await page.getByLabel('期数').fill('12');
    await page.getByLabel('还款方式').click();
    await page.getByTitle('等本等息').click();
    await page.getByRole('button', { name: /计\s*算/ }).click();
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
    expect(page.url()).toMatch(/\/calculator$/);
    await page.screenshot({
      path: artifactPath('calculator.png'),
      fullPage: true,
    });
  });

  it('shows the server refusal for a bad rate next to the form', async () => {
    const page = await signIn(browser, demo, 'agent');
    await page.goto(`${demo.server.url}/calculator`);
    await page.getByLabel('年利率').fill('150');
    await page.getByRole('button', { name: /计\s*算/ }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('annual_rate');
  });

  it('speaks English after the switch', async () => {
    const page = await signIn(browser, demo, 'agent');
    await page.goto(`${demo.server.url}/calculator`);
    await page.getByText('EN', { exact: true }).click();
    await page.getByLabel('Amount', { exact: true }).fill('12000');
    await page.getByLabel('Annual rate', { exact: true }).fill('6');
    await page.getByLabel('Term', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Calculate' }).click();
    await expect
      .poll(() => page.getByText('APR (simple)').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText('Repayment schedule').count()).toBeGreaterThan(
      0,
    );
  });
});
