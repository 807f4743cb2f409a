/** Reads of Products (rows, reporting groups, the console role) shared by the handlers. */
import type { Db } from '../db/open-database.ts';
import { AppError } from '../errors.ts';
import { CONSOLE_ROLES, DEFAULT_AGENT_SETTINGS, type AgentSettings, type ConsoleRole, type PartialAgentSettings, type ProductRow } from '../../../shared/model/products.ts';
import { completeSettings } from '../../../shared/rules/products.ts';

/** meta key of the console's role (a local setting, like the operator profile). */
export const CONSOLE_ROLE_KEY = 'console_role';

interface RawProduct {
  id: string;
  org_id: string;
  version: number;
  environment: string;
  product_type: string;
  code: string;
  region: string;
  state: string;
  created_at: string;
  servicenow_environment: string;
  license_key_masked: string;
  digital_activity: number;
  agent_settings: string;
  groups: number;
  last_day: string | null;
}

export interface GroupRecord {
  id: string;
  version: number;
  name: string;
  overrides: PartialAgentSettings;
}

const SELECT_PRODUCT = `SELECT p.*,
    (SELECT count(*) FROM product_reporting_groups g WHERE g.product_id = p.id) AS groups,
    (SELECT max(day) FROM product_consumption c WHERE c.product_id = p.id) AS last_day
  FROM products p`;

export function createProductStore(db: Db) {
  const q = {
    list: db.prepare(`${SELECT_PRODUCT} WHERE p.org_id = ? ORDER BY p.code COLLATE NOCASE, p.id`),
    one: db.prepare(`${SELECT_PRODUCT} WHERE p.id = ?`),
    byCode: db.prepare('SELECT id FROM products WHERE org_id = ? AND code = ? COLLATE NOCASE'),
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    groups: db.prepare('SELECT id, version, name, overrides FROM product_reporting_groups WHERE product_id = ? ORDER BY name_fold, id'),
    group: db.prepare('SELECT id, product_id, version, name, overrides FROM product_reporting_groups WHERE id = ?'),
    groupByName: db.prepare('SELECT id FROM product_reporting_groups WHERE product_id = ? AND name_fold = ?'),
    role: db.prepare('SELECT value FROM meta WHERE key = ?'),
  };

  const toRow = (r: RawProduct): ProductRow => ({
    id: r.id, orgId: r.org_id, version: r.version, environment: r.environment, productType: r.product_type, code: r.code,
    region: r.region, state: r.state, createdAt: r.created_at, serviceNowEnvironment: r.servicenow_environment,
    licenseKeyMasked: r.license_key_masked, digitalActivity: r.digital_activity === 1, reportingGroups: r.groups, lastConsumptionDay: r.last_day,
  });

  const raw = (id: string): RawProduct => {
    const r = q.one.get(id) as RawProduct | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'common.not_found');
    return r;
  };

  return {
    list: (orgId: string): ProductRow[] => (q.list.all(orgId) as RawProduct[]).map(toRow),
    product: (id: string): ProductRow => toRow(raw(id)),
    settings: (id: string): AgentSettings => completeSettings(JSON.parse(raw(id).agent_settings), DEFAULT_AGENT_SETTINGS),
    idByCode: (orgId: string, code: string): string | null => (q.byCode.get(orgId, code) as { id: string } | undefined)?.id ?? null,
    requireOrg(orgId: string): void {
      if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'common.not_found');
    },
    groups: (productId: string): GroupRecord[] =>
      (q.groups.all(productId) as { id: string; version: number; name: string; overrides: string }[])
        .map((g) => ({ id: g.id, version: g.version, name: g.name, overrides: JSON.parse(g.overrides) as PartialAgentSettings })),
    group(id: string): GroupRecord & { productId: string } {
      const g = q.group.get(id) as { id: string; product_id: string; version: number; name: string; overrides: string } | undefined;
      if (!g) throw new AppError('NOT_FOUND', 'common.not_found');
      return { id: g.id, productId: g.product_id, version: g.version, name: g.name, overrides: JSON.parse(g.overrides) as PartialAgentSettings };
    },
    groupIdByName: (productId: string, nameFold: string): string | null =>
      (q.groupByName.get(productId, nameFold) as { id: string } | undefined)?.id ?? null,
    role(): ConsoleRole {
      const row = q.role.get(CONSOLE_ROLE_KEY) as { value: string } | undefined;
      return (CONSOLE_ROLES as readonly string[]).includes(row?.value ?? '') ? (row!.value as ConsoleRole) : 'partner_administrator';
    },
  };
}
export type ProductStore = ReturnType<typeof createProductStore>;
