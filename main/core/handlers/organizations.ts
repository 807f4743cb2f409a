import { newId as uuidv7 } from '../ids.ts';
import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { OrgDetail, OrgSummary, OrgType, Actor } from '../../../shared/model/organization.ts';
import { checkPlacement } from '../../../shared/rules/hierarchy.ts';
import { escapeLike, fold } from '../../../shared/rules/text.ts';
import { AppError, fieldError } from '../errors.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { EntityName } from '../mutations/entities.ts';
import { blockingOrgEntities, deleteBlockingContents, orgSecretAccounts } from '../org-contents/org-contents.ts';

interface OrgRow {
  id: string;
  type: OrgType;
  parent_id: string | null;
  name: string;
  email: string;
  language: string;
  country: string;
  sector: string;
  description: string;
  is_sample: number;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export function createOrganizationHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const q = {
    tree: db.prepare('SELECT id, name, type, parent_id, is_sample FROM organizations ORDER BY name_fold'),
    byId: db.prepare('SELECT * FROM organizations WHERE id = ?'),
    actor: db.prepare('SELECT id, name, email FROM actors WHERE id = ?'),
    counts: db.prepare(`SELECT
        (SELECT count(*) FROM users WHERE org_id = @id) AS members,
        (SELECT count(*) FROM products WHERE org_id = @id) AS products,
        (SELECT count(*) FROM organizations WHERE parent_id = @id) AS subs`),
    path: db.prepare(`WITH RECURSIVE up(id, name, parent_id, depth) AS (
          SELECT id, name, parent_id, 0 FROM organizations WHERE id = ?
          UNION ALL SELECT o.id, o.name, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id)
        SELECT id, name FROM up ORDER BY depth DESC`),
    search: db.prepare(`SELECT id, name, type, parent_id, is_sample FROM organizations
        WHERE name_fold LIKE @pattern ESCAPE '\\'
        ORDER BY (name_fold LIKE @prefix ESCAPE '\\') DESC, name_fold LIMIT @limit`),
    siblingNamed: db.prepare(`SELECT id FROM organizations
        WHERE name_fold = ? AND parent_id IS ? AND id IS NOT ?`),
    children: db.prepare('SELECT id, type FROM organizations WHERE parent_id = ?'),
    hasBranding: db.prepare('SELECT 1 FROM branding WHERE org_id = ?'),
    samples: db.prepare(`WITH RECURSIVE d(id, depth) AS (
          SELECT id, 0 FROM organizations WHERE is_sample = 1 AND parent_id IS NULL
          UNION ALL SELECT o.id, d.depth + 1 FROM organizations o JOIN d ON o.parent_id = d.id)
        SELECT id FROM d ORDER BY depth DESC`),
  };

