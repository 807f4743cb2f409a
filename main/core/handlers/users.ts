import { v7 as uuidv7 } from 'uuid';
import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Role, UserRow } from '../../../shared/model/user.ts';
import { escapeLike } from '../../../shared/rules/text.ts';
import { AppError, fieldError } from '../errors.ts';
import { createOrgTree } from './org-tree.ts';
import { beginLongMutation, type Row, type Writer } from '../mutations/pipeline.ts';
import { openDatabase } from '../db/open-database.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Actor } from '../../../shared/model/organization.ts';

/** Above this many users, a bulk action runs as a chunked long mutation (see ARCHITECTURE.md). */
const BULK_CHUNK = 1000;

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
    role: db.prepare('SELECT id FROM roles WHERE id = ?'),
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    user: db.prepare(`${SELECT_USER} WHERE u.id = ?`),
    emailOwner: db.prepare(`SELECT id FROM users WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?)) AND id IS NOT ?`),
  };

  const getUser = (id: string): UserRow => {
    const r = q.user.get(id) as UserDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'user.not_found');
    return toUserRow(r);
  };
  const requireOrg = (orgId: string) => {
    if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
  };
  const requireRole = (roleId: string) => {
    if (!q.role.get(roleId)) throw fieldError('roleId', 'user.role_unknown');
  };
  /** Emails are unique, case-insensitively, across the main organization's tree. */
  const assertEmailFree = (email: string, orgId: string, selfId: string | null) => {
    const scope = JSON.stringify(tree.subtree(tree.mainOf(orgId)));
    if (q.emailOwner.get(email.toLowerCase(), scope, selfId)) throw fieldError('email', 'user.email_taken');
  };
  const assertEmailLoginAllowed = (orgId: string) => {
    if (!tree.emailPasswordEnabled(orgId)) throw fieldError('emailLoginEnabled', 'user.email_login_off');
  };

  /**
   * Apply `each` to every id as ONE mutation. A few ids: one short transaction. Thousands ("select
   * all 80,000 matching"): one transaction on a second connection, in chunks that yield to the
   * event loop, so the window's queries keep answering; still all or nothing.
   */
  async function bulk(name: string, actor: Actor, ids: readonly string[], each: (w: Writer, id: string) => void): Promise<void> {
    if (ids.length <= BULK_CHUNK) {
      mutations.run(name, actor, (w) => {
        for (const id of ids) each(w, id);
      });
      return;
    }
    const conn = openDatabase(deps.dataDir);
    const long = beginLongMutation(conn, name, actor, () => deps.clock.now());
    try {
      for (let i = 0; i < ids.length; i++) {
        each(long.writer, ids[i]!);
        if ((i + 1) % BULK_CHUNK === 0) await nextTurn();
      }
      deps.committed(long.commit());
    } catch (e) {
      long.rollback();
      throw e;
    } finally {
      conn.close();
    }
  }

  return {
    'roles.list': (): Out<'roles.list'> => ({
      items: (q.roles.all() as { id: string; name: string; description: string; built_in: number }[])
        .map((r): Role => ({ id: r.id, name: r.name, description: r.description, builtIn: r.built_in === 1 })),
    }),

    'users.list': (input: ParsedIn<'users.list'>): Out<'users.list'> => {
      requireOrg(input.orgId);
      const orgIds = input.includeSubOrgs ? tree.subtree(input.orgId) : [input.orgId];
      const where = ['u.org_id IN (SELECT value FROM json_each(@orgIds))'];
      const params: Record<string, unknown> = { orgIds: JSON.stringify(orgIds) };
      if (input.query.trim()) {
        where.push("(u.name LIKE @q ESCAPE '\\' OR u.email_fold LIKE @q ESCAPE '\\')");
        params.q = `%${escapeLike(input.query.trim().toLowerCase())}%`;
      }
      if (input.status) { where.push('u.status = @status'); params.status = input.status; }
      if (input.roleId) { where.push('u.role_id = @roleId'); params.roleId = input.roleId; }
      if (input.source) { where.push('u.source = @source'); params.source = input.source; }
      const clause = where.join(' AND ');
      const total = (db.prepare(`SELECT count(*) AS n FROM users u WHERE ${clause}`).get(params) as { n: number }).n;
      const dir = input.dir === 'desc' ? 'DESC' : 'ASC';
      const rows = db.prepare(`${SELECT_USER} WHERE ${clause} ORDER BY ${SORT_SQL[input.sort]} ${dir}, u.id ${dir} LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: input.limit, offset: input.offset }) as UserDbRow[];
      return { total, items: rows.map(toUserRow) };
    },

    'users.get': (input: ParsedIn<'users.get'>): Out<'users.get'> => getUser(input.id),

    'users.create': (input: ParsedIn<'users.create'>, ctx: CallContext): Out<'users.create'> => {
      requireOrg(input.orgId);
      requireRole(input.roleId);
      assertEmailFree(input.email, input.orgId, null);
      if (input.emailLoginEnabled) assertEmailLoginAllowed(input.orgId);
      const id = uuidv7();
      mutations.run('users.create', ctx.actor, (w) => {
        w.create('user', id, {
          orgId: input.orgId, name: input.name, email: input.email, roleId: input.roleId, status: 'active',
          source: 'manual', emailLoginEnabled: input.emailLoginEnabled,
        });
      });
      return getUser(id);
    },

    'users.update': (input: ParsedIn<'users.update'>, ctx: CallContext): Out<'users.update'> => {
      const current = getUser(input.id);
      const { changes } = input;
      if (changes.roleId !== undefined) requireRole(changes.roleId);
      const targetOrg = changes.orgId ?? current.orgId;
      if (changes.orgId !== undefined && changes.orgId !== current.orgId) {
        requireOrg(changes.orgId);
        // A user moves between the sub-organizations of one main organization, never out of it.
        if (tree.mainOf(changes.orgId) !== tree.mainOf(current.orgId)) throw fieldError('orgId', 'user.move_outside_tree');
      }
      if (changes.email !== undefined) assertEmailFree(changes.email, targetOrg, current.id);
      mutations.run('users.update', ctx.actor, (w) => {
        w.update('user', input.id, changes as Row, input.baseVersion);
      });
      return getUser(input.id);
    },

    'users.setStatus': async (input: ParsedIn<'users.setStatus'>, ctx: CallContext): Promise<Out<'users.setStatus'>> => {
      let changed = 0;
      await bulk('users.setStatus', ctx.actor, input.ids, (w, id) => {
        const row = w.read('user', id);
        if (!row) throw new AppError('NOT_FOUND', 'user.not_found');
        if (row.status !== input.status) {
          w.update('user', id, { status: input.status });
          changed++;
        }
      });
      return { changed };
    },

    'users.setEmailLogin': async (input: ParsedIn<'users.setEmailLogin'>, ctx: CallContext): Promise<Out<'users.setEmailLogin'>> => {
      let changed = 0;
      await bulk('users.setEmailLogin', ctx.actor, input.ids, (w, id) => {
        const row = w.read('user', id);
        if (!row) throw new AppError('NOT_FOUND', 'user.not_found');
        if (input.enabled) assertEmailLoginAllowed(row.orgId as string);
        if (row.emailLoginEnabled !== input.enabled) {
          w.update('user', id, { emailLoginEnabled: input.enabled });
          changed++;
        }
      });
      return { changed };
    },

    'users.delete': async (input: ParsedIn<'users.delete'>, ctx: CallContext): Promise<Out<'users.delete'>> => {
      await bulk('users.delete', ctx.actor, input.ids, (w, id) => w.delete('user', id));
      return { deleted: input.ids.length };
    },
  };
}
