/**
 * The operations of the Portal REST API (/api/v1), in the core: every one authenticates the
 * presented key first (api-keys/keys.ts), keeps to the key's organization tree, and writes through
 * the same handlers and mutation pipeline as the console, with the key as the audit actor.
 * main/portal/rest-api only turns HTTP into these calls and their errors into status codes.
 */
import type { CoreDeps } from '../handlers/context.ts';
import type { ParsedIn } from '../../../shared/contract.ts';
import type { UserRow } from '../../../shared/model/user.ts';
import {
  RestNewUser, RestUserPatch, RestUserQuery, type RestImportResult, type RestOrganization, type RestUser,
} from '../../../shared/model/api-keys.ts';
import { AppError, fieldError, fromZodError } from '../errors.ts';
import { createUserHandlers } from '../handlers/users.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { importUsers } from '../user-sheets/import-users.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';
import type { ApiGrant, ApiKeyStore } from './keys.ts';
import { apiRoleMayAssign } from '../../../shared/rules/api-keys.ts';
import { callScope, type Row } from '../mutations/pipeline.ts';
import { REDACTED } from '../../../shared/model/audit.ts';

const toRestUser = (u: UserRow): RestUser => ({
  id: u.id, organizationId: u.orgId, name: u.name, email: u.email, role: u.roleName, status: u.status, source: u.source,
  emailLoginEnabled: u.emailLoginEnabled, createdAt: u.createdAt, updatedAt: u.updatedAt, version: u.version,
});

