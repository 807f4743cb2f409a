import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { KeyringSecretStore } from '../../main/core/secrets/keyring-secret-store.ts';
import { migrate, schemaVersion } from '../../main/core/db/migrations.ts';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';
import { consumptionId } from '../../main/core/products/consumption.ts';

const TODAY = '2026-03-15';
const clock = { now: () => new Date(`${TODAY}T10:00:00Z`) };

let core: ReturnType<typeof testCore>;
afterEach(() => core?.dispose());

async function setup(options: Parameters<typeof testCore>[0] = {}) {
  core = testCore({ clock, ...options });
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const product = await ok(core, 'products.create', {
    orgId: client, environment: 'Production', productType: 'Workspaces', code: 'CTP-PRD-01', region: 'West Europe',
  });
  return { partner, client, product };
}
const audits = (action: string) => core.db.prepare('SELECT * FROM audit WHERE action = ? ORDER BY id').all(action) as
  { target_id: string; before: string | null; after: string | null; actor_name: string }[];
/** Upload through files.begin/append, as the window does, then import. */
async function uploadCsv(csv: string | Buffer): Promise<string> {
  const bytes = Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8');
  const { fileId, chunkBytes } = await ok(core, 'files.begin', { filename: 'figures.csv', bytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await ok(core, 'files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  return fileId;
}
const importCsv = async (orgId: string, csv: string | Buffer) => ok(core, 'products.importConsumption', { orgId, fileId: await uploadCsv(csv) });
const count = (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('products: table, details, state', () => {
  it('creates, lists and updates a product; every change audited; the code is unique per organization', async () => {
    const { client, product } = await setup();
    expect(product).toMatchObject({ code: 'CTP-PRD-01', state: 'enabled', digitalActivity: false, licenseKeyMasked: '', createdAt: `${TODAY}T10:00:00.000Z` });
    const list = await ok(core, 'products.list', { orgId: client });
    expect(list.items.map((p) => p.code)).toEqual(['CTP-PRD-01']);

    const dup = await fails(core, 'products.create', { orgId: client, environment: 'Test', productType: 'Analyzer', code: 'ctp-prd-01', region: 'East US' });
    expect(dup.fields?.code?.[0]?.key).toBe('products.code_taken');
    const bad = await fails(core, 'products.create', { orgId: client, environment: 'Moon', productType: 'Analyzer', code: 'has space', region: '' });
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(['code', 'environment', 'region']);
    expect(count('products')).toBe(1);

    const updated = await ok(core, 'products.update', { id: product.id, baseVersion: product.version, changes: { state: 'disabled', digitalActivity: true, serviceNowEnvironment: 'contoso.service-now.example' } });
    expect(updated).toMatchObject({ state: 'disabled', digitalActivity: true, serviceNowEnvironment: 'contoso.service-now.example' });
    const entry = audits('products.update')[0]!;
    expect(JSON.parse(entry.before!)).toEqual({ state: 'enabled', digitalActivity: false, serviceNowEnvironment: '' });
    expect(JSON.parse(entry.after!)).toEqual({ state: 'disabled', digitalActivity: true, serviceNowEnvironment: 'contoso.service-now.example' });

    // Someone else changed the state since version 1: a stale edit of the same field is a conflict.
    const conflict = await fails(core, 'products.update', { id: product.id, baseVersion: product.version, changes: { state: 'enabled' } });
    expect(conflict.code).toBe('CONFLICT');
  });

  it('deletes a product only with its code typed, with its groups and figures, each through the pipeline', async () => {
    const { client, product } = await setup();
    await ok(core, 'products.createReportingGroup', { productId: product.id, name: 'Lab' });
    await importCsv(client, 'date,product code,figure\n2026-03-01,CTP-PRD-01,5\n2026-03-02,CTP-PRD-01,6\n');
    const wrong = await fails(core, 'products.delete', { id: product.id, confirm: 'CTP' });
    expect(wrong.fields?.confirm?.[0]?.key).toBe('products.delete_confirm');
    expect(count('products')).toBe(1);
    await ok(core, 'products.delete', { id: product.id, confirm: 'CTP-PRD-01' });
    expect([count('products'), count('product_reporting_groups'), count('product_consumption')]).toEqual([0, 0, 0]);
    const deletes = core.db.prepare("SELECT entity, count(*) AS n FROM changes WHERE mutation = 'products.delete' GROUP BY entity ORDER BY entity").all();
    expect(deletes).toEqual([{ entity: 'consumption', n: 2 }, { entity: 'product', n: 1 }, { entity: 'reportingGroup', n: 1 }]);
  });
});

describe('products: license key in the OS keychain', () => {
  it('keeps the key in the real keychain, only the last four in SQLite; reveal is audited; never in changes or audit', async () => {
    const secrets = new KeyringSecretStore(`Orgdesk-test-${randomBytes(4).toString('hex')}`);
    const { client } = await setup({ secrets });
    const key = `LIC-${randomBytes(8).toString('hex').toUpperCase()}-9Z7Q`;
    const p = await ok(core, 'products.create', { orgId: client, environment: 'Test', productType: 'Analyzer', code: 'CTP-TST-01', region: 'East US', licenseKey: key });
    expect(p.licenseKeyMasked).toBe('••••9Z7Q');
    expect(await secrets.get(`product-license:${p.id}`)).toBe(key);

    const revealed = await ok(core, 'products.revealLicenseKey', { id: p.id });
    expect(revealed.licenseKey).toBe(key);
    const reveal = audits('products.revealLicenseKey');
    expect(reveal).toHaveLength(1);
    expect(reveal[0]!.target_id).toBe(p.id);
    expect(JSON.parse(reveal[0]!.after!)).toMatchObject({ licenseKeyReveals: 1 });

    // A new key with the same last four still leaves its trace.
    const key2 = `NEW-${randomBytes(6).toString('hex').toUpperCase()}-9Z7Q`;
    await ok(core, 'products.setLicenseKey', { id: p.id, licenseKey: key2 });
    expect(audits('products.setLicenseKey')).toHaveLength(1);
    expect((await ok(core, 'products.revealLicenseKey', { id: p.id })).licenseKey).toBe(key2);
    // Same clock tick, second reveal: still its own audit entry.
    expect(audits('products.revealLicenseKey')).toHaveLength(2);

    const dump = JSON.stringify([core.db.prepare('SELECT * FROM products').all(), core.db.prepare('SELECT * FROM changes').all(), core.db.prepare('SELECT * FROM audit').all()]);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key2);

    await ok(core, 'products.delete', { id: p.id, confirm: 'CTP-TST-01' });
    expect(await secrets.get(`product-license:${p.id}`)).toBeNull();
  });

  it('refuses a malformed key, and reveal without a key', async () => {
    const { product } = await setup();
    expect((await fails(core, 'products.setLicenseKey', { id: product.id, licenseKey: 'short' })).fields?.licenseKey?.[0]?.key).toBe('products.license_too_short');
    expect((await fails(core, 'products.setLicenseKey', { id: product.id, licenseKey: 'has spaces in it' })).fields?.licenseKey?.[0]?.key).toBe('products.license_invalid');
    expect((await fails(core, 'products.revealLicenseKey', { id: product.id })).key).toBe('products.license_missing');
    // A recorded license (mask + reference) is what the Portal re-runs; a console call cannot set a mask without a key.
    const recorded = { masked: '••••ABCD', ref: '0190a000-0000-7000-8000-000000000009' };
    expect((await fails(core, 'products.setLicenseKey', { id: product.id, recordedLicense: recorded })).fields?.licenseKey?.[0]?.key).toBe('products.license_required');
    expect((await fails(core, 'products.setLicenseKey', { id: product.id })).fields?.licenseKey?.[0]?.key).toBe('products.license_required');
    expect((await ok(core, 'products.get', { id: product.id })).licenseKeyMasked).toBe('');
    expect(audits('products.revealLicenseKey')).toHaveLength(0);
  });
});

describe('products: consumption CSV import and the chart series', () => {
  it('imports valid figures atomically with a summary; re-import replaces; the series fills days without data with null', async () => {
    const { client, product } = await setup();
    const csv = '\uFEFFDate;Product code;Figure\r\n2026-03-10;CTP-PRD-01;12\r\n2026-03-12;ctp-prd-01;30\r\n';
    const first = await importCsv(client, csv);
    expect(first).toMatchObject({ applied: true, rows: 2, created: 2, updated: 0, unchanged: 0, products: 1, from: '2026-03-10', to: '2026-03-12', errorCount: 0 });
    const again = await importCsv(client, 'fecha,código,valor\n2026-03-10,CTP-PRD-01,12\n2026-03-12,CTP-PRD-01,31\n');
    expect(again).toMatchObject({ applied: true, created: 0, updated: 1, unchanged: 1 });

    const series = await ok(core, 'products.consumption', { productId: product.id, from: '2026-03-09', to: '2026-03-15' });
    expect(series.points).toHaveLength(7);
    expect(series.points.map((p) => p.figure)).toEqual([null, 12, null, 31, null, null, null]);
    expect(series).toMatchObject({ total: 43, daysWithData: 2, average: 21.5, peak: { day: '2026-03-12', figure: 31 }, sources: ['import'] });
    expect(audits('products.importConsumption')).toHaveLength(3);
    const row = core.db.prepare("SELECT id, source FROM product_consumption WHERE day = '2026-03-10'").get() as { id: string; source: string };
    expect(row.source).toBe('import');
    // The id comes from product and day: another console importing the same day makes the same row (sync merges it).
    expect(row.id).toBe(consumptionId(product.id, '2026-03-10'));
    expect(consumptionId(product.id, '2026-03-10')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(consumptionId(product.id, '2026-03-11')).not.toBe(row.id);
  });

  it('one bad row and nothing is written; every problem named with its line and column', async () => {
    const { client } = await setup();
    const csv = [
      'date,product code,figure',
      '2026-03-01,CTP-PRD-01,10',
      '2026-02-30,CTP-PRD-01,10',
      '2026-03-02,NOPE-01,10',
      '2026-03-03,CTP-PRD-01,-4',
      '2026-03-20,CTP-PRD-01,1',
      '2026-03-01,CTP-PRD-01,11',
      ',,',
    ].join('\n');
    const r = await importCsv(client, csv);
    expect(r.applied).toBe(false);
    expect(r.errors.map((e) => [e.line, e.column, e.key])).toEqual([
      [3, 'date', 'products.csv_date_invalid'],
      [4, 'product', 'products.csv_unknown_product'],
      [5, 'figure', 'products.csv_figure_invalid'],
      [6, 'date', 'products.day_in_future'],
      [7, 'date', 'products.csv_duplicate'],
      [8, 'date', 'products.csv_date_required'],
      [8, 'product', 'products.csv_code_required'],
      [8, 'figure', 'products.csv_figure_required'],
    ]);
    expect(count('product_consumption')).toBe(0);
    expect(audits('products.importConsumption')).toHaveLength(0);
    const missing = await importCsv(client, 'when,what\n1,2\n');
    expect(missing.errors.map((e) => e.column)).toEqual(['date', 'product', 'figure']);
  });

  it('refuses a file that is not UTF-8 text or is over 4 MB, and discards the upload either way', async () => {
    const { client } = await setup();
    const binary = await uploadCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81]));
    expect((await fails(core, 'products.importConsumption', { orgId: client, fileId: binary })).key).toBe('products.csv_not_text');
    expect((await fails(core, 'files.read', { fileId: binary, offset: 0, length: 10 })).code).toBe('NOT_FOUND');
    const big = await uploadCsv(Buffer.alloc(4 * 1024 * 1024 + 1, 0x31));
    expect((await fails(core, 'products.importConsumption', { orgId: client, fileId: big })).key).toBe('products.csv_too_large');
    const fine = await uploadCsv('date,product code,figure\n2026-03-01,CTP-PRD-01,1\n');
    expect((await ok(core, 'products.importConsumption', { orgId: client, fileId: fine })).applied).toBe(true);
    expect((await fails(core, 'files.read', { fileId: fine, offset: 0, length: 10 })).code).toBe('NOT_FOUND');
    expect(count('product_consumption')).toBe(1);
  });

  it('a large import (more than one short transaction holds) is applied as one long mutation', async () => {
    const { client, product } = await setup();
    const lines = ['date,product code,figure'];
    for (let i = 0; i < 1500; i++) lines.push(`${new Date(Date.parse('2022-01-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10)},CTP-PRD-01,${i}`);
    const r = await importCsv(client, lines.join('\n'));
    expect(r).toMatchObject({ applied: true, created: 1500 });
    expect(count('product_consumption')).toBe(1500);
    const range = await fails(core, 'products.consumption', { productId: product.id, from: '2022-01-01', to: '2026-03-15' });
    expect(range.key).toBe('products.range_too_long');
  });
});

describe('agent settings and reporting groups', () => {
  it('validates settings in the core, overrides per group show what differs, and hides settings from the Organization Administrator', async () => {
    const { product } = await setup();
    let view = await ok(core, 'products.agentSettings', { productId: product.id });
    expect(view).toMatchObject({ role: 'partner_administrator', hidden: [], minAgentVersion: '10.2.0' });
    expect(view.settings).toMatchObject({ silentUnattended: false, remoteAssistance: 'interactive', securityMode: 'default' });

    const silent = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { silentUnattended: true } });
    expect(silent.fields?.silentUnattended?.[0]?.key).toBe('products.silent_needs_unattended');
    const dupIds = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { eventLogIds: { critical: [41, 41], error: [], warning: [], information: [] } } });
    expect(dupIds.fields?.['eventLogIds.critical']?.[0]?.key).toBe('products.event_id_duplicate');
    const range = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { eventLogIds: { critical: [70000], error: [], warning: [], information: [] } } });
    expect(range.fields?.['changes.eventLogIds.critical.0']?.[0]?.key).toBe('products.event_id_range');

    view = await ok(core, 'products.updateAgentSettings', {
      productId: product.id, baseVersion: view.productVersion,
      changes: { uninstallProtection: true, remoteAssistance: 'dynamic', silentUnattended: true, eventLogIds: { critical: [41], error: [1000, 7031], warning: [], information: [] } },
    });
    expect(view.settings).toMatchObject({ uninstallProtection: true, remoteAssistance: 'dynamic', silentUnattended: true });
    const simplified = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { securityMode: 'simplified' } });
    expect(simplified.fields?.silentUnattended?.[0]?.key).toBe('products.simplified_no_silent');

    view = await ok(core, 'products.createReportingGroup', { productId: product.id, name: 'Laboratory devices' });
    const group = view.groups[0]!;
    expect(group).toMatchObject({ name: 'Laboratory devices', overrides: {}, differs: [] });
    expect((await fails(core, 'products.createReportingGroup', { productId: product.id, name: 'laboratory DEVICES' })).fields?.name?.[0]?.key).toBe('products.group_name_taken');

    view = await ok(core, 'products.updateReportingGroup', { id: group.id, baseVersion: group.version, set: { analyzerProxy: 'agent_detected', remoteAssistance: 'dynamic' } });
    // remoteAssistance is the product's value too: overridden, but not different.
    expect(view.groups[0]!.differs).toEqual(['analyzerProxy']);
    expect(view.groups[0]!.effective).toMatchObject({ analyzerProxy: 'agent_detected', uninstallProtection: true });
    // A group override that breaks a rule on the merged settings is refused.
    const groupBad = await fails(core, 'products.updateReportingGroup', { id: group.id, baseVersion: view.groups[0]!.version, set: { remoteAssistance: 'none' } });
    expect(groupBad.fields?.silentUnattended?.[0]?.key).toBe('products.silent_needs_unattended');
    // A product change that would break a group's merged settings names the group.
    view = await ok(core, 'products.updateReportingGroup', { id: group.id, baseVersion: view.groups[0]!.version, set: { silentUnattended: true } });
    const groupBreaks = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { securityMode: 'simplified', silentUnattended: false } });
    expect(groupBreaks).toMatchObject({ key: 'products.group_invalid', params: { name: 'Laboratory devices' } });
    view = await ok(core, 'products.updateReportingGroup', { id: group.id, baseVersion: view.groups[0]!.version, inherit: ['silentUnattended', 'remoteAssistance'] });
    expect(Object.keys(view.groups[0]!.overrides)).toEqual(['analyzerProxy']);

    // Organization Administrator: hidden settings are not sent and cannot be changed, not even through a group.
    await ok(core, 'products.setConsoleRole', { role: 'organization_administrator' });
    view = await ok(core, 'products.agentSettings', { productId: product.id });
    expect(view.hidden).toEqual(['uninstallProtection', 'runAsSystemRole', 'silentUnattended']);
    expect(view.settings).not.toHaveProperty('uninstallProtection');
    expect(view.settings).not.toHaveProperty('silentUnattended');
    expect(view.groups[0]!.effective).not.toHaveProperty('uninstallProtection');
    const forbidden = await fails(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { uninstallProtection: false } });
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', key: 'products.hidden_setting' });
    expect((await fails(core, 'products.updateReportingGroup', { id: group.id, baseVersion: view.groups[0]!.version, set: { runAsSystemRole: 'operators' } })).code).toBe('FORBIDDEN');
    // What the role may change, it changes; the hidden values stay as the partner set them.
    const asOrgAdmin = await ok(core, 'products.updateAgentSettings', { productId: product.id, baseVersion: view.productVersion, changes: { analyzerProxy: 'agent_detected' } });
    expect(asOrgAdmin.settings).not.toHaveProperty('runAsSystemRole');
    await ok(core, 'products.setConsoleRole', { role: 'partner_administrator' });
    view = await ok(core, 'products.agentSettings', { productId: product.id });
    expect(view.settings).toMatchObject({ analyzerProxy: 'agent_detected', uninstallProtection: true, silentUnattended: true });
    expect(view.groups[0]!.differs).toEqual([]);

    const trail = core.db.prepare("SELECT action FROM audit WHERE action LIKE 'products.%' ORDER BY id").all().map((r) => (r as { action: string }).action);
    expect(trail).toEqual(['products.create', 'products.updateAgentSettings', 'products.createReportingGroup', 'products.updateReportingGroup',
      'products.updateReportingGroup', 'products.updateReportingGroup', 'products.updateAgentSettings']);
  });
});

