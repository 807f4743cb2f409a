/**
 * The Microservices tab: the end-user folder name, predefined categories (set on the main
 * organization, inherited below it) and the organization's microservices.
 *
 * Rules, enforced here whatever the caller: categories are switched and edited only on the main
 * organization; while they are on, a microservice's category is one of them (free text is
 * refused); switching them off takes every microservice of the tree out of its category (asked
 * for explicitly); deleting a category uncategorizes its microservices first, all in one mutation.
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { MicroservicesView } from '../../../shared/model/org-settings.ts';
import { fold } from '../../../shared/rules/text.ts';
import { newId } from '../ids.ts';
import { AppError, fieldError } from '../errors.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { LongOp } from '../mutations/long-mutation.ts';
import { SHORT_MUTATION_OPS, writeOps } from '../mutations/write-ops.ts';
import type { OrgSettingsValues, SettingsStore } from './settings-store.ts';

interface MicroserviceRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  category_id: string | null;
  category_text: string | null;
  version: number;
}

export function createMicroservicesHandlers(deps: CoreDeps, store: SettingsStore) {
  const { db, mutations } = deps;
  const { tree } = store;
  const q = {
    categories: db.prepare(`SELECT c.id, c.name,
        (SELECT count(*) FROM microservices m WHERE m.category_id = c.id) AS microservices
      FROM microservice_categories c WHERE c.org_id = ? ORDER BY c.name COLLATE NOCASE, c.id`),
    category: db.prepare('SELECT id, org_id, name FROM microservice_categories WHERE id = ?'),
    categoryNamed: db.prepare('SELECT id FROM microservice_categories WHERE org_id = ? AND name_fold = ?'),
    items: db.prepare(`SELECT m.*, c.name AS category_name FROM microservices m LEFT JOIN microservice_categories c ON c.id = m.category_id
      WHERE m.org_id = ? ORDER BY m.name COLLATE NOCASE, m.id`),
    item: db.prepare('SELECT * FROM microservices WHERE id = ?'),
    itemNamed: db.prepare('SELECT id FROM microservices WHERE org_id = ? AND name_fold = ? AND id IS NOT ?'),
    inCategory: db.prepare('SELECT id FROM microservices WHERE category_id = ?'),
    treeCategorized: db.prepare('SELECT id FROM microservices WHERE org_id IN (SELECT value FROM json_each(?)) AND category_id IS NOT NULL'),
    treeFreeText: db.prepare(`SELECT id, category_text FROM microservices
      WHERE org_id IN (SELECT value FROM json_each(?)) AND category_text IS NOT NULL AND category_text != '' ORDER BY id`),
  };

  const view = (orgId: string): MicroservicesView => {
    store.requireOrg(orgId);
    const mainId = tree.mainOf(orgId);
    const main = store.requireOrg(mainId);
    const own = store.settings(orgId);
    const categoriesEnabled = store.settings(mainId).microserviceCategoriesEnabled;
    const items = (q.items.all(orgId) as (MicroserviceRow & { category_name: string | null })[]).map((m) => ({
      id: m.id, orgId: m.org_id, name: m.name, description: m.description, categoryId: m.category_id,
      categoryName: categoriesEnabled ? m.category_name : (m.category_text || null), version: m.version,
    }));
    return {
      orgId,
      folderName: own.microservicesFolder,
      mainOrgId: mainId,
      mainOrgName: main.name,
      inherited: mainId !== orgId,
      categoriesEnabled,
      categories: q.categories.all(mainId) as MicroservicesView['categories'],
      items,
      lastUpdate: store.lastUpdate([...new Set([orgId, mainId])], 'microservices.'),
    };
  };

  /** Refuse category changes anywhere but on the main organization, saying where they are set. */
  const requireMain = (orgId: string) => {
    const mainId = tree.mainOf(orgId);
    if (mainId !== orgId) throw new AppError('FORBIDDEN', 'microservices.categories_inherited', { mainOrg: store.requireOrg(mainId).name });
    return mainId;
  };

  /**
   * The category columns for a microservice of `orgId` from what the caller chose; undefined =
   * leave them as they are. With predefined categories on only one of the main organization's
   * categories is accepted; with them off, only free text.
   */
  const categoryColumns = (orgId: string, input: { categoryId?: string | null | undefined; category?: string | null | undefined }) => {
    if (input.categoryId === undefined && input.category === undefined) return undefined;
    const mainId = tree.mainOf(orgId);
    const enabled = store.settings(mainId).microserviceCategoriesEnabled;
    const text = input.category?.trim() ?? '';
    if (enabled) {
      if (text !== '') throw fieldError('category', 'microservices.category_from_list');
      if (input.categoryId === null || input.categoryId === undefined) return { categoryId: null, categoryText: null };
      const c = q.category.get(input.categoryId) as { id: string; org_id: string } | undefined;
      if (!c || c.org_id !== mainId) throw fieldError('categoryId', 'microservices.category_unknown');
      return { categoryId: c.id, categoryText: null };
    }
    if (input.categoryId) throw fieldError('categoryId', 'microservices.categories_off');
    return { categoryId: null, categoryText: text === '' ? null : text };
  };

  const assertUniqueName = (orgId: string, name: string, selfId: string | null) => {
    if (q.itemNamed.get(orgId, fold(name), selfId)) throw fieldError('name', 'microservices.name_taken');
  };

  const requireItem = (id: string) => {
    const m = q.item.get(id) as MicroserviceRow | undefined;
    if (!m) throw new AppError('NOT_FOUND', 'microservices.not_found');
    return m;
  };

  /**
   * Write a settings change and the microservice/category ops it implies as ONE mutation: a short
   * transaction for the usual few, a long mutation in the apply worker when a tree has thousands
   * of categorized microservices (the core's thread keeps answering meanwhile).
   */
  const apply = async (name: string, actor: Actor, orgId: string, settings: Partial<OrgSettingsValues> | null, ops: LongOp[]) => {
    if (ops.length < SHORT_MUTATION_OPS) {
      mutations.run(name, actor, (w) => {
        if (settings) store.write(w, orgId, settings);
        for (const op of ops) {
          if (op.op === 'create') w.create(op.entity, op.id, op.values);
          else if (op.op === 'update') w.update(op.entity, op.id, op.patch);
          else if (op.op === 'delete') w.delete(op.entity, op.id);
        }
      });
      return;
    }
    await writeOps(deps, name, actor, settings ? [store.writeOp(orgId, settings), ...ops] : ops);
  };

  return {
    'microservices.get': (input: ParsedIn<'microservices.get'>): Out<'microservices.get'> => view(input.orgId),

    'microservices.setSettings': async (input: ParsedIn<'microservices.setSettings'>, ctx: CallContext): Promise<Out<'microservices.setSettings'>> => {
      store.requireOrg(input.orgId);
      const own = store.settings(input.orgId);
      const patch: { microservicesFolder?: string; microserviceCategoriesEnabled?: boolean } = {};
      if (input.folderName !== undefined && input.folderName !== own.microservicesFolder) patch.microservicesFolder = input.folderName;
      const switching = input.categoriesEnabled !== undefined && input.categoriesEnabled !== own.microserviceCategoriesEnabled;
      if (input.categoriesEnabled !== undefined) {
        requireMain(input.orgId);
        if (switching) patch.microserviceCategoriesEnabled = input.categoriesEnabled;
      }
      const orgs = JSON.stringify(tree.subtree(input.orgId));
      const ops: LongOp[] = [];
      let uncategorized = 0;
      if (switching && input.categoriesEnabled === false) {
        const categorized = q.treeCategorized.all(orgs) as { id: string }[];
        if (categorized.length > 0 && input.confirmUncategorize !== true) {
          throw fieldError('confirmUncategorize', 'microservices.confirm_uncategorize', { count: categorized.length });
        }
        for (const m of categorized) ops.push({ op: 'update', entity: 'microservice', id: m.id, patch: { categoryId: null } });
        uncategorized = categorized.length;
      }
      if (switching && input.categoriesEnabled === true) {
        // Free-text categories typed while they were off become predefined ones, so nothing is lost.
        const made = new Map<string, string>();
        for (const m of q.treeFreeText.all(orgs) as { id: string; category_text: string }[]) {
          const key = fold(m.category_text);
          let categoryId = made.get(key) ?? (q.categoryNamed.get(input.orgId, key) as { id: string } | undefined)?.id;
          if (!categoryId) {
            categoryId = newId();
            made.set(key, categoryId);
            ops.push({ op: 'create', entity: 'microserviceCategory', id: categoryId, values: { orgId: input.orgId, name: m.category_text.trim().slice(0, 60) } });
          }
          ops.push({ op: 'update', entity: 'microservice', id: m.id, patch: { categoryId, categoryText: null } });
        }
      }
      if (Object.keys(patch).length > 0) await apply('microservices.setSettings', ctx.actor, input.orgId, patch, ops);
      return { ...view(input.orgId), uncategorized };
    },

    'microservices.createCategory': (input: ParsedIn<'microservices.createCategory'>, ctx: CallContext): Out<'microservices.createCategory'> => {
      store.requireOrg(input.orgId);
      const mainId = requireMain(input.orgId);
      if (!store.settings(mainId).microserviceCategoriesEnabled) throw new AppError('BAD_INPUT', 'microservices.categories_off');
      if (q.categoryNamed.get(mainId, fold(input.name))) throw fieldError('name', 'microservices.category_taken');
      mutations.run('microservices.createCategory', ctx.actor, (w) => {
        w.create('microserviceCategory', newId(), { orgId: mainId, name: input.name });
      });
      return view(input.orgId);
    },

    'microservices.deleteCategory': async (input: ParsedIn<'microservices.deleteCategory'>, ctx: CallContext): Promise<Out<'microservices.deleteCategory'>> => {
      const c = q.category.get(input.id) as { id: string; org_id: string } | undefined;
      if (!c) throw new AppError('NOT_FOUND', 'microservices.category_not_found');
      requireMain(c.org_id);
      const members = q.inCategory.all(c.id) as { id: string }[];
      await apply('microservices.deleteCategory', ctx.actor, c.org_id, null, [
        ...members.map((m): LongOp => ({ op: 'update', entity: 'microservice', id: m.id, patch: { categoryId: null } })),
        { op: 'delete', entity: 'microserviceCategory', id: c.id },
      ]);
      return { uncategorized: members.length };
    },

    'microservices.create': (input: ParsedIn<'microservices.create'>, ctx: CallContext): Out<'microservices.create'> => {
      store.requireOrg(input.orgId);
      assertUniqueName(input.orgId, input.name, null);
      const category = categoryColumns(input.orgId, input) ?? { categoryId: null, categoryText: null };
      mutations.run('microservices.create', ctx.actor, (w) => {
        w.create('microservice', newId(), { orgId: input.orgId, name: input.name, description: input.description, ...category });
      });
      return view(input.orgId);
    },

    'microservices.update': (input: ParsedIn<'microservices.update'>, ctx: CallContext): Out<'microservices.update'> => {
      const m = requireItem(input.id);
      const patch: Record<string, unknown> = {};
      if (input.name !== undefined) {
        assertUniqueName(m.org_id, input.name, m.id);
        patch.name = input.name;
      }
      if (input.description !== undefined) patch.description = input.description;
      Object.assign(patch, categoryColumns(m.org_id, input) ?? {});
      mutations.run('microservices.update', ctx.actor, (w) => {
        w.update('microservice', m.id, patch, input.baseVersion);
      });
      return view(m.org_id);
    },

    'microservices.delete': (input: ParsedIn<'microservices.delete'>, ctx: CallContext): Out<'microservices.delete'> => {
      const m = requireItem(input.id);
      mutations.run('microservices.delete', ctx.actor, (w) => w.delete('microservice', m.id));
      return { deleted: 1 };
    },
  };
}
