/** Reads of the SCIM tables (writes go through the Writer, in provisioning.ts / server.ts). */
import type { Db } from '../db/open-database.ts';
import { escapeLike, fold } from '../../../shared/rules/text.ts';
import type { JsonObject } from '../../../shared/rules/scim.ts';

export interface ScimUserDbRow {
  user_id: string; org_id: string; connection_id: string; user_name: string; external_id: string | null; active: number;
  resource: string; version: number; created_at: string; updated_at: string;
}

export interface ScimGroupDbRow {
  id: string; org_id: string; connection_id: string; display_name: string; external_id: string | null; member_count: number;
  role_id: string | null; target_org_id: string | null; version: number; created_at: string; updated_at: string;
}

export interface UserBrief {
  id: string; org_id: string; name: string; email: string; role_id: string; status: string; source: string;
}

const USER_COLS = 'user_id, org_id, connection_id, user_name, external_id, active, resource, version, created_at, updated_at';
const GROUP_COLS = 'id, org_id, connection_id, display_name, external_id, member_count, role_id, target_org_id, version, created_at, updated_at';

export function createScimStore(db: Db) {
  const q = {
    user: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE user_id = ? AND org_id = ?`),
    userByName: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? AND user_name_fold = ?`),
    usersAll: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? ORDER BY created_at, user_id`),
    usersCount: db.prepare('SELECT count(*) FROM scim_users WHERE org_id = ?').pluck(),
    usersPage: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? ORDER BY created_at, user_id LIMIT ? OFFSET ?`),
    // A prefix as a range, so the (org_id, user_name_fold) index serves it.
    usersByNamePrefix: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? AND user_name_fold >= ? AND user_name_fold < ? ORDER BY created_at, user_id`),
    usersByNamePrefixCount: db.prepare('SELECT count(*) FROM scim_users WHERE org_id = ? AND user_name_fold >= ? AND user_name_fold < ?').pluck(),
    // In index order (userName, unique per organization): a stable order that needs no sort.
    usersByNamePrefixPage: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? AND user_name_fold >= ? AND user_name_fold < ?
      ORDER BY user_name_fold LIMIT ? OFFSET ?`),
    usersByExternal: db.prepare(`SELECT ${USER_COLS} FROM scim_users WHERE org_id = ? AND external_id = ? ORDER BY created_at, user_id`),
    group: db.prepare(`SELECT ${GROUP_COLS} FROM scim_groups WHERE id = ? AND org_id = ?`),
    groupAny: db.prepare('SELECT id FROM scim_groups WHERE id = ?'),
    groupByName: db.prepare(`SELECT ${GROUP_COLS} FROM scim_groups WHERE org_id = ? AND display_fold = ?`),
    groupsAll: db.prepare(`SELECT ${GROUP_COLS} FROM scim_groups WHERE org_id = ? ORDER BY created_at, id`),
    groupsByExternal: db.prepare(`SELECT ${GROUP_COLS} FROM scim_groups WHERE org_id = ? AND external_id = ? ORDER BY created_at, id`),
    groupsByNamePrefix: db.prepare(`SELECT ${GROUP_COLS} FROM scim_groups WHERE org_id = ? AND display_fold LIKE ? ESCAPE '\\' ORDER BY created_at, id`),
    members: db.prepare(`SELECT m.id, m.user_id, u.name AS display FROM scim_group_members m JOIN users u ON u.id = m.user_id
      WHERE m.group_id = ? ORDER BY m.created_at, m.id`),
    groupsOfUser: db.prepare(`SELECT g.id, g.display_name FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
      WHERE m.user_id = ? ORDER BY g.display_fold`),
    membership: db.prepare('SELECT id FROM scim_group_members WHERE group_id = ? AND user_id = ?'),
    userBrief: db.prepare('SELECT id, org_id, name, email, role_id, status, source FROM users WHERE id = ?'),
    userByEmailInTree: db.prepare(`SELECT id, org_id, name, email, role_id, status, source FROM users
      WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?)) ORDER BY created_at LIMIT 1`),
    userBySubjectInTree: db.prepare(`SELECT u.id, u.org_id, u.name, u.email, u.role_id, u.status, u.source FROM sso_identities i
      JOIN users u ON u.id = i.user_id WHERE i.subject_fold = ? AND u.org_id IN (SELECT value FROM json_each(?)) ORDER BY i.created_at LIMIT 1`),
    emailOwnerInTree: db.prepare(`SELECT id FROM users WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?)) AND id <> ? LIMIT 1`),
    scimLinked: db.prepare('SELECT user_id FROM scim_users WHERE user_id = ?').pluck(),
  };

  return {
    user: (id: string, orgId: string) => q.user.get(id, orgId) as ScimUserDbRow | undefined,
    userByName: (orgId: string, userName: string) => q.userByName.get(orgId, userName.toLowerCase()) as ScimUserDbRow | undefined,
    usersCount: (orgId: string) => q.usersCount.get(orgId) as number,
    usersPage: (orgId: string, limit: number, offset: number) => q.usersPage.all(orgId, limit, offset) as ScimUserDbRow[],
    /** Candidates for a filter: narrowed by an indexable condition when there is one. */
    userCandidates(orgId: string, narrow: { attribute: string; op: 'eq' | 'sw'; value: string } | null): ScimUserDbRow[] {
      if (narrow?.attribute === 'userName') {
        if (narrow.op === 'eq') { const r = q.userByName.get(orgId, narrow.value.toLowerCase()) as ScimUserDbRow | undefined; return r ? [r] : []; }
        const prefix = narrow.value.toLowerCase();
        return q.usersByNamePrefix.all(orgId, prefix, `${prefix}\u{10FFFF}`) as ScimUserDbRow[];
      }
      if (narrow?.attribute === 'externalId' && narrow.op === 'eq') return q.usersByExternal.all(orgId, narrow.value) as ScimUserDbRow[];
      if (narrow?.attribute === 'id' && narrow.op === 'eq') { const r = q.user.get(narrow.value, orgId) as ScimUserDbRow | undefined; return r ? [r] : []; }
      return q.usersAll.all(orgId) as ScimUserDbRow[];
    },
    /**
     * One page of the users an indexable condition selects, and how many it selects in all, without
     * reading the others (a `userName sw` over thousands of users pages in SQL).
     */
    userPageByCondition(orgId: string, narrow: { attribute: string; op: 'eq' | 'sw'; value: string }, limit: number, offset: number): { total: number; rows: ScimUserDbRow[] } {
      if (narrow.attribute === 'userName' && narrow.op === 'sw') {
        const prefix = narrow.value.toLowerCase();
        const end = `${prefix}\u{10FFFF}`;
        return {
          total: q.usersByNamePrefixCount.get(orgId, prefix, end) as number,
          rows: limit === 0 ? [] : q.usersByNamePrefixPage.all(orgId, prefix, end, limit, offset) as ScimUserDbRow[],
        };
      }
      const all = this.userCandidates(orgId, narrow);
      return { total: all.length, rows: all.slice(offset, offset + limit) };
    },
    group: (id: string, orgId: string) => q.group.get(id, orgId) as ScimGroupDbRow | undefined,
    isGroupId: (id: string) => q.groupAny.get(id) !== undefined,
    groupByName: (orgId: string, name: string) => q.groupByName.get(orgId, name.toLowerCase()) as ScimGroupDbRow | undefined,
    groupsAll: (orgId: string) => q.groupsAll.all(orgId) as ScimGroupDbRow[],
    groupCandidates(orgId: string, narrow: { attribute: string; op: 'eq' | 'sw'; value: string } | null): ScimGroupDbRow[] {
      if (narrow?.attribute === 'displayName') {
        if (narrow.op === 'eq') { const r = q.groupByName.get(orgId, narrow.value.toLowerCase()) as ScimGroupDbRow | undefined; return r ? [r] : []; }
        return q.groupsByNamePrefix.all(orgId, `${escapeLike(narrow.value.toLowerCase())}%`) as ScimGroupDbRow[];
      }
      if (narrow?.attribute === 'externalId' && narrow.op === 'eq') return q.groupsByExternal.all(orgId, narrow.value) as ScimGroupDbRow[];
      if (narrow?.attribute === 'id' && narrow.op === 'eq') { const r = q.group.get(narrow.value, orgId) as ScimGroupDbRow | undefined; return r ? [r] : []; }
      return q.groupsAll.all(orgId) as ScimGroupDbRow[];
    },
    members: (groupId: string) => q.members.all(groupId) as { id: string; user_id: string; display: string }[],
    groupsOfUser: (userId: string) => q.groupsOfUser.all(userId) as { id: string; display_name: string }[],
    membershipId: (groupId: string, userId: string) => (q.membership.get(groupId, userId) as { id: string } | undefined)?.id,
    userBrief: (id: string) => q.userBrief.get(id) as UserBrief | undefined,
    userByEmailInTree: (email: string, tree: string[]) => q.userByEmailInTree.get(email.toLowerCase(), JSON.stringify(tree)) as UserBrief | undefined,
    userBySubjectInTree: (subject: string, tree: string[]) => q.userBySubjectInTree.get(fold(subject), JSON.stringify(tree)) as UserBrief | undefined,
    emailTaken: (email: string, tree: string[], selfId: string) => q.emailOwnerInTree.get(email.toLowerCase(), JSON.stringify(tree), selfId) !== undefined,
    isLinked: (userId: string) => q.scimLinked.get(userId) !== undefined,
  };
}
export type ScimStore = ReturnType<typeof createScimStore>;

export const parseResource = (row: ScimUserDbRow): JsonObject => JSON.parse(row.resource) as JsonObject;
