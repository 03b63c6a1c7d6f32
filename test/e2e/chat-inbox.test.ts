// Proves the borrower chat and the agent inbox end to end against the real
// server with the demo book, in two Chromium pages:
// 1. The borrower opens /chat, asks for the next installment, is asked to
//    verify, verifies with name and mobile through the form, and sees the
//    next installment of the stored schedule in the bot's streamed answer.
// 2. The borrower asks for a human: the hand-off notice shows.
// 3. An agent signs in, finds the conversation waiting, takes it over, types
//    a draft that breaks a red line: the span is highlighted, the rule shown
//    and Send stays disabled. A compliant reply is sent with Ctrl+Enter and
//    reaches the borrower's page over the WebSocket.
// The customer's real name and mobile are read once through the audited
// supervisor route, as a test fixture; screenshots go to test-artifacts/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchBrowser } from '../helpers/browser.js';
import {
  apiToken,
  type DemoServer,
  signIn,
  startDemoServer,
} from '../helpers/workspace.js';

type Loan = {
  customer_id: string;
  status: string;
  installments: { payment: string; outstanding: string }[];
};

let demo: DemoServer;
let browser: Browser;
let borrower: Page;
let agent: Page;
const person = { name: '', phone: '', maskedName: '', nextPayment: '' };

async function currentBorrower(token: string) {
  const year = new Date().getFullYear();
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${demo.server.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  for (let n = 1; n <= 60; n++) {
    const loan = await get<Loan>(
      `/loans/L${year}${String(n).padStart(6, '0')}`,
    );
    if (loan.status !== 'repaying') continue;
    const loans = await get<unknown[]>(`/customers/${loan.customer_id}/loans`);
    if (loans.length !== 1) continue;
    const next = loan.installments.find((i) => i.outstanding !== '0.00');
    if (next === undefined || next.outstanding !== next.payment) continue;
    const masked = await get<{ name: string }>(
      `/customers/${loan.customer_id}`,
    );
    const full = await get<{ name: string; phone: string }>(
      `/customers/${loan.customer_id}?unmasked=true&reason=${encodeURIComponent('端到端测试核对')}`,
    );
    return {
      name: full.name,
      phone: full.phone,
      maskedName: masked.name,
      nextPayment: next.payment,
    };
  }
  throw new Error('no current single-loan borrower in the demo book');
}

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await launchBrowser();
  Object.assign(
    person,
    await currentBorrower(await apiToken(demo, 'supervisor')),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.server.stop();
});

const botTexts = (page: Page) =>
  page
    .locator('[data-testid="chat-message"][data-sender="bot"]')
    .allTextContents();

describe('borrower chat and agent inbox', () => {
  it('verifies the borrower and answers the next installment', async () => {
    borrower = await browser.newPage({ viewport: { width: 480, height: 760 } });
    await borrower.goto(`${demo.server.url}/chat`);
    await expect
      .poll(() => borrower.getByTestId('chat-message').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    const input = borrower.getByLabel('输入消息');
    await input.fill('我下一期要还多少钱');
    await input.press('Enter');
    // Unverified, the bot discloses nothing of the account.
    await expect
      .poll(async () => (await botTexts(borrower)).length, { timeout: 20_000 })
      .toBeGreaterThan(1);
    expect((await botTexts(borrower)).join('')).not.toContain(
      person.nextPayment,
    );
    await borrower.getByRole('button', { name: '验证身份' }).click();
    await borrower.getByLabel('姓名', { exact: true }).fill(person.name);
    await borrower.getByLabel('预留手机号', { exact: true }).fill(person.phone);
    await borrower.getByRole('button', { name: '提交验证' }).click();
    await borrower.getByTestId('chat-verified').waitFor({ timeout: 20_000 });
    await input.fill('下一期还多少');
    await input.press('Enter');
    await expect
      .poll(async () => (await botTexts(borrower)).join('\n'), {
        timeout: 20_000,
      })
      .toContain(person.nextPayment);
    // What the borrower typed is shown back masked, as it is stored.
    const mine = await borrower
      .locator('[data-testid="chat-message"][data-sender="customer"]')
      .allTextContents();
    expect(mine.join('')).not.toContain(person.phone);
    await borrower.screenshot({ path: artifactPath('chat-widget.png') });
  }, 120_000);

  it('shows the hand-off notice when the borrower asks for a human', async () => {
    const input = borrower.getByLabel('输入消息');
    await input.fill('我要转人工客服');
    await input.press('Enter');
    await borrower.getByTestId('chat-handoff').waitFor({ timeout: 20_000 });
  }, 60_000);

  it('lets an agent take over, blocks a violating draft and sends a compliant one', async () => {
    agent = await signIn(browser, demo, 'agent');
    expect(agent.url()).toMatch(/\/inbox$/);
    const item = agent
      .getByTestId('conversation-item')
      .filter({ hasText: person.maskedName });
    await item.first().waitFor({ timeout: 20_000 });
    await item.first().click();
    await agent.getByRole('button', { name: /接入会话/ }).click();
    const composer = agent.getByTestId('composer');
    await composer.waitFor({ timeout: 15_000 });
    // The customer 360 shows the verified borrower, masked.
    await agent.getByTestId('customer-identity').waitFor({ timeout: 15_000 });
    expect(
      await agent.getByTestId('customer-identity').textContent(),
    ).toContain(person.maskedName);

    await composer.fill('再不还钱就去你单位闹，让你全家都知道');
    await expect
      .poll(() => agent.getByTestId('verdict').textContent(), {
        timeout: 15_000,
      })
      .toContain('不能发送');
    expect(await agent.getByTestId('send').isDisabled()).toBe(true);
    expect(await agent.getByTestId('violation-span').count()).toBeGreaterThan(
      0,
    );
    expect(
      (await agent.getByTestId('finding-rule').first().textContent())?.trim(),
    ).not.toBe('');
    await composer.press('Control+Enter');
    await agent.screenshot({ path: artifactPath('inbox-blocked.png') });

    const reply = '您好，我是人工客服，很高兴为您服务，请问还有什么可以帮您？';
    await composer.fill(reply);
    await expect
      .poll(() => agent.getByTestId('verdict').textContent(), {
        timeout: 15_000,
      })
      .toContain('通过');
    await composer.press('Control+Enter');
    await expect
      .poll(() => composer.inputValue(), { timeout: 15_000 })
      .toBe('');
    await expect
      .poll(
        () =>
          borrower
            .locator('[data-testid="chat-message"][data-sender="agent"]')
            .allTextContents(),
        { timeout: 20_000 },
      )
      .toEqual([expect.stringContaining(reply)]);
    await agent.screenshot({ path: artifactPath('inbox.png'), fullPage: true });
    await borrower.screenshot({ path: artifactPath('chat-agent.png') });
  }, 180_000);
});
