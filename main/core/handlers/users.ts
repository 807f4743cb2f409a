import { newId as uuidv7 } from '../ids.ts';
import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Role, UserRow } from '../../../shared/model/user.ts';
import { escapeLike } from '../../../shared/rules/text.ts';
import { AppError, fieldError } from '../errors.ts';
import { createOrgTree } from './org-tree.ts';
import { createUserRules } from './user-rules.ts';
import type { Row } from '../mutations/pipeline.ts';
import type { LongOp } from '../mutations/long-mutation.ts';
import { writeOps } from '../mutations/write-ops.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Actor } from '../../../shared/model/organization.ts';

/** Above this many writes, a bulk action runs as a long mutation (see ARCHITECTURE.md). */
const BULK_SLICE = 1000;

interface UserDbRow {
  id: string; org_id: string; org_name: string; name: string; email: string; role_id: string; role_name: string;
  status: UserRow['status']; source: UserRow['source']; email_login_enabled: number; last_login_at: string | null;
  created_at: string; created_by: string | null; cb_name: string | null; cb_email: string | null;
  updated_at: string; updated_by: string | null; ub_name: string | null; ub_email: string | null; version: number;
}

const SELECT_USER = `SELECT u.id, u.org_id, o.name AS org_name, u.name, u.email, u.role_id, r.name AS role_name, u.status, u.source,
    u.email_login_enabled, u.last_login_at, u.created_at, u.created_by, cb.name AS cb_name, cb.email AS cb_email,
    u.updated_at, u.updated_by, ub.name AS ub_name, ub.email AS ub_email, u.version
  FROM users u JOIN organizations o ON o.id = u.org_id JOIN roles r ON r.id = u.role_id
  LEFT JOIN actors cb ON cb.id = u.created_by LEFT JOIN actors ub ON ub.id = u.updated_by`;

const SORT_SQL: Record<ParsedIn<'users.list'>['sort'], string> = {
  name: 'u.name COLLATE NOCASE', email: 'u.email_fold', role: 'r.name', organization: 'o.name COLLATE NOCASE',
  status: 'u.status', source: 'u.source', createdAt: 'u.created_at', lastLogin: 'u.last_login_at',
};

export function toUserRow(r: UserDbRow): UserRow {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, email: r.email, roleId: r.role_id, roleName: r.role_name,
    status: r.status, source: r.source, emailLoginEnabled: r.email_login_enabled === 1,
    signIn: r.email_login_enabled === 1 ? 'email' : 'none', lastLoginAt: r.last_login_at,
    createdAt: r.created_at, createdBy: r.created_by ? { id: r.created_by, name: r.cb_name ?? '', email: r.cb_email ?? '' } : null,
    updatedAt: r.updated_at, updatedBy: r.updated_by ? { id: r.updated_by, name: r.ub_name ?? '', email: r.ub_email ?? '' } : null,
    version: r.version,
  };
}

