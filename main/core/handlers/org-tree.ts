import type { Db } from '../db/open-database.ts';

/**
 * Tree queries the handlers share. The "main organization" of an organization is where its
 * organization-wide settings live and where user emails must be unique: the client it belongs to
 * (itself for a client), or the partner for the partner's own staff. Its tree is it plus every
 * sub-organization below it.
 */
export function createOrgTree(db: Db) {
  const q = {
    mainOf: db.prepare(`WITH RECURSIVE up(id, type, parent_id, depth) AS (
        SELECT id, type, parent_id, 0 FROM organizations WHERE id = ?
        UNION ALL SELECT o.id, o.type, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id AND up.type = 'suborg')
      SELECT id FROM up WHERE type IN ('client','partner') ORDER BY depth LIMIT 1`),
    subtree: db.prepare(`WITH RECURSIVE down(id) AS (
        SELECT id FROM organizations WHERE id = ?
        UNION ALL SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id AND o.type = 'suborg')
      SELECT id FROM down`),
    emailPassword: db.prepare('SELECT email_password_enabled AS on_ FROM organizations WHERE id = ?'),
    named: db.prepare('SELECT id, name, parent_id FROM organizations WHERE id IN (SELECT value FROM json_each(?))'),
  };
  return {
    /** The main organization (client or partner) an organization belongs to. */
    mainOf(orgId: string): string {
      const row = q.mainOf.get(orgId) as { id: string } | undefined;
      return row?.id ?? orgId;
    },
    /** The organization and all sub-organizations below it. */
    subtree(orgId: string): string[] {
      return (q.subtree.all(orgId) as { id: string }[]).map((r) => r.id);
    },
    /**
     * The organizations of `rootId`'s subtree with their path from the root as people write it in a
     * spreadsheet: "Labs" directly below, "Labs / Lisbon" deeper; the root is its own name.
     */
    pathsBelow(rootId: string): { id: string; name: string; path: string }[] {
      const rows = q.named.all(JSON.stringify(this.subtree(rootId))) as { id: string; name: string; parent_id: string | null }[];
      const byId = new Map(rows.map((o) => [o.id, o]));
      const pathOf = (id: string): string => {
        const o = byId.get(id)!;
        return o.id === rootId || !o.parent_id || !byId.has(o.parent_id) ? o.name : `${pathOf(o.parent_id)} / ${o.name}`;
      };
      return rows.map((o) => ({ id: o.id, name: o.name, path: pathOf(o.id) }));
    },
    /** Email/password sign-in is switched on the main organization and inherited below it. */
    emailPasswordEnabled(orgId: string): boolean {
      const row = q.emailPassword.get(this.mainOf(orgId)) as { on_: number } | undefined;
      return row?.on_ === 1;
    },
  };
}
export type OrgTree = ReturnType<typeof createOrgTree>;
