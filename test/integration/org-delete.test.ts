import { afterEach, describe, expect, it } from 'vitest';
import { ROLE_IDS } from '../../shared/rules/api-keys.ts';
import { FILTER_PRESETS, MAPPING_PRESETS } from '../../shared/model/directory.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { blockingOrgEntities } from '../../main/core/org-contents/org-contents.ts';
import { ok, orgInput, testCore } from './helpers.ts';

describe('deleting an organization with every feature\'s contents', () => {
  let core: ReturnType<typeof testCore>;
  afterEach(() => core.dispose());

  it('deletes its users, products, directory sources and keys through the pipeline, and forgets their keychain entries', async () => {
    const secrets = new MemorySecretStore();
    core = testCore({ secrets });
    const partner = await ok(core, 'org.create', orgInput());
    const client = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner.id, name: 'Contoso' }));
    const other = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner.id, name: 'Fabrikam' }));
    await ok(core, 'users.create', { orgId: client.id, name: 'Ana Lima', email: 'ana@contoso.example', roleId: ROLE_IDS.operator });
    const product = await ok(core, 'products.create', { orgId: client.id, environment: 'Production', productType: 'Workspaces', code: 'CTP-PRD-01', region: 'West Europe' });
    await ok(core, 'products.setLicenseKey', { id: product.id, licenseKey: 'ABCD-EFGH-IJKL-MNOP' });
    const source = await ok(core, 'directory.sources.save', {
      orgId: client.id, name: 'Contoso AD', kind: 'openldap', host: '127.0.0.1', port: 1389, security: 'none', caCertificate: '',
      bindDn: 'cn=admin,dc=contoso,dc=example', bindPassword: 'bind-secret', baseDn: 'dc=contoso,dc=example',
      userFilter: FILTER_PRESETS.openldap.user, groupFilter: '', pageSize: 50, connectTimeoutMs: 2000, timeoutMs: 3000,
      mapping: MAPPING_PRESETS.openldap, removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes: 0,
    });
    const key = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Payroll sync', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 90 } });
    const kept = await ok(core, 'apiKeys.create', { orgId: other.id, name: 'Other org', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 90 } });
    const accounts = [`product-license:${product.id}`, `directory-bind:${source.id}`, `api-key:${key.key.id}`];
    for (const account of [...accounts, `api-key:${kept.key.id}`]) expect(await secrets.get(account), account).not.toBeNull();

    await ok(core, 'org.delete', { id: client.id });

    const left = (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE org_id = ?`).get(client.id) as { n: number }).n;
    for (const table of ['users', 'products', 'directory_sources', 'api_keys']) expect(left(table), table).toBe(0);
    const deletes = core.db.prepare(`SELECT entity, op FROM changes WHERE mutation = 'org.delete'`).all() as { entity: string; op: string }[];
    expect(deletes.map((d) => d.entity)).toEqual(expect.arrayContaining(['user', 'product', 'organization']));
    expect(deletes.every((d) => d.op === 'delete')).toBe(true);
    expect(await secrets.get(`api-key:${kept.key.id}`)).not.toBeNull();
    for (const account of accounts) expect(await secrets.get(account), account).toBeNull();
  });

  it('finds every table that would block the delete from the schema, children first', () => {
    core = testCore();
    const order = blockingOrgEntities(core.db);
    expect(order).toEqual(expect.arrayContaining(['user', 'product']));
    expect(order.indexOf('user')).toBeGreaterThanOrEqual(0);
  });
});