describe('products: schema 11 and the sample', () => {
  it('migrates a schema-10 database with products to 11 (defaults for the new columns)', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, 'x.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, 10);
    db.prepare("INSERT INTO organizations (id, type, parent_id, name, name_fold, email, language, country, sector, description, is_sample, version, created_at, updated_at) VALUES ('o1','client',NULL,'A','a','a@b.c','en','US','technology','',0,1,'t','t')").run();
    db.prepare("INSERT INTO products (id, org_id, environment, product_type, code, region, state, version, created_at, updated_at) VALUES ('p1','o1','Production','Workspaces','C1','EU','enabled',1,'t','t')").run();
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(11);
    expect(db.prepare('SELECT license_key_masked, digital_activity, agent_settings, servicenow_environment FROM products').get())
      .toEqual({ license_key_masked: '', digital_activity: 0, agent_settings: '{}', servicenow_environment: '' });
    db.close();
    dir.remove();
  });

  it('the sample organization has products with 120 days of figures, agent settings and groups', async () => {
    core = testCore({ clock, seedSample: true });
    const contoso = core.db.prepare("SELECT id FROM organizations WHERE name = 'Contoso Pharma'").get() as { id: string };
    const products = await ok(core, 'products.list', { orgId: contoso.id });
    expect(products.items.map((p) => p.code)).toEqual(['CTP-PRD-01', 'CTP-TST-01']);
    const prd = products.items[0]!;
    expect(prd.lastConsumptionDay).toBe(TODAY);
    const series = await ok(core, 'products.consumption', { productId: prd.id, from: '2026-02-14', to: TODAY });
    expect(series.daysWithData).toBe(30);
    const settings = await ok(core, 'products.agentSettings', { productId: prd.id });
    expect(settings.groups.map((g) => [g.name, g.differs])).toEqual([['Field laptops', ['analyzerProxy']], ['Laboratory devices', ['remoteAssistance']]]);
  });
});
