import type { Kysely } from 'kysely';
import { ROLES, type Role } from '../../../domain/security/permissions.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Database } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import { inTransaction, type RepositoryDeps } from './repository-context.js';

// Teams (班组) of staff: a unique name (客服一组), an optional lead, and the
// members — a user belongs to at most one team. Every change is written to
// the audit log in the same transaction. Reports group agents' scores by
// the team a user belongs to now.

export type TeamMember = {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
};

export type Team = {
  readonly id: string;
  readonly name: string;
  readonly lead: TeamMember | undefined;
  readonly members: readonly TeamMember[];
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type TeamError =
  | { readonly code: 'team.not_found' }
  | { readonly code: 'team.name_taken'; readonly name: string }
  | { readonly code: 'team.user_not_found'; readonly userId: string };

export type TeamOverview = {
  readonly teams: readonly Team[];
  /** Active users in no team. */
  readonly unassigned: readonly TeamMember[];
};

async function people(
  db: Kysely<Database>,
  userIds: readonly string[],
): Promise<Map<string, TeamMember>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'user_roles.role',
    ])
    .where('users.id', 'in', [...userIds])
    .execute();
  const found = new Map<string, TeamMember & { roles: Role[] }>();
  for (const row of rows) {
    const member = found.get(row.id) ?? {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      roles: [],
    };
    if (row.role !== null) member.roles.push(row.role as Role);
    found.set(row.id, member);
  }
  for (const member of found.values())
    member.roles.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  return found;
}

