// The agents' inbox updates without a reload: an agent signs in first and
// keeps the waiting queue open; a borrower then opens /chat in another page
// and asks for a human. The new conversation appears in the agent's queue
// pushed over the inbox WebSocket — no reload and no new list request after
// the hand-off (the fallback poll runs only while the socket is down). The
// borrower's next message then shows in the 处理中 line the same way.
import type { Browser, Page, Request } from 'playwright-core';
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

const isListRequest = (request: Request) =>
  /\/api\/v1\/conversations\?status=/.test(request.url());

describe('inbox push', () => {
  it('shows a new hand-off in the open queue at once, without reloading the list', async () => {
    const agent: Page = await signIn(browser, demo, 'agent');
    expect(agent.url()).toMatch(/\/inbox$/);
    const queue = agent.getByTestId('inbox-queue');
    await expect
      .poll(() => queue.getAttribute('data-live'), { timeout: 20_000 })
      .toBe('push');
    const before = await agent.getByTestId('conversation-item').count();
    let navigations = 0;
    agent.on('framenavigated', (frame) => {
      if (frame === agent.mainFrame()) navigations += 1;
    });

    const borrower = await browser.newPage({
      viewport: { width: 480, height: 760 },
    });
    await borrower.goto(`${demo.server.url}/chat`);
    await expect
      .poll(() => borrower.getByTestId('chat-message').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    // Wait for the list reload the socket's opening triggers to be done;
    // from here on, list requests are counted.
    await agent.waitForLoadState('networkidle');
    const listRequests: string[] = [];
    agent.on('request', (request) => {
      if (isListRequest(request)) listRequests.push(request.url());
    });
    const input = borrower.getByLabel('输入消息');
    const text = '我想找人工客服处理一下';
    await input.fill(text);
    await input.press('Enter');
    await borrower.getByTestId('chat-handoff').waitFor({ timeout: 20_000 });

    // Well inside the 30 s fallback poll: the push did it.
    await expect
      .poll(() => agent.getByTestId('conversation-item').count(), {
        timeout: 10_000,
      })
      .toBe(before + 1);
    const item = agent
      .getByTestId('conversation-item')
      .filter({ hasText: '未验证访客' })
      .last();
    await item.waitFor({ timeout: 5_000 });
    expect(listRequests).toEqual([]);
    expect(navigations).toBe(0);
    await agent.screenshot({ path: artifactPath('inbox-push.png') });

    // Taken over: it leaves 待接入 and appears under 处理中; the borrower's
    // next message updates that line, again without a list request.
    await item.click();
    await agent.getByRole('button', { name: /接入会话/ }).click();
    await agent.getByTestId('composer').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => agent.getByTestId('conversation-item').count(), {
        timeout: 10_000,
      })
      .toBe(before);
    await queue.getByText('处理中', { exact: true }).click();
    await agent
      .getByTestId('conversation-item')
      .first()
      .waitFor({ timeout: 15_000 });
    await agent.waitForLoadState('networkidle');
    listRequests.length = 0;
    const follow = '请问还要等多久';
    await input.fill(follow);
    await input.press('Enter');
    await agent
      .getByTestId('conversation-item')
      .filter({ hasText: follow })
      .waitFor({ timeout: 10_000 });
    expect(listRequests).toEqual([]);
    await borrower.close();
  }, 240_000);
});
