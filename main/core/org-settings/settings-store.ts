/**
 * Reads shared by the three tabs: an organization's settings row (or its defaults before the first
 * save), the main organization it inherits predefined categories from, and "last updated" from the
 * audit log.
 */
import type { Db } from '../db/open-database.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { DEFAULT_MICROSERVICES_FOLDER } from '../../../shared/rules/org-settings.ts';
import { escapeLike } from '../../../shared/rules/text.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { AppError } from '../errors.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { LongOp } from '../mutations/long-mutation.ts';

export interface OrgSettingsValues {
  microservicesFolder: string;
  microserviceCategoriesEnabled: boolean;
  reportCategoriesEnabled: boolean;
}

export const DEFAULT_ORG_SETTINGS: OrgSettingsValues = {
  microservicesFolder: DEFAULT_MICROSERVICES_FOLDER,
  microserviceCategoriesEnabled: false,
  reportCategoriesEnabled: false,
};

export function createSettingsStore(db: Db) {
  const tree = createOrgTree(db);
  const q = {
    org: db.prepare('SELECT id, name FROM organizations WHERE id = ?'),
    settings: db.prepare('SELECT microservices_folder, microservice_categories, report_categories FROM org_settings WHERE org_id = ?'),
    actor: db.prepare('SELECT id, name, email FROM actors WHERE id = ?'),
    // The newest audit entry of these actions in these organizations (audit_org_action index per org).
    lastUpdate: db.prepare(`SELECT at, actor_id AS id, actor_name AS name, actor_email AS email FROM audit
      WHERE org_id IN (SELECT value FROM json_each(@orgs)) AND action LIKE @prefix ESCAPE '\\' ORDER BY id DESC LIMIT 1`),
  };

  const settings = (orgId: string): OrgSettingsValues => {
    const r = q.settings.get(orgId) as { microservices_folder: string; microservice_categories: number; report_categories: number } | undefined;
    if (!r) return { ...DEFAULT_ORG_SETTINGS };
    return {
      microservicesFolder: r.microservices_folder,
      microserviceCategoriesEnabled: r.microservice_categories === 1,
      reportCategoriesEnabled: r.report_categories === 1,
    };
  };

  return {
    tree,
    /** The organization's name, or NOT_FOUND. */
    requireOrg(orgId: string): { id: string; name: string } {
      const org = q.org.get(orgId) as { id: string; name: string } | undefined;
      if (!org) throw new AppError('NOT_FOUND', 'org.not_found');
      return org;
    },
    settings,
    /** Save some settings of an organization: the first save creates its row (logged as defaults -> new). */
    write(w: Writer, orgId: string, patch: Partial<OrgSettingsValues>): void {
      if (q.settings.get(orgId)) w.update('orgSettings', orgId, patch);
      else w.create('orgSettings', orgId, { ...DEFAULT_ORG_SETTINGS, ...patch }, { ...DEFAULT_ORG_SETTINGS });
    },
    /** The same write as an op of a long mutation (which logs a first save as a plain create). */
    writeOp(orgId: string, patch: Partial<OrgSettingsValues>): LongOp {
      return q.settings.get(orgId)
        ? { op: 'update', entity: 'orgSettings', id: orgId, patch }
        : { op: 'create', entity: 'orgSettings', id: orgId, values: { ...DEFAULT_ORG_SETTINGS, ...patch } };
    },
    actor(id: string | null): Actor | null {
      return id ? ((q.actor.get(id) as Actor | undefined) ?? null) : null;
    },
    /** When and by whom the newest change among `actionPrefix`* actions of these organizations was made. */
    lastUpdate(orgIds: string[], actionPrefix: string): { at: string; actor: Actor } | null {
      const r = q.lastUpdate.get({ orgs: JSON.stringify(orgIds), prefix: `${escapeLike(actionPrefix)}%` }) as
        { at: string; id: string; name: string; email: string } | undefined;
      return r ? { at: r.at, actor: { id: r.id, name: r.name, email: r.email } } : null;
    },
  };
}
export type SettingsStore = ReturnType<typeof createSettingsStore>;
