import type { Kysely, Selectable } from 'kysely';
import { assert } from '../../../domain/shared/assert.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Database, UsersTable } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import { inTransaction, type RepositoryDeps } from './repository-context.js';

// Staff users and their roles (SPEC capability 9: agent, collector,
// negotiator, supervisor, admin). The password hash is computed by the auth
// layer (argon2); this repository only stores it and never returns it in
// `User`, so a user object can be logged or serialised safely.

// Roles and what they may do are the domain's (domain/security/permissions).
export { ROLES, type Role };

import { ROLES, type Role } from '../../../domain/security/permissions.js';

export type UserStatus = 'active' | 'disabled';

export type NewUser = {
  readonly username: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
};

export type User = {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly status: UserStatus;
  readonly roles: readonly Role[];
  readonly createdAt: string;
};

export type UserError = {
  readonly code: 'user.username_taken';
  readonly username: string;
};

/** An administrator's change to a user: status, roles or both. */
export type UserChange = {
  readonly status?: UserStatus;
  readonly roles?: readonly Role[];
};

export type UserChangeError =
  | { readonly code: 'user.not_found'; readonly userId: string }
  /** An administrator may not disable themself or drop their own admin role. */
  | { readonly code: 'user.self_lockout'; readonly userId: string };

export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  private async rolesOf(tx: Kysely<Database>, userId: string): Promise<Role[]> {
    const rows = await tx
      .selectFrom('user_roles')
      .select('role')
      .where('user_id', '=', userId)
      .execute();
    const roles = rows.map((r) => r.role as Role);
    return ROLES.filter((role) => roles.includes(role));
  }

  private async toUser(
    tx: Kysely<Database>,
    row: Selectable<UsersTable>,
  ): Promise<User> {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      status: row.status as UserStatus,
      roles: await this.rolesOf(tx, row.id),
      createdAt: row.created_at,
    };
  }

  async create(
    input: NewUser,
    actor: string,
  ): Promise<Result<User, UserError>> {
    assert(input.passwordHash !== '', 'user.create: empty password hash');
    assert(input.roles.length > 0, 'user.create: a user needs a role');
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const taken = await tx
        .selectFrom('users')
        .select('id')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (taken !== undefined)
        return err({
          code: 'user.username_taken',
          username: input.username,
        } as const);
      const row = {
        id: this.deps.newId('user'),
        username: input.username,
        display_name: input.displayName,
        password_hash: input.passwordHash,
        status: 'active',
        sessions_valid_from: null,
        created_at: at,
        updated_at: at,
      };
      await tx.insertInto('users').values(row).execute();
      await tx
        .insertInto('user_roles')
        .values(input.roles.map((role) => ({ user_id: row.id, role })))
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'user.create',
          subjectType: 'user',
          subjectId: row.id,
          details: { roles: [...input.roles] },
        },
        at,
      );
      return ok(await this.toUser(tx, row));
    });
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toUser(this.db, row);
  }

  /** Every user, by username (staff lists are small: one page). */
  async list(): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .orderBy('username')
      .execute();
    const users: User[] = [];
    for (const row of rows) users.push(await this.toUser(this.db, row));
    return users;
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toUser(this.db, row);
  }

  /** The stored hash for a login check; undefined for unknown or disabled. */
  async passwordHashFor(
    username: string,
  ): Promise<{ userId: string; passwordHash: string } | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('username', '=', username)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { userId: row.id, passwordHash: row.password_hash };
  }

  /**
   * Who a session token speaks for now: undefined when the token was
   * revoked (logout), was issued before the user's sessions were revoked
   * (`issuedAtMs`, see `update`), or the user is disabled or gone. Roles are
   * read from the database, so a role change takes effect on the next
   * request.
   */
  async sessionPrincipal(
    userId: string,
    tokenId: string,
    issuedAtMs: number,
  ): Promise<
    { readonly username: string; readonly roles: Role[] } | undefined
  > {
    const row = await this.db
      .selectFrom('users')
      .leftJoin('revoked_sessions', (join) =>
        join.on('revoked_sessions.token_id', '=', tokenId),
      )
      .select([
        'users.username',
        'users.status',
        'users.sessions_valid_from',
        'revoked_sessions.token_id as revoked',
      ])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (row === undefined || row.status !== 'active' || row.revoked !== null)
      return undefined;
    if (
      row.sessions_valid_from !== null &&
      issuedAtMs < Date.parse(row.sessions_valid_from)
    )
      return undefined;
    return {
      username: row.username,
      roles: await this.rolesOf(this.db, userId),
    };
  }

  /**
   * Revokes one session token (logout). Rows of tokens that have expired
   * anyway are purged on the way: the table holds only live revocations.
   */
  async revokeSession(
    session: {
      readonly tokenId: string;
      readonly userId: string;
      readonly expiresAt: string;
    },
    actor: string,
  ): Promise<void> {
    const at = this.deps.now();
    await inTransaction(this.db, async (tx) => {
      await tx
        .deleteFrom('revoked_sessions')
        .where('expires_at', '<', at)
        .execute();
      await tx
        .insertInto('revoked_sessions')
        .values({
          token_id: session.tokenId,
          user_id: session.userId,
          expires_at: session.expiresAt,
          revoked_at: at,
        })
        .onConflict((oc) => oc.column('token_id').doNothing())
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'user.logout',
          subjectType: 'user',
          subjectId: session.userId,
          details: {},
        },
        at,
      );
    });
  }

  async setRoles(
    userId: string,
    roles: readonly Role[],
    actor: string,
  ): Promise<void> {
    assert(roles.length > 0, 'setRoles: a user needs a role');
    const at = this.deps.now();
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      await tx
        .insertInto('user_roles')
        .values(roles.map((role) => ({ user_id: userId, role })))
        .execute();
      await tx
        .updateTable('users')
        .set({ updated_at: at })
        .where('id', '=', userId)
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'user.set_roles',
          subjectType: 'user',
          subjectId: userId,
          details: { roles: [...roles] },
        },
        at,
      );
    });
  }

  async setStatus(
    userId: string,
    status: UserStatus,
    actor: string,
  ): Promise<void> {
    const at = this.deps.now();
    await inTransaction(this.db, async (tx) => {
      await tx
        .updateTable('users')
        .set({
          status,
          updated_at: at,
          // Disabling kills every token issued so far, for good.
          ...(status === 'disabled' ? { sessions_valid_from: at } : {}),
        })
        .where('id', '=', userId)
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: `user.${status === 'active' ? 'enable' : 'disable'}`,
          subjectType: 'user',
          subjectId: userId,
          details: {},
        },
        at,
      );
    });
  }

  /**
   * An administrator's change, in one transaction: disabling revokes every
   * session and token of the user at once (tokens issued before now stay
   * dead after a later re-enable); roles apply from the next request. Who
   * and why go to the audit log as `user.update`, with before and after.
   * `actorId` is the administrator: they may not disable themself nor
   * remove their own admin role.
   */
  async update(
    userId: string,
    change: UserChange,
    who: {
      readonly actorId: string;
      readonly actor: string;
      readonly reason: string;
    },
  ): Promise<Result<User, UserChangeError>> {
    assert(
      change.status !== undefined || change.roles !== undefined,
      'user.update: nothing to change',
    );
    assert(
      change.roles === undefined || change.roles.length > 0,
      'user.update: a user needs a role',
    );
    assert(who.reason.trim() !== '', 'user.update: a reason is required');
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirst();
      if (row === undefined) return err({ code: 'user.not_found', userId });
      const before = await this.toUser(tx, row);
      if (
        userId === who.actorId &&
        (change.status === 'disabled' ||
          (change.roles !== undefined &&
            before.roles.includes('admin') &&
            !change.roles.includes('admin')))
      )
        return err({ code: 'user.self_lockout', userId });
      const roles =
        change.roles === undefined
          ? before.roles
          : ROLES.filter((role) => change.roles?.includes(role));
      const status = change.status ?? before.status;
      const disabling = status === 'disabled' && before.status !== 'disabled';
      await tx
        .updateTable('users')
        .set({
          status,
          updated_at: at,
          ...(disabling ? { sessions_valid_from: at } : {}),
        })
        .where('id', '=', userId)
        .execute();
      if (change.roles !== undefined) {
        await tx
          .deleteFrom('user_roles')
          .where('user_id', '=', userId)
          .execute();
        await tx
          .insertInto('user_roles')
          .values(roles.map((role) => ({ user_id: userId, role })))
          .execute();
      }
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: 'user.update',
          subjectType: 'user',
          subjectId: userId,
          details: {
            reason: who.reason,
            status_from: before.status,
            status_to: status,
            roles_from: [...before.roles],
            roles_to: [...roles],
            sessions_revoked: disabling,
          },
        },
        at,
      );
      return ok({ ...before, status, roles });
    });
  }
}
