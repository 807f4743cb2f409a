/**
 * The Reports tab: predefined report categories on/off (per organization) and the categories with
 * their queries. Categories are created only while predefined categories are on; switching them off
 * keeps the categories (they come back when switched on again) but the Portal stops offering them.
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { ReportCategory, ReportsView } from '../../../shared/model/org-settings.ts';
import { fold } from '../../../shared/rules/text.ts';
import { newId } from '../ids.ts';
import { AppError, fieldError } from '../errors.ts';
import type { SettingsStore } from './settings-store.ts';

interface ReportCategoryRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  queries: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  version: number;
}

/** Queries are names within a category: the same one twice (any case) is one query, kept as first written. */
function distinctQueries(queries: string[]): string[] {
  const seen = new Set<string>();
  return queries.filter((x) => !seen.has(fold(x)) && Boolean(seen.add(fold(x))));
}

export function createReportsHandlers(deps: CoreDeps, store: SettingsStore) {
  const { db, mutations } = deps;
  const q = {
    list: db.prepare('SELECT * FROM report_categories WHERE org_id = ? ORDER BY name COLLATE NOCASE, id'),
    one: db.prepare('SELECT * FROM report_categories WHERE id = ?'),
    named: db.prepare('SELECT id FROM report_categories WHERE org_id = ? AND name_fold = ? AND id IS NOT ?'),
  };

  const toCategory = (r: ReportCategoryRow): ReportCategory => {
    const queries = JSON.parse(r.queries) as string[];
    return {
      id: r.id, name: r.name, description: r.description, queries, queryCount: queries.length,
      createdAt: r.created_at, createdBy: store.actor(r.created_by), updatedAt: r.updated_at, version: r.version,
    };
  };

  const view = (orgId: string): ReportsView => {
    store.requireOrg(orgId);
    return {
      orgId,
      categoriesEnabled: store.settings(orgId).reportCategoriesEnabled,
      categories: (q.list.all(orgId) as ReportCategoryRow[]).map(toCategory),
      lastUpdate: store.lastUpdate([orgId], 'reports.'),
    };
  };

  const requireCategory = (id: string) => {
    const r = q.one.get(id) as ReportCategoryRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'reports.not_found');
    return r;
  };

  const assertUnique = (orgId: string, name: string, selfId: string | null) => {
    if (q.named.get(orgId, fold(name), selfId)) throw fieldError('name', 'reports.name_taken');
  };

  const requireEnabled = (orgId: string) => {
    if (!store.settings(orgId).reportCategoriesEnabled) throw new AppError('BAD_INPUT', 'reports.categories_off');
  };

  return {
    'reports.get': (input: ParsedIn<'reports.get'>): Out<'reports.get'> => view(input.orgId),

    'reports.setSettings': (input: ParsedIn<'reports.setSettings'>, ctx: CallContext): Out<'reports.setSettings'> => {
      store.requireOrg(input.orgId);
      if (store.settings(input.orgId).reportCategoriesEnabled !== input.categoriesEnabled) {
        mutations.run('reports.setSettings', ctx.actor, (w) => store.write(w, input.orgId, { reportCategoriesEnabled: input.categoriesEnabled }));
      }
      return view(input.orgId);
    },

    'reports.createCategory': (input: ParsedIn<'reports.createCategory'>, ctx: CallContext): Out<'reports.createCategory'> => {
      store.requireOrg(input.orgId);
      requireEnabled(input.orgId);
      assertUnique(input.orgId, input.name, null);
      const id = newId();
      mutations.run('reports.createCategory', ctx.actor, (w) => {
        w.create('reportCategory', id, { orgId: input.orgId, name: input.name, description: input.description, queries: distinctQueries(input.queries) });
      });
      return toCategory(requireCategory(id));
    },

    'reports.updateCategory': (input: ParsedIn<'reports.updateCategory'>, ctx: CallContext): Out<'reports.updateCategory'> => {
      const r = requireCategory(input.id);
      requireEnabled(r.org_id);
      const patch: Record<string, unknown> = {};
      if (input.name !== undefined) {
        assertUnique(r.org_id, input.name, r.id);
        patch.name = input.name;
      }
      if (input.description !== undefined) patch.description = input.description;
      if (input.queries !== undefined) patch.queries = distinctQueries(input.queries);
      mutations.run('reports.updateCategory', ctx.actor, (w) => {
        w.update('reportCategory', r.id, patch, input.baseVersion);
      });
      return toCategory(requireCategory(r.id));
    },
  };
}
