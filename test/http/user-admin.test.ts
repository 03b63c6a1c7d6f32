// Proves user administration over HTTP on every dialect: an admin lists
// users, disables one (every session and bearer token of that user stops
// at once and stays dead after a re-enable), re-enables them (a new login
// works), and changes roles (effective on the next request); an admin
// cannot lock themself out; bad input names the field; other roles get 403;
// each change is audited with who and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { ROLES } from '../../src/domain/security/permissions.js';
import { DIALECTS } from '../db/dialects.js';
import {
  type ErrorJson,
  openStoreApp,
  type StoreApp,
  TEST_PASSWORD,
} from './store-app.js';

type UserJson = {
  user_id: string;
  username: string;
  status: string;
  status_zh: string;
  roles: string[];
  roles_zh: string[];
};

describe.each(DIALECTS)('user administration on %s', (dialect) => {
  let s: StoreApp;
  let staffId = '';
  // A token of the re-enabled user (logins are rate-limited per address).
  let freshToken = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const staff = await s.repos.users.create(
      {
        username: 'zhou.agent',
        displayName: '周客服',
        passwordHash: await hashPassword(TEST_PASSWORD),
        roles: ['agent'],
      },
      'test',
    );
    if (!staff.ok) throw new Error(staff.error.code);
    staffId = staff.value.id;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const patch = (
    auth: { authorization: string },
    id: string,
    payload: object,
  ) =>
    s.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: auth,
      payload,
    });
  const me = (token: string) =>
    s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
  const admin = () => s.as('admin');

  it('lists users to an admin only', async () => {
    const list = await s.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: admin(),
    });
    expect(list.statusCode).toBe(200);
    const rows = list.json() as UserJson[];
    expect(rows.map((u) => u.username).sort()).toEqual(
      [...ROLES, 'zhou.agent'].sort(),
    );
    expect(rows.find((u) => u.username === 'zhou.agent')).toMatchObject({
      user_id: staffId,
      status: 'active',
      roles: ['agent'],
      roles_zh: ['客服专员'],
    });
    for (const role of ['agent', 'supervisor'] as const) {
      const refused = await s.app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: s.as(role),
      });
      expect(refused.statusCode).toBe(403);
    }
  });

  it('disables a user: every token dies at once and stays dead after re-enabling; a new login works', async () => {
    const web = await s.login('zhou.agent');
    const integration = await s.login('zhou.agent');
    expect((await me(web)).statusCode).toBe(200);
    const off = await patch(admin(), staffId, {
      status: 'disabled',
      reason: '员工离职',
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({
      status: 'disabled',
      status_zh: '已停用',
    });
    expect((await me(web)).statusCode).toBe(401);
    expect((await me(integration)).statusCode).toBe(401);
    await expect(s.login('zhou.agent')).rejects.toThrow('401');
    const on = await patch(admin(), staffId, {
      status: 'active',
      reason: '返聘',
    });
    expect(on.json()).toMatchObject({ status: 'active' });
    expect((await me(web)).statusCode).toBe(401);
    expect((await me(integration)).statusCode).toBe(401);
    freshToken = await s.login('zhou.agent');
    expect((await me(freshToken)).statusCode).toBe(200);
    const audit = await listAuditForSubject(s.database.db, 'user', staffId);
    expect(
      audit
        .filter((e) => e.action === 'user.update')
        .map((e) => [e.actor, e.details]),
    ).toEqual([
      [
        'admin',
        expect.objectContaining({
          reason: '员工离职',
          status_from: 'active',
          status_to: 'disabled',
          sessions_revoked: true,
        }),
      ],
      [
        'admin',
        expect.objectContaining({
          reason: '返聘',
          status_from: 'disabled',
          status_to: 'active',
          sessions_revoked: false,
        }),
      ],
    ]);
  });

  it('changes roles, effective on the live token’s next request', async () => {
    const token = freshToken;
    const asStaff = { authorization: `Bearer ${token}` };
    const before = await s.app.inject({
      method: 'GET',
      url: '/api/v1/dashboard',
      headers: asStaff,
    });
    expect(before.statusCode).toBe(403);
    const changed = await patch(admin(), staffId, {
      roles: ['supervisor', 'agent'],
      reason: '晋升为主管',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      roles: ['agent', 'supervisor'],
      status: 'active',
    });
    const after = await s.app.inject({
      method: 'GET',
      url: '/api/v1/dashboard',
      headers: asStaff,
    });
    expect(after.statusCode).not.toBe(403);
    expect((await me(token)).json()).toMatchObject({
      roles: ['agent', 'supervisor'],
    });
    const audit = await listAuditForSubject(s.database.db, 'user', staffId);
    expect(audit.at(-1)).toMatchObject({
      action: 'user.update',
      actor: 'admin',
      details: {
        reason: '晋升为主管',
        roles_from: ['agent'],
        roles_to: ['agent', 'supervisor'],
      },
    });
  });

  it('refuses an admin locking themself out, bad input by field, unknown users and other roles', async () => {
    const adminId = s.userIds.get('admin') ?? '';
    const self = await patch(admin(), adminId, {
      status: 'disabled',
      reason: '测试',
    });
    expect(self.statusCode).toBe(409);
    expect((self.json() as ErrorJson).error.code).toBe('user.self_lockout');
    const demote = await patch(admin(), adminId, {
      roles: ['agent'],
      reason: '测试',
    });
    expect(demote.statusCode).toBe(409);
    expect((demote.json() as ErrorJson).error.code).toBe('user.self_lockout');
    // Adding a role to oneself is no lockout.
    const widen = await patch(admin(), adminId, {
      roles: ['admin', 'supervisor'],
      reason: '兼任主管',
    });
    expect(widen.statusCode).toBe(200);
    for (const [payload, field] of [
      [{ status: 'gone', reason: 'x' }, 'status'],
      [{ roles: ['boss'], reason: 'x' }, 'roles.0'],
      [{ roles: [], reason: 'x' }, 'roles'],
      [{ roles: ['agent', 'agent'], reason: 'x' }, 'roles'],
      [{ status: 'disabled' }, 'reason'],
      [{ status: 'disabled', reason: '   ' }, 'reason'],
      [{ reason: '没有要改的' }, 'status'],
    ] as const) {
      const bad = await patch(admin(), staffId, payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect((bad.json() as ErrorJson).error.field).toBe(field);
    }
    const missing = await patch(admin(), 'user_none', {
      status: 'disabled',
      reason: 'x',
    });
    expect(missing.statusCode).toBe(404);
    for (const role of ['supervisor', 'agent', 'collector'] as const) {
      const refused = await patch(s.as(role), staffId, {
        status: 'disabled',
        reason: '越权',
      });
      expect(refused.statusCode).toBe(403);
    }
    const anonymous = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${staffId}`,
      payload: { status: 'disabled', reason: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await s.repos.users.findById(staffId))?.status).toBe('active');
  });
});
