// Proves quality inspection and training in the workspace against the real
// server with the demo book: a supervisor runs the inspection and sees the
// scores, the trend chart and the evidence; an agent role-plays against a
// simulated customer with live compliance warnings (a violating draft is
// flagged with its rule), hears the customer answer, finishes and gets the
// rubric score and a model answer; in exam mode no warning is shown; a quiz
// is graded. Teams and the rubric: the supervisor sees the per-team report
// (the demo's 客服一组 and 客服二组) and the rubric read-only; an admin changes
// an item's weight in the editor, is told in Chinese that the weights no
// longer add up to 100, fixes it, saves, and sees the new version in force
// and in the history. Screenshots go to test-artifacts/.
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

describe('quality inspection', () => {
  it('runs the inspection and lists the worst conversations with evidence', async () => {
    const page = await signIn(browser, demo, 'supervisor');
    await page.goto(`${demo.server.url}/qa`);
    await page.getByTestId('qa-inspect').click();
    await expect
      .poll(() => page.getByTestId('qa-worst').locator('tbody tr').count(), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(
        () => page.getByTestId('qa-trend-chart').locator('canvas').count(),
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await page
      .getByTestId('qa-worst')
      .locator('tbody tr')
      .first()
      .locator('button[aria-label]')
      .first()
      .click();
    await expect
      .poll(() => page.getByText('评分项').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('qa.png'), fullPage: true });
    await page.close();
  }, 120_000);
});

describe('teams and the rubric editor', () => {
  it('shows the supervisor the per-team report and the rubric read-only', async () => {
    const page = await signIn(browser, demo, 'supervisor');
    await page.goto(`${demo.server.url}/qa`);
    await page.getByTestId('qa-inspect').click();
    const teams = page.getByTestId('qa-by-team');
    await expect
      .poll(() => teams.locator('tbody tr').count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);
    const text = (await teams.textContent()) ?? '';
    expect(text).toContain('客服一组');
    expect(text).toContain('客服二组');
    await expect
      .poll(
        () => page.getByTestId('qa-team-trend-chart').locator('canvas').count(),
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    await page.screenshot({
      path: artifactPath('qa-teams.png'),
      fullPage: true,
    });
    await page.getByRole('tab', { name: '评分表' }).click();
    const weight = page
      .getByTestId('rubric-weight-greeting')
      .locator('xpath=descendant-or-self::input');
    await weight.waitFor({ timeout: 15_000 });
    expect(await weight.isDisabled()).toBe(true);
    expect(await page.getByTestId('rubric-save').count()).toBe(0);
    await page.close();
  }, 180_000);

  it('lets an admin change an item weight and save it as a new version', async () => {
    const page = await signIn(browser, demo, 'admin');
    await page.goto(`${demo.server.url}/qa`);
    const version = page.getByTestId('rubric-version');
    await version.waitFor({ timeout: 15_000 });
    const before = (await version.textContent()) ?? '';
    const input = (id: string) =>
      page
        .getByTestId(`rubric-weight-${id}`)
        .locator('xpath=descendant-or-self::input');
    const greeting = Number(await input('greeting').inputValue());
    const closing = Number(await input('closing').inputValue());
    await input('greeting').fill(String(greeting - 5));
    await expect
      .poll(() => page.getByTestId('rubric-total').textContent())
      .toContain('合计 95 / 100');
    // The server is the judge: it refuses the total, in Chinese.
    await page.getByTestId('rubric-save').click();
    await expect
      .poll(() => page.getByTestId('rubric-error').textContent(), {
        timeout: 15_000,
      })
      .toContain('各项分值合计为95，应为100');
    await input('closing').fill(String(closing + 5));
    await expect
      .poll(() => page.getByTestId('rubric-total').textContent())
      .toContain('合计 100 / 100');
    await page.getByTestId('rubric-save').click();
    await expect
      .poll(() => page.getByTestId('rubric-saved').count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await expect
      .poll(() => version.textContent(), { timeout: 15_000 })
      .not.toBe(before);
    const after = (await version.textContent()) ?? '';
    const saved = /\d{4}-\d{2}-\d{2}\.\d+/.exec(after)?.[0] ?? '';
    expect(saved).not.toBe('');
    expect(await page.getByTestId('rubric-saved').textContent()).toContain(
      saved,
    );
    expect(Number(await input('greeting').inputValue())).toBe(greeting - 5);
    const firstVersion = page
      .getByTestId('rubric-versions')
      .locator('tbody tr')
      .first();
    await expect
      .poll(() => firstVersion.textContent(), { timeout: 15_000 })
      .toContain(saved);
    expect(await firstVersion.textContent()).toContain('生效中');
    await page.screenshot({
      path: artifactPath('qa-rubric-editor.png'),
      fullPage: true,
    });
    await page.close();
  }, 180_000);
});

describe('training', () => {
  it('flags a violating draft live, lets the customer answer, and scores the session', async () => {
    const page = await signIn(browser, demo, 'agent');
    await page.goto(`${demo.server.url}/training`);
    await page.getByTestId('start-angry_slow_approval').click();
    const draft = page.getByTestId('training-draft');
    await draft.fill('放心，包过的，明天就能下款。');
    await expect
      .poll(() => page.getByTestId('finding-rule').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await draft.fill(
      '您好，我是LoanDesk客服。让您久等了，非常理解您着急的心情。请提供您的姓名和注册手机号，我帮您查询进度。',
    );
    await page.getByTestId('training-send').click();
    await expect
      .poll(() => page.getByTestId('customer-line').count(), {
        timeout: 30_000,
      })
      .toBe(2);
    expect(
      await page.getByTestId('customer-line').last().textContent(),
    ).toContain('139****0001');
    // What the simulated customer understood of the message, as agent acts.
    expect(await page.getByTestId('act-ask_verification').count()).toBe(1);
    expect(await page.getByTestId('act-empathise').count()).toBe(1);
    await page.getByTestId('training-finish').click();
    await expect
      .poll(() => page.getByTestId('training-result').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect(await page.getByTestId('training-result').textContent()).toContain(
      '参考答案',
    );
    await page.screenshot({
      path: artifactPath('training-roleplay.png'),
      fullPage: true,
    });
    await page.close();
  }, 120_000);

  it('hides the warnings in exam mode', async () => {
    const page = await signIn(browser, demo, 'agent');
    await page.goto(`${demo.server.url}/training`);
    await page.getByTestId('exam-switch').click();
    await page.getByTestId('start-urgent_rate_insensitive').click();
    await page
      .getByTestId('training-draft')
      .fill('放心，包过的，明天就能下款。');
    // Longer than the composer's debounce and the check's round trip.
    await page.waitForTimeout(2000);
    expect(await page.getByTestId('finding-rule').count()).toBe(0);
    await page.close();
  }, 120_000);

  it('grades a quiz', async () => {
    const page = await signIn(browser, demo, 'collector');
    await page.goto(`${demo.server.url}/training`);
    await page.getByRole('tab', { name: '知识测验' }).click();
    await page.getByTestId('quiz-start').click();
    await expect
      .poll(() => page.getByTestId('quiz-submit').count(), { timeout: 15_000 })
      .toBe(1);
    await page.getByTestId('quiz-submit').click();
    await expect
      .poll(() => page.getByTestId('quiz-score').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await page.getByTestId('quiz-score').textContent()).toMatch(
      /得分 \d+/,
    );
    await page.screenshot({
      path: artifactPath('training-quiz.png'),
      fullPage: true,
    });
    await page.close();
  }, 120_000);
});
