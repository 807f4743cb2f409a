/**
 * Provisioning rules shared by the SCIM server and the console: a SCIM user's role and
 * organization come from its ONE group's mapping; a user in two groups is left alone (flagged on
 * the SCIM Provisioning tab); archived SCIM users are deleted after the retention period.
 */
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { Actor } from '../../../shared/model/organization.ts';

/** Who SCIM writes are made by: "Created by / Updated by: SCIM". */
export const SCIM_ACTOR: Actor = { id: 'scim', name: 'SCIM', email: '' };

/** The role a SCIM user gets until its group is mapped: the least privileged one (Read-only). */
export const UNMAPPED_ROLE_ID = '00000000-0000-7000-8000-000000000003';

export interface MappingDecision {
  userId: string;
  name: string;
  email: string;
  group: string;
  fromRoleId: string;
  toRoleId: string;
  fromOrgId: string;
  toOrgId: string;
}

interface MemberRow {
  user_id: string; name: string; email: string; role_id: string; org_id: string;
  group_count: number; group_name: string; group_role: string | null; group_org: string | null;
}

export function createMappingRules(db: Db) {
  const q = {
    // For each SCIM user of a main organization: its groups (how many) and, for one group, its mapping.
    members: db.prepare(`SELECT u.id AS user_id, u.name, u.email, u.role_id, u.org_id,
        (SELECT count(*) FROM scim_group_members x WHERE x.user_id = u.id) AS group_count,
        g.display_name AS group_name, g.role_id AS group_role, g.target_org_id AS group_org
      FROM scim_users s JOIN users u ON u.id = s.user_id
      JOIN scim_group_members m ON m.user_id = u.id JOIN scim_groups g ON g.id = m.group_id
      WHERE s.org_id = ? AND (? IS NULL OR u.id IN (SELECT value FROM json_each(?)))
      GROUP BY u.id`),
    orgExists: db.prepare('SELECT id FROM organizations WHERE id = ?').pluck(),
  };

  /**
   * What a user's role and organization should be, for the SCIM users of `mainOrgId` (all, or only
   * `userIds`): users in exactly one mapped group whose role or organization differs.
   */
  function decide(mainOrgId: string, userIds: readonly string[] | null): { changes: MappingDecision[]; unchanged: number; conflicts: MemberRow[]; unmapped: number } {
    const ids = userIds ? JSON.stringify(userIds) : null;
    const rows = q.members.all(mainOrgId, ids, ids) as MemberRow[];
    const changes: MappingDecision[] = [];
    const conflicts: MemberRow[] = [];
    let unchanged = 0;
    let unmapped = 0;
    for (const r of rows) {
      if (r.group_count > 1) { conflicts.push(r); continue; }
      if (!r.group_role) { unmapped++; continue; }
      const toOrg = r.group_org && q.orgExists.get(r.group_org) ? r.group_org : mainOrgId;
      if (r.role_id === r.group_role && r.org_id === toOrg) { unchanged++; continue; }
      changes.push({ userId: r.user_id, name: r.name, email: r.email, group: r.group_name, fromRoleId: r.role_id, toRoleId: r.group_role, fromOrgId: r.org_id, toOrgId: toOrg });
    }
    return { changes, unchanged, conflicts, unmapped };
  }

  /** Inside a mutation: give the users their group's role and organization. */
  function apply(w: Writer, changes: readonly MappingDecision[]): void {
    for (const c of changes) w.update('user', c.userId, { roleId: c.toRoleId, orgId: c.toOrgId });
  }

  return { decide, apply };
}
export type MappingRules = ReturnType<typeof createMappingRules>;
