/**
 * The Modules tab: the links the Portal's Home shows end users, each Featured (on Home) or
 * Secondary (under "View more"). Built-in modules can be relabelled, pointed elsewhere and moved;
 * custom ones can also be deleted. URLs are https only (shared/rules/org-settings.ts).
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { PortalModule } from '../../../shared/model/org-settings.ts';
import type { ModuleVisibility } from '../../../shared/rules/org-settings.ts';
import { fold } from '../../../shared/rules/text.ts';
import { newId } from '../ids.ts';
import { AppError, fieldError } from '../errors.ts';
import type { SettingsStore } from './settings-store.ts';

interface ModuleRow {
  id: string;
  org_id: string;
  label: string;
  url: string;
  visibility: ModuleVisibility;
  custom: number;
  updated_at: string;
  updated_by: string | null;
  version: number;
}

export function createModulesHandlers(deps: CoreDeps, store: SettingsStore) {
  const { db, mutations } = deps;
  const q = {
    list: db.prepare(`SELECT * FROM portal_modules WHERE org_id = ?
      ORDER BY CASE visibility WHEN 'featured' THEN 0 ELSE 1 END, label COLLATE NOCASE, id`),
    one: db.prepare('SELECT * FROM portal_modules WHERE id = ?'),
    named: db.prepare('SELECT id FROM portal_modules WHERE org_id = ? AND label_fold = ? AND id IS NOT ?'),
  };

  const toModule = (r: ModuleRow): PortalModule => ({
    id: r.id, orgId: r.org_id, label: r.label, url: r.url, visibility: r.visibility, custom: r.custom === 1,
    updatedAt: r.updated_at, updatedBy: store.actor(r.updated_by), version: r.version,
  });

  const requireModule = (id: string) => {
    const r = q.one.get(id) as ModuleRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'modules.not_found');
    return r;
  };

  const assertUnique = (orgId: string, label: string, selfId: string | null) => {
    if (q.named.get(orgId, fold(label), selfId)) throw fieldError('label', 'modules.label_taken');
  };

  return {
    'modules.list': (input: ParsedIn<'modules.list'>): Out<'modules.list'> => {
      store.requireOrg(input.orgId);
      return { items: (q.list.all(input.orgId) as ModuleRow[]).map(toModule) };
    },

    'modules.create': (input: ParsedIn<'modules.create'>, ctx: CallContext): Out<'modules.create'> => {
      store.requireOrg(input.orgId);
      assertUnique(input.orgId, input.label, null);
      const id = newId();
      mutations.run('modules.create', ctx.actor, (w) => {
        w.create('portalModule', id, { orgId: input.orgId, label: input.label, url: input.url, visibility: input.visibility, custom: true });
      });
      return toModule(requireModule(id));
    },

    'modules.update': (input: ParsedIn<'modules.update'>, ctx: CallContext): Out<'modules.update'> => {
      const r = requireModule(input.id);
      const patch: Record<string, unknown> = {};
      if (input.label !== undefined) {
        assertUnique(r.org_id, input.label, r.id);
        patch.label = input.label;
      }
      if (input.url !== undefined) patch.url = input.url;
      if (input.visibility !== undefined) patch.visibility = input.visibility;
      mutations.run('modules.update', ctx.actor, (w) => {
        w.update('portalModule', r.id, patch, input.baseVersion);
      });
      return toModule(requireModule(r.id));
    },

    'modules.delete': (input: ParsedIn<'modules.delete'>, ctx: CallContext): Out<'modules.delete'> => {
      const r = requireModule(input.id);
      if (r.custom !== 1) throw new AppError('BAD_INPUT', 'modules.builtin_not_deletable', { label: r.label });
      mutations.run('modules.delete', ctx.actor, (w) => w.delete('portalModule', r.id));
      return { deleted: 1 };
    },
  };
}