  const getRow = (id: string): OrgRow => {
    const row = q.byId.get(id) as OrgRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'org.not_found');
    return row;
  };
  const actorOf = (id: string | null): Actor | null => (id ? ((q.actor.get(id) as Actor | undefined) ?? null) : null);
  const pathOf = (id: string) => q.path.all(id) as { id: string; name: string }[];

  const summary = (r: Pick<OrgRow, 'id' | 'name' | 'type' | 'parent_id' | 'is_sample'>): OrgSummary => ({
    id: r.id, name: r.name, type: r.type, parentId: r.parent_id, isSample: r.is_sample === 1,
  });

  function detail(id: string): OrgDetail {
    const r = getRow(id);
    const counts = q.counts.get({ id }) as { members: number; products: number; subs: number };
    const partner = r.type === 'client' && r.parent_id ? getRow(r.parent_id) : null;
    return {
      id: r.id, type: r.type, parentId: r.parent_id, name: r.name, email: r.email, language: r.language,
      country: r.country, sector: r.sector as OrgDetail['sector'], description: r.description,
      isSample: r.is_sample === 1, version: r.version,
      createdAt: r.created_at, createdBy: actorOf(r.created_by),
      updatedAt: r.updated_at, updatedBy: actorOf(r.updated_by),
      facts: { members: counts.members, products: counts.products, subOrganizations: counts.subs },
      partner: partner ? { id: partner.id, name: partner.name } : null,
      path: pathOf(id),
    };
  }

  /** How many sub-organization levels sit above (and including) a new child of `parentId`. */
  function suborgDepthBelow(parentId: string): number {
    return pathOf(parentId).filter((p) => getRow(p.id).type === 'suborg').length + 1;
  }

  function assertUniqueName(name: string, parentId: string | null, selfId: string | null) {
    if (q.siblingNamed.get(fold(name), parentId, selfId)) throw fieldError('name', 'org.name_taken');
  }

  /** Delete an organization with what belongs to it (users, products, branding); children refused. */
  function deleteWithContents(w: Writer, id: string) {
    const children = q.children.all(id) as { id: string; type: OrgType }[];
    if (children.length > 0) {
      const clients = children.filter((c) => c.type === 'client').length;
      throw clients > 0
        ? new AppError('BAD_INPUT', 'org.has_clients', { count: clients })
        : new AppError('BAD_INPUT', 'org.has_children', { count: children.length });
    }
    // Users, products, directory sources... (every table that would block the delete), through the Writer.
    deleteBlockingContents(w, db, (blocking ??= blockingOrgEntities(db)), id);
    if (q.hasBranding.get(id)) w.delete('branding', id);
    w.delete('organization', id);
  }
  let blocking: EntityName[] | undefined;

  /** After the deletion committed: the keychain entries its rows kept (license keys, API keys, SCIM tokens, bind passwords). */
  async function forgetSecrets(accounts: readonly string[]) {
    for (const account of accounts) await deps.secrets.delete(account).catch(() => false);
  }

  return {
    'org.tree': (): Out<'org.tree'> => ({ items: (q.tree.all() as OrgRow[]).map(summary) }),

    'org.search': (input: ParsedIn<'org.search'>): Out<'org.search'> => {
      const needle = escapeLike(fold(input.query));
      const rows = q.search.all({ pattern: `%${needle}%`, prefix: `${needle}%`, limit: input.limit }) as OrgRow[];
      return {
        items: rows.map((r) => ({ ...summary(r), path: pathOf(r.id).slice(0, -1).map((p) => p.name).join(' / ') })),
      };
    },

    'org.get': (input: ParsedIn<'org.get'>): Out<'org.get'> => detail(input.id),

    'org.create': (input: ParsedIn<'org.create'>, ctx: CallContext): Out<'org.create'> => {
      const parent = input.parentId ? getRow(input.parentId) : null;
      const broken = checkPlacement(input.type, parent?.type ?? null, input.parentId ? suborgDepthBelow(input.parentId) : 0);
      if (broken) throw fieldError('parentId', broken);
      assertUniqueName(input.name, input.parentId, null);
      const id = uuidv7();
      mutations.run('org.create', ctx.actor, (w) => {
        w.create('organization', id, {
          type: input.type, parentId: input.parentId, name: input.name, email: input.email,
          language: input.language, country: input.country, sector: input.sector,
          description: input.description, isSample: false,
        });
      });
      return { id };
    },

    'org.updateGeneral': (input: ParsedIn<'org.updateGeneral'>, ctx: CallContext): Out<'org.updateGeneral'> => {
      const row = getRow(input.id);
      if (input.changes.name !== undefined) assertUniqueName(input.changes.name, row.parent_id, row.id);
      mutations.run('org.updateGeneral', ctx.actor, (w) => {
        w.update('organization', input.id, input.changes, input.baseVersion);
      });
      return detail(input.id);
    },

    'org.setPartner': (input: ParsedIn<'org.setPartner'>, ctx: CallContext): Out<'org.setPartner'> => {
      const row = getRow(input.id);
      if (row.type !== 'client') throw fieldError('partnerId', 'org.partner_only_for_clients');
      const partner = getRow(input.partnerId);
      if (partner.type !== 'partner') throw fieldError('partnerId', 'org.partner_not_partner');
      assertUniqueName(row.name, partner.id, row.id);
      mutations.run('org.setPartner', ctx.actor, (w) => {
        w.update('organization', row.id, { parentId: partner.id });
      });
      return detail(row.id);
    },

    'org.delete': async (input: ParsedIn<'org.delete'>, ctx: CallContext): Promise<Out<'org.delete'>> => {
      getRow(input.id);
      const accounts = orgSecretAccounts(db, input.id);
      mutations.run('org.delete', ctx.actor, (w) => deleteWithContents(w, input.id));
      await forgetSecrets(accounts);
      return { ok: true };
    },

    'sample.remove': async (_input: ParsedIn<'sample.remove'>, ctx: CallContext): Promise<Out<'sample.remove'>> => {
      const ids = (q.samples.all() as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) return { removed: 0 };
      const accounts = ids.flatMap((id) => orgSecretAccounts(db, id));
      mutations.run('sample.remove', ctx.actor, (w) => {
        for (const id of ids) deleteWithContents(w, id);
      });
      await forgetSecrets(accounts);
      return { removed: ids.length };
    },
  };
}
