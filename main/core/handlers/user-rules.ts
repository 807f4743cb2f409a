import type { Db } from '../db/open-database.ts';
import { AppError, fieldError } from '../errors.ts';
import type { createOrgTree } from './org-tree.ts';

/**
 * The domain rules of a user's fields that need the database: the users handlers and the Portal's
 * re-run of a console's long mutation (main/core/sync/users-batch.ts) check a user with the same code.
 */
export function createUserRules(db: Db, tree: ReturnType<typeof createOrgTree>) {
  const q = {
    role: db.prepare('SELECT id FROM roles WHERE id = ?'),
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    emailOwner: db.prepare(`SELECT id FROM users WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?)) AND id IS NOT ?`),
  };
  return {
    requireOrg(orgId: string): void {
      if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
    },
    requireRole(roleId: string): void {
      if (!q.role.get(roleId)) throw fieldError('roleId', 'user.role_unknown');
    },
    /** Emails are unique, case-insensitively, across the main organization's tree. */
    assertEmailFree(email: string, orgId: string, selfId: string | null): void {
      const scope = JSON.stringify(tree.subtree(tree.mainOf(orgId)));
      if (q.emailOwner.get(email.toLowerCase(), scope, selfId)) throw fieldError('email', 'user.email_taken');
    },
    assertEmailLoginAllowed(orgId: string): void {
      if (!tree.emailPasswordEnabled(orgId)) throw fieldError('emailLoginEnabled', 'user.email_login_off');
    },
    /** A user moves between the sub-organizations of one main organization, never out of it. */
    assertMoveInsideTree(fromOrgId: string, toOrgId: string): void {
      if (tree.mainOf(toOrgId) !== tree.mainOf(fromOrgId)) throw fieldError('orgId', 'user.move_outside_tree');
    },
  };
}
