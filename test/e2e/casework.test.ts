// Proves the casework screens against the real server with the demo book
// after a real end-of-day batch (`loandesk eod` on the same data directory):
// the collections queue shows buckets with their cases, a case opens with
// the customer 360, the negotiation screen ranks plans side by side with
// their chart, and the complaints screen counts deadlines down. Screenshots
// go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../helpers/browser.js';
import {
  type DemoServer,
  signIn,
  startDemoServer,
} from '../helpers/workspace.js';

const BIN = fileURLToPath(new URL('../../bin/loandesk.js', import.meta.url));
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemoServer();
  execFileSync(process.execPath, [BIN, 'eod'], {
    env: {
      ...process.env,
      LOANDESK_DATA_DIR: demo.server.dataDir,
      DATABASE_URL: '',
    },
    stdio: 'ignore',
  });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.server.stop();
});

describe('casework screens', () => {
  it('shows the queue, a case, the ranked plans and the complaint deadlines', async () => {
    const page = await signIn(browser, demo, 'supervisor');
    await page.goto(`${demo.server.url}/collections`);
    await expect
      .poll(() => page.getByTestId('queue-card').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({
      path: artifactPath('collections.png'),
      fullPage: true,
    });
    const firstCase = page.locator('tbody tr').first();
    await firstCase.waitFor({ timeout: 20_000 });
    await firstCase.click();
    await page.getByTestId('customer-360').waitFor({ timeout: 20_000 });
    const loanNo = decodeURIComponent(page.url().split('/').pop() ?? '');
    await page.screenshot({
      path: artifactPath('collection-case.png'),
      fullPage: true,
    });

    await page.goto(
      `${demo.server.url}/negotiation/${encodeURIComponent(loanNo)}`,
    );
    await page.getByLabel('月必要支出（元）').fill('3000');
    await page.getByRole('button', { name: /生成方案/ }).click();
    await expect
      .poll(() => page.getByTestId('plan-card').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-testid="plans-chart"] canvas').count())
      .toBe(1);
    await page.screenshot({
      path: artifactPath('negotiation.png'),
      fullPage: true,
    });

    await page.goto(`${demo.server.url}/complaints`);
    await expect
      .poll(() => page.getByTestId('countdown').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({
      path: artifactPath('complaints.png'),
      fullPage: true,
    });
  }, 180_000);
});
