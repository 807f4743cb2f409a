/** Every contract method of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4) (shared/contract-scim.ts). */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import { AppError, fieldError } from '../errors.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { ScimGroupRow } from '../../../shared/model/scim.ts';
import { createScimServer } from './server.ts';
import { SCIM_ACTOR, createMappingRules } from './provisioning.ts';

/** How often archived SCIM users past their retention period are looked for. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

interface GroupDbRow {
  id: string; display_name: string; external_id: string | null; member_count: number; role_id: string | null; role_name: string | null;
  target_org_id: string | null; org_name: string | null; updated_at: string; version: number;
}

export function createScimHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const server = createScimServer(deps);
  const tree = createOrgTree(db);
  const mapping = createMappingRules(db);
  const q = {
    org: db.prepare('SELECT id, name FROM organizations WHERE id = ?'),
    // Counted live: a user deleted in the console leaves its memberships by cascade, not through SCIM.
    groups: db.prepare(`SELECT g.id, g.display_name, g.external_id,
        (SELECT count(*) FROM scim_group_members m WHERE m.group_id = g.id) AS member_count, g.role_id, r.name AS role_name, g.target_org_id,
        o.name AS org_name, g.updated_at, g.version
      FROM scim_groups g LEFT JOIN roles r ON r.id = g.role_id LEFT JOIN organizations o ON o.id = g.target_org_id
      WHERE g.org_id = ? ORDER BY g.display_fold`),
    group: db.prepare(`SELECT g.id, g.org_id, g.display_name, g.external_id, g.member_count, g.role_id, r.name AS role_name, g.target_org_id,
        o.name AS org_name, g.updated_at, g.version
      FROM scim_groups g LEFT JOIN roles r ON r.id = g.role_id LEFT JOIN organizations o ON o.id = g.target_org_id WHERE g.id = ?`),
    conflicts: db.prepare(`SELECT u.id, u.name, u.email, s.user_name, group_concat(g.display_name, char(31)) AS groups
      FROM scim_users s JOIN users u ON u.id = s.user_id JOIN scim_group_members m ON m.user_id = u.id JOIN scim_groups g ON g.id = m.group_id
      WHERE s.org_id = ? GROUP BY u.id HAVING count(*) > 1 ORDER BY u.name COLLATE NOCASE`),
    scimUsers: db.prepare('SELECT count(*) FROM scim_users WHERE org_id = ?').pluck(),
    unlisted: db.prepare(`SELECT count(*) FROM scim_users s JOIN users u ON u.id = s.user_id WHERE s.org_id = ? AND u.status <> 'archived'
      AND NOT EXISTS (SELECT 1 FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id WHERE m.user_id = u.id AND g.role_id IS NOT NULL)`).pluck(),
    retention: db.prepare('SELECT archived_retention_days FROM scim_settings WHERE org_id = ?').pluck(),
    settingsOrgs: db.prepare('SELECT org_id, archived_retention_days FROM scim_settings WHERE archived_retention_days IS NOT NULL'),
    role: db.prepare('SELECT id, name FROM roles WHERE id = ?'),
    roleName: db.prepare('SELECT name FROM roles WHERE id = ?').pluck(),
    orgName: db.prepare('SELECT name FROM organizations WHERE id = ?').pluck(),
    // Archived SCIM-managed users of a tree not changed since the cut-off.
    expired: db.prepare(`SELECT u.id FROM users u WHERE u.source = 'scim' AND u.status = 'archived' AND u.updated_at < ?
      AND u.org_id IN (SELECT value FROM json_each(?))`).pluck(),
    membershipsOf: db.prepare('SELECT id, group_id FROM scim_group_members WHERE user_id = ?'),
    linked: db.prepare('SELECT user_id FROM scim_users WHERE user_id = ?').pluck(),
    membersOfGroup: db.prepare('SELECT count(*) FROM scim_group_members WHERE group_id = ?').pluck(),
  };

  const requireOrg = (orgId: string) => {
    if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
  };
  const toGroupRow = (r: GroupDbRow): ScimGroupRow => ({
    id: r.id, name: r.display_name, externalId: r.external_id, memberCount: r.member_count, roleId: r.role_id, roleName: r.role_name,
    orgId: r.target_org_id, orgName: r.org_name, updatedAt: r.updated_at, version: r.version,
  });

  /** Inside a mutation: delete the archived SCIM users of a main organization past its retention. */
  const expiredIds = (mainOrgId: string, days: number): string[] => {
    const cutoff = new Date(deps.clock.now().getTime() - days * 86_400_000).toISOString();
    return q.expired.all(cutoff, JSON.stringify(tree.subtree(mainOrgId))) as string[];
  };
  function purge(w: Writer, mainOrgId: string, days: number): number {
    const ids = expiredIds(mainOrgId, days);
    for (const id of ids) {
      const groups = new Set<string>();
      for (const m of q.membershipsOf.all(id) as { id: string; group_id: string }[]) { w.delete('scimMember', m.id); groups.add(m.group_id); }
      for (const g of groups) w.update('scimGroup', g, { memberCount: q.membersOfGroup.get(g) as number });
      if (q.linked.get(id)) w.delete('scimUser', id);
      w.delete('user', id);
    }
    return ids.length;
  }

  // Retention runs on its own: a minute after start, then hourly; unref'd so it never keeps a process alive.
  const purgeDue = () => {
    if (!db.open) return;
    void deps.withWriter(() => {
      if (!db.open) return;
      for (const s of q.settingsOrgs.all() as { org_id: string; archived_retention_days: number }[]) {
        // Most hours there is nothing to delete: no mutation (and no write) then.
        if (expiredIds(s.org_id, s.archived_retention_days).length === 0) continue;
        mutations.run('scim.purgeArchived', SCIM_ACTOR, (w) => purge(w, s.org_id, s.archived_retention_days));
      }
    }).catch(() => undefined);
  };
  setTimeout(purgeDue, 60_000).unref();
  setInterval(purgeDue, PURGE_INTERVAL_MS).unref();

  return {
    'scim.handle': (input: ParsedIn<'scim.handle'>): Promise<Out<'scim.handle'>> => server.handle(input),

    'scim.overview': (input: ParsedIn<'scim.overview'>): Out<'scim.overview'> => {
      requireOrg(input.orgId);
      const mainOrgId = tree.mainOf(input.orgId);
      const main = q.org.get(mainOrgId) as { id: string; name: string };
      return {
        mainOrgId,
        mainOrgName: main.name,
        groups: (q.groups.all(mainOrgId) as GroupDbRow[]).map(toGroupRow),
        conflicts: (q.conflicts.all(mainOrgId) as { id: string; name: string; email: string; user_name: string; groups: string }[])
          .map((c) => ({ userId: c.id, name: c.name, email: c.email, userName: c.user_name, groups: c.groups.split('\u001f') })),
        organizations: tree.pathsBelow(mainOrgId).sort((a, b) => (a.id === mainOrgId ? -1 : b.id === mainOrgId ? 1 : a.path.localeCompare(b.path))),
        scimUsers: q.scimUsers.get(mainOrgId) as number,
        unlistedUsers: q.unlisted.get(mainOrgId) as number,
        archivedRetentionDays: (q.retention.get(mainOrgId) as number | null | undefined) ?? null,
      };
    },

    'scim.mapGroup': (input: ParsedIn<'scim.mapGroup'>, ctx: CallContext): Out<'scim.mapGroup'> => {
      const group = q.group.get(input.groupId) as (GroupDbRow & { org_id: string }) | undefined;
      if (!group) throw new AppError('NOT_FOUND', 'scim.group_not_found');
      if (input.roleId !== null && !q.role.get(input.roleId)) throw fieldError('roleId', 'scim.role_unknown');
      if (input.orgId !== null && (!q.org.get(input.orgId) || !tree.subtree(group.org_id).includes(input.orgId))) {
        throw fieldError('orgId', 'scim.org_outside_tree');
      }
      // The main organization itself is stored as "no sub-organization".
      const targetOrgId = input.orgId === group.org_id ? null : input.orgId;
      mutations.run('scim.mapGroup', ctx.actor, (w) => {
        w.update('scimGroup', group.id, { roleId: input.roleId, targetOrgId }, input.baseVersion);
      });
      return toGroupRow(q.group.get(group.id) as GroupDbRow);
    },

    'scim.syncRoles': (input: ParsedIn<'scim.syncRoles'>, ctx: CallContext): Out<'scim.syncRoles'> => {
      requireOrg(input.orgId);
      const mainOrgId = tree.mainOf(input.orgId);
      const decided = mapping.decide(mainOrgId, null);
      if (decided.changes.length > 0) mutations.run('scim.syncRoles', ctx.actor, (w) => mapping.apply(w, decided.changes));
      const roleName = (id: string) => (q.roleName.get(id) as string | undefined) ?? id;
      const orgName = (id: string) => (q.orgName.get(id) as string | undefined) ?? id;
      return {
        changed: decided.changes.map((c) => ({
          userId: c.userId, name: c.name, email: c.email, group: c.group,
          fromRole: roleName(c.fromRoleId), toRole: roleName(c.toRoleId), fromOrg: orgName(c.fromOrgId), toOrg: orgName(c.toOrgId),
        })),
        unchanged: decided.unchanged,
        skippedConflicts: decided.conflicts.map((c) => ({ userId: c.user_id, name: c.name, email: c.email })),
        skippedUnmapped: decided.unmapped,
      };
    },

    'scim.setRetention': (input: ParsedIn<'scim.setRetention'>, ctx: CallContext): Out<'scim.setRetention'> => {
      requireOrg(input.orgId);
      const mainOrgId = tree.mainOf(input.orgId);
      mutations.run('scim.setRetention', ctx.actor, (w) => {
        if (w.read('scimSettings', mainOrgId)) w.update('scimSettings', mainOrgId, { archivedRetentionDays: input.days });
        else w.create('scimSettings', mainOrgId, { archivedRetentionDays: input.days }, { archivedRetentionDays: null });
      });
      return { archivedRetentionDays: input.days };
    },

    'scim.purgeArchived': (input: ParsedIn<'scim.purgeArchived'>, ctx: CallContext): Out<'scim.purgeArchived'> => {
      requireOrg(input.orgId);
      const mainOrgId = tree.mainOf(input.orgId);
      const days = q.retention.get(mainOrgId) as number | null | undefined;
      if (days === null || days === undefined || expiredIds(mainOrgId, days).length === 0) return { deleted: 0 };
      return { deleted: mutations.run('scim.purgeArchived', ctx.actor, (w) => purge(w, mainOrgId, days)) };
    },
  };
}