export function createUserHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const tree = createOrgTree(db);
  const q = {
    roles: db.prepare('SELECT id, name, description, built_in FROM roles ORDER BY built_in DESC, name'),
    user: db.prepare(`${SELECT_USER} WHERE u.id = ?`),
  };
  const { requireOrg, requireRole, assertEmailFree, assertEmailLoginAllowed, assertMoveInsideTree } = createUserRules(db, tree);

  const getUser = (id: string): UserRow => {
    const r = q.user.get(id) as UserDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'user.not_found');
    return toUserRow(r);
  };
  /** The WHERE clause of a users filter (the list's and "select all N matching"'s). */
  function matching(input: ParsedIn<'users.matchingIds'>['filter']) {
    requireOrg(input.orgId);
    const orgIds = input.includeSubOrgs ? tree.subtree(input.orgId) : [input.orgId];
    // One organization: an equality, so the (org_id, name) index also gives the order.
    const where = [orgIds.length === 1 ? 'u.org_id = @orgId' : 'u.org_id IN (SELECT value FROM json_each(@orgIds))'];
    const params: Record<string, unknown> = orgIds.length === 1 ? { orgId: orgIds[0] } : { orgIds: JSON.stringify(orgIds) };
    // SCIM users show once their group has a role mapped (or once archived); see main/core/scim.
    where.push(`(u.source <> 'scim' OR u.status = 'archived' OR EXISTS (SELECT 1 FROM scim_group_members sm
      JOIN scim_groups sg ON sg.id = sm.group_id WHERE sm.user_id = u.id AND sg.role_id IS NOT NULL))`);
    if (input.query.trim()) {
      where.push("(u.name LIKE @q ESCAPE '\\' OR u.email_fold LIKE @q ESCAPE '\\')");
      params.q = `%${escapeLike(input.query.trim().toLowerCase())}%`;
    }
    if (input.status) { where.push('u.status = @status'); params.status = input.status; }
    if (input.roleId) { where.push('u.role_id = @roleId'); params.roleId = input.roleId; }
    if (input.source) { where.push('u.source = @source'); params.source = input.source; }
    return { clause: where.join(' AND '), params };
  }

  /**
   * One bulk action as ONE mutation: `decide` turns each user into the ops it needs (or throws, and
   * nothing is written). A few users: one short transaction. Thousands ("select all 80,000
   * matching"): a long mutation applied by the apply worker, so the window's queries keep
   * answering; still all or nothing. The caller holds the writer (a mutation-kind method).
   */
  async function bulk(name: string, actor: Actor, ids: readonly string[], decide: (user: UserDbRow) => LongOp[]): Promise<number> {
    const ops: LongOp[] = [];
    for (let i = 0; i < ids.length; i++) {
      const row = q.user.get(ids[i]) as UserDbRow | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'user.not_found');
      ops.push(...decide(row));
      if ((i + 1) % BULK_SLICE === 0) await nextTurn();
    }
    const count = ops.filter((op) => op.op !== 'welcome').length; // counted before writeOps consumes them
    if (count > 0) await writeOps(deps, name, actor, ops);
    return count;
  }

  return {
    'roles.list': (): Out<'roles.list'> => ({
      items: (q.roles.all() as { id: string; name: string; description: string; built_in: number }[])
        .map((r): Role => ({ id: r.id, name: r.name, description: r.description, builtIn: r.built_in === 1 })),
    }),

    'users.list': (input: ParsedIn<'users.list'>): Out<'users.list'> => {
      const { clause, params } = matching(input);
      const total = (db.prepare(`SELECT count(*) AS n FROM users u WHERE ${clause}`).get(params) as { n: number }).n;
      const dir = input.dir === 'desc' ? 'DESC' : 'ASC';
      const rows = db.prepare(`${SELECT_USER} WHERE ${clause} ORDER BY ${SORT_SQL[input.sort]} ${dir}, u.id ${dir} LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: input.limit, offset: input.offset }) as UserDbRow[];
      return { total, items: rows.map(toUserRow) };
    },

    /** Every user a filter matches, minus some: "select all 80,000 matching" turned into ids at once. */
    'users.matchingIds': (input: ParsedIn<'users.matchingIds'>): Out<'users.matchingIds'> => {
      const { clause, params } = matching(input.filter);
      const except = new Set(input.except);
      const ids = (db.prepare(`SELECT u.id FROM users u WHERE ${clause}`).pluck().all(params) as string[]).filter((id) => !except.has(id));
      return { ids };
    },

    'users.get': (input: ParsedIn<'users.get'>): Out<'users.get'> => getUser(input.id),

    'users.create': async (input: ParsedIn<'users.create'>, ctx: CallContext): Promise<Out<'users.create'>> => {
      requireOrg(input.orgId);
      requireRole(input.roleId);
      assertEmailFree(input.email, input.orgId, null);
      if (input.emailLoginEnabled) assertEmailLoginAllowed(input.orgId);
      const id = uuidv7();
      // With email login on, the welcome email is queued in the same transaction as the user.
      await writeOps(deps, 'users.create', ctx.actor, [
        { op: 'create', entity: 'user', id, values: {
          orgId: input.orgId, name: input.name, email: input.email, roleId: input.roleId, status: 'active',
          source: 'manual', emailLoginEnabled: input.emailLoginEnabled,
        } },
        ...(input.emailLoginEnabled ? [{ op: 'welcome', userId: id } as const] : []),
      ]);
      return getUser(id);
    },

    'users.update': (input: ParsedIn<'users.update'>, ctx: CallContext): Out<'users.update'> => {
      const current = getUser(input.id);
      const { changes } = input;
      if (changes.roleId !== undefined) requireRole(changes.roleId);
      const targetOrg = changes.orgId ?? current.orgId;
      if (changes.orgId !== undefined && changes.orgId !== current.orgId) {
        requireOrg(changes.orgId);
        assertMoveInsideTree(current.orgId, changes.orgId);
      }
      if (changes.email !== undefined) assertEmailFree(changes.email, targetOrg, current.id);
      mutations.run('users.update', ctx.actor, (w) => {
        w.update('user', input.id, changes as Row, input.baseVersion);
      });
      return getUser(input.id);
    },

    'users.setStatus': async (input: ParsedIn<'users.setStatus'>, ctx: CallContext): Promise<Out<'users.setStatus'>> => ({
      changed: await bulk('users.setStatus', ctx.actor, input.ids, (u) =>
        u.status === input.status ? [] : [{ op: 'update', entity: 'user', id: u.id, patch: { status: input.status } }]),
    }),

    'users.setEmailLogin': async (input: ParsedIn<'users.setEmailLogin'>, ctx: CallContext): Promise<Out<'users.setEmailLogin'>> => {
      const allowed = new Map<string, boolean>();
      const changed = await bulk('users.setEmailLogin', ctx.actor, input.ids, (u) => {
        if (input.enabled) {
          if (!allowed.has(u.org_id)) allowed.set(u.org_id, tree.emailPasswordEnabled(u.org_id));
          if (!allowed.get(u.org_id)) throw fieldError('emailLoginEnabled', 'user.email_login_off');
        }
        if ((u.email_login_enabled === 1) === input.enabled) return [];
        // Switched on: the welcome email goes out in the same transaction.
        return [{ op: 'update', entity: 'user', id: u.id, patch: { emailLoginEnabled: input.enabled } },
          ...(input.enabled ? [{ op: 'welcome', userId: u.id } as const] : [])];
      });
      return { changed };
    },

    'users.delete': async (input: ParsedIn<'users.delete'>, ctx: CallContext): Promise<Out<'users.delete'>> => ({
      deleted: await bulk('users.delete', ctx.actor, input.ids, (u) => [{ op: 'delete', entity: 'user', id: u.id }]),
    }),
  };
}
