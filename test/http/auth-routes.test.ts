// Proves the auth routes on every dialect: login answers bad input with the
// field named, logout revokes the token on the server (a copy of it is
// refused afterwards while the user's other sessions live on), and a
// disabled user's tokens stop working at once. Roles are read per request,
// so a role change applies to a live token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../db/dialects.js';
import { type ErrorJson, openStoreApp, type StoreApp } from './store-app.js';

describe.each(DIALECTS)('auth routes on %s', (dialect) => {
  let s: StoreApp;
  beforeAll(async () => {
    s = await openStoreApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const me = (token: string) =>
    s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });

  it('refuses a login without a password, naming the field', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent' },
    });
    expect(response.statusCode).toBe(400);
    expect((response.json() as ErrorJson).error).toMatchObject({
      code: 'input.invalid',
      field: 'password',
    });
  });

  it('answers /auth/me only with a session', async () => {
    const anonymous = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
    });
    expect(anonymous.statusCode).toBe(401);
    const mine = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: s.as('collector'),
    });
    expect(mine.json()).toEqual({
      username: 'collector',
      display_name: 'collector',
      roles: ['collector'],
    });
  });

  it('revokes the token on logout, server-side, and leaves other sessions alive', async () => {
    const first = await s.login('negotiator');
    const second = await s.login('negotiator');
    expect((await me(first)).statusCode).toBe(200);
    const out = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${first}` },
    });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/loandesk_session=;/);
    // A copy of the same token (an integration's or a stolen cookie).
    expect((await me(first)).statusCode).toBe(401);
    const loanRead = await s.app.inject({
      method: 'GET',
      url: '/api/v1/customers/cust_none/loans',
      headers: { authorization: `Bearer ${first}` },
    });
    expect(loanRead.statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'subject_id'])
      .where('action', '=', 'user.logout')
      .execute();
    expect(audit).toEqual([
      { actor: 'negotiator', subject_id: s.userIds.get('negotiator') },
    ]);
  });

  it('stops a disabled user’s tokens at once', async () => {
    const token = await s.login('admin');
    expect((await me(token)).statusCode).toBe(200);
    const adminId = s.userIds.get('admin') ?? '';
    await s.repos.users.setStatus(adminId, 'disabled', 'test');
    expect((await me(token)).statusCode).toBe(401);
    const relogin = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'correct horse battery' },
    });
    expect(relogin.statusCode).toBe(401);
    await s.repos.users.setStatus(adminId, 'active', 'test');
    // Disabling revoked every token for good: re-enabling needs a new login
    // (test/http/user-admin.test.ts).
    expect((await me(token)).statusCode).toBe(401);
  });

  it('applies a role change to a live token', async () => {
    const before = await s.app.inject({
      method: 'GET',
      url: '/api/v1/applications',
      headers: s.as('collector'),
    });
    expect(before.statusCode).toBe(403);
    const id = s.userIds.get('collector') ?? '';
    await s.repos.users.setRoles(id, ['collector', 'agent'], 'test');
    const after = await s.app.inject({
      method: 'GET',
      url: '/api/v1/applications',
      headers: s.as('collector'),
    });
    expect(after.statusCode).toBe(200);
    await s.repos.users.setRoles(id, ['collector'], 'test');
  });
});
