// The web workspace under test: the real server with the demo book (as the
// README starts it), the demo users' one-time passwords read from its
// output, and a signed-in Chromium page per role.
import type { Browser, Page } from 'playwright-core';
import { type RunningServer, startServer } from './server-process.js';

export type DemoServer = {
  readonly server: RunningServer;
  readonly passwords: ReadonlyMap<string, string>;
};

export async function startDemoServer(): Promise<DemoServer> {
  const server = await startServer(['--demo']);
  const passwords = new Map<string, string>();
  for (const match of server
    .output()
    .matchAll(
      /^\s*\S+\t(agent|collector|negotiator|supervisor|admin)\t(\S+)$/gm,
    )) {
    if (match[1] !== undefined && match[2] !== undefined)
      passwords.set(match[1], match[2]);
  }
  if (passwords.size !== 5)
    throw new Error(`demo passwords not printed: ${server.output()}`);
  return { server, passwords };
}

/** A bearer token for API calls the test makes to set up or check state. */
export async function apiToken(demo: DemoServer, username: string) {
  const response = await fetch(`${demo.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      password: demo.passwords.get(username),
    }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Opens the workspace and signs in through the login form, as a person. */
export async function signIn(
  browser: Browser,
  demo: DemoServer,
  username: string,
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  await page.goto(`${demo.server.url}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(demo.passwords.get(username) ?? '');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });
  return page;
}
