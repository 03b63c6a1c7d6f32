// Wire schemas of teams (班组): an admin creates and renames teams, names a
// lead and assigns users; quality-inspection reports group agents by team.
import { type Static, Type } from '@sinclair/typebox';

const UserId = Type.String({ minLength: 1, maxLength: 64 });
/** A team's name as staff read it, e.g. 客服一组. */
const TeamName = Type.String({ minLength: 1, maxLength: 32 });

export const TeamMemberOutput = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.String()),
});

export const TeamOutput = Type.Object({
  id: Type.String(),
  name: Type.String(),
  lead: Type.Union([TeamMemberOutput, Type.Null()]),
  members: Type.Array(TeamMemberOutput),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type TeamOutput = Static<typeof TeamOutput>;

export const TeamsOutput = Type.Object({
  teams: Type.Array(TeamOutput),
  /** Active users in no team. */
  unassigned: Type.Array(TeamMemberOutput),
});
export type TeamsOutput = Static<typeof TeamsOutput>;

export const TeamCreateInput = Type.Object({
  name: TeamName,
  lead_user_id: Type.Optional(UserId),
});

export const TeamUpdateInput = Type.Object(
  {
    name: Type.Optional(TeamName),
    /** `null` removes the lead. */
    lead_user_id: Type.Optional(Type.Union([UserId, Type.Null()])),
  },
  { minProperties: 1 },
);

export const TeamMembersInput = Type.Object({
  user_ids: Type.Array(UserId, { minItems: 1, maxItems: 200 }),
});