export class TeamRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  /** Every team by name with its lead and members, and the users in none. */
  async overview(): Promise<TeamOverview> {
    const teams = await this.list(this.db);
    const unassignedRows = await this.db
      .selectFrom('users')
      .leftJoin('team_members', 'team_members.user_id', 'users.id')
      .select('users.id')
      .where('team_members.user_id', 'is', null)
      .where('users.status', '=', 'active')
      .orderBy('users.username')
      .execute();
    const found = await people(
      this.db,
      unassignedRows.map((r) => r.id),
    );
    return {
      teams,
      unassigned: unassignedRows.flatMap((r) => found.get(r.id) ?? []),
    };
  }

  async findById(id: string): Promise<Team | undefined> {
    return (await this.list(this.db, id))[0];
  }

  /** The team a user belongs to now. */
  async teamOf(
    userId: string,
  ): Promise<{ id: string; name: string } | undefined> {
    return this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['teams.id', 'teams.name'])
      .where('team_members.user_id', '=', userId)
      .executeTakeFirst();
  }

  /** user id → the team the user belongs to now. */
  async teamsOfUsers(): Promise<Map<string, { id: string; name: string }>> {
    const rows = await this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['team_members.user_id', 'teams.id', 'teams.name'])
      .execute();
    return new Map(
      rows.map((row) => [row.user_id, { id: row.id, name: row.name }]),
    );
  }

  async create(
    input: { readonly name: string; readonly leadUserId?: string },
    actor: string,
  ): Promise<Result<Team, TeamError>> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const refused = await this.refusal(tx, input.name, input.leadUserId);
      if (refused !== undefined) return err(refused);
      const id = this.deps.newId('team');
      await tx
        .insertInto('teams')
        .values({
          id,
          name: input.name,
          lead_user_id: input.leadUserId ?? null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'team.create',
          subjectType: 'team',
          subjectId: id,
          details: { name: input.name, lead: input.leadUserId ?? null },
        },
        at,
      );
      return ok(await this.one(tx, id));
    });
  }

  /** Renames a team and/or changes its lead (`null` removes the lead). */
  async update(
    id: string,
    input: { readonly name?: string; readonly leadUserId?: string | null },
    actor: string,
  ): Promise<Result<Team, TeamError>> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('teams')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return err({ code: 'team.not_found' } as const);
      const name = input.name ?? row.name;
      const lead =
        input.leadUserId === undefined ? row.lead_user_id : input.leadUserId;
      const refused = await this.refusal(
        tx,
        name === row.name ? undefined : name,
        lead ?? undefined,
      );
      if (refused !== undefined) return err(refused);
      await tx
        .updateTable('teams')
        .set({ name, lead_user_id: lead, updated_at: at })
        .where('id', '=', id)
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'team.update',
          subjectType: 'team',
          subjectId: id,
          details: {
            name,
            previous_name: row.name,
            lead,
            previous_lead: row.lead_user_id,
          },
        },
        at,
      );
      return ok(await this.one(tx, id));
    });
  }

  /** Puts users in the team, moving them out of any other team. */
  async assign(
    teamId: string,
    userIds: readonly string[],
    actor: string,
  ): Promise<Result<Team, TeamError>> {
    const at = this.deps.now();
    const unique = [...new Set(userIds)];
    return inTransaction(this.db, async (tx) => {
      const team = await tx
        .selectFrom('teams')
        .select('id')
        .where('id', '=', teamId)
        .executeTakeFirst();
      if (team === undefined) return err({ code: 'team.not_found' } as const);
      const found = await people(tx, unique);
      const missing = unique.find((userId) => !found.has(userId));
      if (missing !== undefined)
        return err({ code: 'team.user_not_found', userId: missing } as const);
      const previous = await tx
        .selectFrom('team_members')
        .select(['user_id', 'team_id'])
        .where('user_id', 'in', unique)
        .execute();
      for (const userId of unique)
        await tx
          .insertInto('team_members')
          .values({ user_id: userId, team_id: teamId, assigned_at: at })
          .onConflict((oc) =>
            oc
              .column('user_id')
              .doUpdateSet({ team_id: teamId, assigned_at: at }),
          )
          .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'team.assign',
          subjectType: 'team',
          subjectId: teamId,
          details: {
            users: unique,
            moved_from: Object.fromEntries(
              previous
                .filter((p) => p.team_id !== teamId)
                .map((p) => [p.user_id, p.team_id]),
            ),
          },
        },
        at,
      );
      return ok(await this.one(tx, teamId));
    });
  }

  /** Takes a user out of the team; refused when the user is not in it. */
  async unassign(
    teamId: string,
    userId: string,
    actor: string,
  ): Promise<Result<Team, TeamError>> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const removed = await tx
        .deleteFrom('team_members')
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n) {
        const team = await tx
          .selectFrom('teams')
          .select('id')
          .where('id', '=', teamId)
          .executeTakeFirst();
        return err(
          team === undefined
            ? ({ code: 'team.not_found' } as const)
            : ({ code: 'team.user_not_found', userId } as const),
        );
      }
      await appendAudit(
        tx,
        {
          actor,
          action: 'team.unassign',
          subjectType: 'team',
          subjectId: teamId,
          details: { user: userId },
        },
        at,
      );
      return ok(await this.one(tx, teamId));
    });
  }

  private async refusal(
    tx: Kysely<Database>,
    newName: string | undefined,
    leadUserId: string | undefined,
  ): Promise<TeamError | undefined> {
    if (newName !== undefined) {
      const taken = await tx
        .selectFrom('teams')
        .select('id')
        .where('name', '=', newName)
        .executeTakeFirst();
      if (taken !== undefined)
        return { code: 'team.name_taken', name: newName };
    }
    if (leadUserId !== undefined) {
      const lead = await tx
        .selectFrom('users')
        .select('id')
        .where('id', '=', leadUserId)
        .executeTakeFirst();
      if (lead === undefined)
        return { code: 'team.user_not_found', userId: leadUserId };
    }
    return undefined;
  }

  private async one(tx: Kysely<Database>, id: string): Promise<Team> {
    const [team] = await this.list(tx, id);
    if (team === undefined) throw new Error(`team ${id} vanished`);
    return team;
  }

  private async list(db: Kysely<Database>, id?: string): Promise<Team[]> {
    let query = db.selectFrom('teams').selectAll();
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('name').orderBy('id').execute();
    if (rows.length === 0) return [];
    const members = await db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['team_members.user_id', 'team_members.team_id'])
      .where(
        'team_members.team_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('users.username')
      .execute();
    const found = await people(db, [
      ...members.map((m) => m.user_id),
      ...rows.flatMap((r) => (r.lead_user_id === null ? [] : [r.lead_user_id])),
    ]);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      lead: row.lead_user_id === null ? undefined : found.get(row.lead_user_id),
      members: members
        .filter((m) => m.team_id === row.id)
        .flatMap((m) => found.get(m.user_id) ?? []),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }
}