export function createRestOperations(deps: CoreDeps, keys: ApiKeyStore, transfers: TransferStore) {
  const { db } = deps;
  const users = createUserHandlers(deps);
  const tree = createOrgTree(db);
  const q = {
    orgs: db.prepare(`SELECT id, type, parent_id, name, email, language, country FROM organizations
      WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id`),
    roleByName: db.prepare('SELECT id FROM roles WHERE name_fold = ?'),
    roleName: db.prepare('SELECT name FROM roles WHERE id = ?'),
    userOrg: db.prepare('SELECT org_id FROM users WHERE id = ?'),
    emailOwner: db.prepare('SELECT id FROM users WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?)) AND id IS NOT ?'),
  };

  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, value: unknown): T => {
    const r = schema.safeParse(value ?? {});
    if (!r.success) throw fromZodError(r.error);
    return r.data;
  };
  /** An organization the request names must be in the key's tree: naming one outside it is forbidden, not missing. */
  const orgInScope = (grant: ApiGrant, orgId: string | undefined, field = 'organizationId'): string => {
    const id = orgId ?? grant.orgId;
    if (!grant.scope.has(id)) throw new AppError('FORBIDDEN', 'apiKey.org_outside', undefined, { [field]: [{ key: 'apiKey.org_outside' }] });
    return id;
  };
  /** A user outside the key's tree does not exist as far as the key can tell. */
  const userInScope = (grant: ApiGrant, id: string): UserRow => {
    const row = q.userOrg.get(id) as { org_id: string } | undefined;
    if (!row || !grant.scope.has(row.org_id)) throw new AppError('NOT_FOUND', 'user.not_found');
    return users['users.get']({ id });
  };
  const roleId = (name: string): string => {
    const r = q.roleByName.get(name.trim().toLowerCase()) as { id: string } | undefined;
    if (!r) throw fieldError('role', 'apiKey.role_unknown_name', { role: name });
    return r.id;
  };
  const roleName = (id: string) => (q.roleName.get(id) as { name: string } | undefined)?.name ?? id;
  /** No escalation through a key: it hands out, and touches users of, roles up to its own. */
  const assertMayAssign = (grant: ApiGrant, target: string) => {
    if (apiRoleMayAssign(grant.roleId, target)) return;
    const params = { keyRole: roleName(grant.roleId), role: roleName(target) };
    throw new AppError('FORBIDDEN', 'apiKey.role_above_key', params, { role: [{ key: 'apiKey.role_above_key', params }] });
  };
  const assertMayChange = (grant: ApiGrant, user: UserRow) => {
    if (!apiRoleMayAssign(grant.roleId, user.roleId)) {
      throw new AppError('FORBIDDEN', 'apiKey.user_above_key', { keyRole: roleName(grant.roleId), role: user.roleName });
    }
  };

  /**
   * The call's input is what sync records for a change made on a console connected to a Portal:
   * the presented key must not be kept (or shipped) with it.
   */
  const authenticate = (presented: string, operation: Parameters<ApiKeyStore['authenticate']>[1]): ApiGrant => {
    const scope = callScope.getStore();
    if (scope && scope.input !== null && typeof scope.input === 'object' && 'key' in scope.input) {
      scope.input = { ...(scope.input as Record<string, unknown>), key: REDACTED };
    }
    return keys.authenticate(presented, operation);
  };

  return {
    authorize(input: ParsedIn<'api.authorize'>) {
      const grant = authenticate(input.key, input.operation);
      return { keyId: grant.keyId, orgId: grant.orgId };
    },

    organizations(input: ParsedIn<'api.organizations'>): { items: RestOrganization[] } {
      const grant = authenticate(input.key, 'organizations.read');
      const rows = q.orgs.all(JSON.stringify([...grant.scope])) as
        { id: string; type: RestOrganization['type']; parent_id: string | null; name: string; email: string; language: string; country: string }[];
      return {
        items: rows.map((o) => ({
          id: o.id, type: o.type, name: o.name, email: o.email, language: o.language, country: o.country,
          // The key's own organization is the top of what it sees.
          parentId: o.id === grant.orgId ? null : o.parent_id,
        })),
      };
    },

    usersList(input: ParsedIn<'api.usersList'>) {
      const grant = authenticate(input.key, 'users.read');
      const query = parse(RestUserQuery, input.query);
      const orgId = orgInScope(grant, query.organizationId);
      const page = users['users.list']({
        orgId, includeSubOrgs: query.includeSubOrganizations, query: query.q, status: query.status,
        sort: 'name', dir: 'asc', offset: query.offset, limit: query.limit,
      });
      return { total: page.total, offset: query.offset, limit: query.limit, items: page.items.map(toRestUser) };
    },

    usersGet(input: ParsedIn<'api.usersGet'>): RestUser {
      const grant = authenticate(input.key, 'users.read');
      return toRestUser(userInScope(grant, input.id));
    },

    async usersCreate(input: ParsedIn<'api.usersCreate'>): Promise<RestUser> {
      const grant = authenticate(input.key, 'users.write');
      const body = parse(RestNewUser, input.body);
      const orgId = orgInScope(grant, body.organizationId);
      const role = body.role === undefined ? roleId('Read-only') : roleId(body.role);
      assertMayAssign(grant, role);
      const created = await users['users.create']({
        orgId, name: body.name, email: body.email, roleId: role, emailLoginEnabled: body.emailLoginEnabled,
      }, { actor: grant.actor });
      return toRestUser(created);
    },

    usersUpdate(input: ParsedIn<'api.usersUpdate'>): RestUser {
      const grant = authenticate(input.key, 'users.write');
      const current = userInScope(grant, input.id);
      const body = parse(RestUserPatch, input.body);
      assertMayChange(grant, current);
      const patch: Row = {};
      if (body.name !== undefined) patch.name = body.name;
      if (body.role !== undefined) {
        patch.roleId = roleId(body.role);
        assertMayAssign(grant, patch.roleId as string);
      }
      if (body.status !== undefined) patch.status = body.status;
      const targetOrg = body.organizationId ?? current.orgId;
      if (body.organizationId !== undefined && body.organizationId !== current.orgId) {
        orgInScope(grant, body.organizationId);
        // A user moves between the organizations of one main organization, never out of it (as in the console).
        if (tree.mainOf(body.organizationId) !== tree.mainOf(current.orgId)) throw fieldError('organizationId', 'user.move_outside_tree');
        patch.orgId = body.organizationId;
      }
      if (body.email !== undefined) {
        const scope = JSON.stringify(tree.subtree(tree.mainOf(targetOrg)));
        if (q.emailOwner.get(body.email.toLowerCase(), scope, current.id)) throw fieldError('email', 'user.email_taken');
        patch.email = body.email;
      }
      // One mutation for every field, so a rename with a status change is all or nothing.
      deps.mutations.run('users.update', grant.actor, (w) => {
        w.update('user', current.id, patch, body.version);
      });
      return toRestUser(users['users.get']({ id: current.id }));
    },

    async usersImport(input: ParsedIn<'api.usersImport'>): Promise<RestImportResult> {
      try {
        const grant = authenticate(input.key, 'users.import');
        const orgId = orgInScope(grant, input.organizationId);
        const file = transfers.completed(input.fileId);
        // The request waits for the result (Flexopus answers the import in the response). The
        // importer takes the core's writer for its classify and apply phases, like a console import.
        const result = await importUsers(
          { deps, transfers },
          {
            orgId, file: { path: file.path, filename: input.filename }, language: input.language, actor: grant.actor,
            options: { ...input.options, allOrNothing: false },
            // As for single users: no role above the key's handed out, no user above it changed or deactivated.
            mayTouchRole: (role) => apiRoleMayAssign(grant.roleId, role),
          },
          { signal: new AbortController().signal, progress: () => undefined },
        );
        // The console's error report (.xlsx) has no way out through this API: drop it.
        if (result.errorReportFileId) transfers.discard(result.errorReportFileId);
        return {
          dryRun: result.dryRun, created: result.created, updated: result.updated, deleted: result.deleted,
          skipped: result.skipped, errors: result.errors, errorMessages: result.errorMessages, rows: result.rows,
          filename: result.filename,
        };
      } finally {
        transfers.discard(input.fileId);
      }
    },
  };
}
