// Proves the workspace shell and the supervisor dashboard end to end against
// the real server with the demo book: a wrong password is refused on the
// login form; each role sees only its own screens in the side menu; the
// dashboard draws its ECharts panels on canvases from the demo book's data;
// the English switch translates the shell. Screenshots go to test-artifacts/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../helpers/browser.js';
import {
  type DemoServer,
  signIn,
  startDemoServer,
} from '../helpers/workspace.js';

// The few canvas members the pixel check reads (the test runs without DOM types).
type CanvasLike = {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(
      x: number,
      y: number,
      w: number,
      h: number,
    ): { data: ArrayLike<number> };
  } | null;
};

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

describe('workspace shell', () => {
  it('refuses a wrong password on the login form', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.server.url}/`);
    await page.getByLabel('用户名').fill('agent');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('用户名或密码不正确');
    await page.screenshot({ path: artifactPath('login.png') });
  });

  it('shows each role only its own screens', async () => {
    const menus = new Map<string, string[]>();
    for (const role of ['agent', 'collector', 'supervisor']) {
      const page = await signIn(browser, demo, role);
      menus.set(
        role,
        (await page.getByRole('menuitem').allTextContents()).map((s) =>
          s.trim(),
        ),
      );
      await page.close();
    }
    expect(menus.get('agent')).toContain('在线客服');
    expect(menus.get('agent')).not.toContain('主管看板');
    expect(menus.get('collector')).toContain('催收工作台');
    expect(menus.get('collector')).not.toContain('在线客服');
    expect(menus.get('supervisor')).toContain('主管看板');
  });
});

describe('supervisor dashboard', () => {
  it('draws its charts from the demo book', async () => {
    const page = await signIn(browser, demo, 'supervisor');
    expect(page.url()).toMatch(/\/dashboard$/);
    for (const chart of ['chart-overdue', 'chart-roll']) {
      await expect
        .poll(() => page.locator(`[data-testid="${chart}"] canvas`).count(), {
          timeout: 20_000,
        })
        .toBe(1);
    }
    // The canvas has data drawn on it: some pixels are not background.
    const inked = await page
      .locator('[data-testid="chart-overdue"] canvas')
      .evaluate((element) => {
        const canvas = element as unknown as CanvasLike;
        const context = canvas.getContext('2d');
        if (context === null) return 0;
        const { data } = context.getImageData(
          0,
          0,
          canvas.width,
          canvas.height,
        );
        let count = 0;
        for (let i = 3; i < data.length; i += 4)
          if ((data[i] ?? 0) > 0) count++;
        return count;
      });
    expect(inked).toBeGreaterThan(1000);
    await page.screenshot({
      path: artifactPath('dashboard.png'),
      fullPage: true,
    });
  });

  it('switches the shell to English', async () => {
    const page = await signIn(browser, demo, 'supervisor');
    await page.getByText('EN', { exact: true }).click();
    await expect
      .poll(() => page.getByRole('menuitem').allTextContents())
      .toContain('Dashboard');
  });
});
