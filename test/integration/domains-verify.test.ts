import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { startDns, type TestDns } from '../fixtures/identity/dns.ts';

let core: ReturnType<typeof testCore>;
let dns: TestDns;
let ids: { partner: string; client: string; sub: string };

const count = (sql: string, ...p: unknown[]) => (core.db.prepare(sql).get(...p) as { n: number }).n;

beforeAll(async () => {
  core = testCore();
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Contoso Labs' }));
  ids = { partner, client, sub };
});

afterAll(async () => {
  await dns?.close();
  core?.dispose();
});

describe('domains', () => {
  it('registers valid names (IDN stored in punycode) and refuses bad ones with a per-field message, changing nothing', async () => {
    const d = await ok(core, 'domains.add', { orgId: ids.client, name: '  Contoso.TEST. ' });
    expect(d).toMatchObject({ name: 'contoso.test', displayName: 'contoso.test', status: 'unverified', verifiedAt: null, lastCheck: null });
    expect(d.createdBy?.name).toBeTruthy();
    expect(d.txtRecord.name).toBe('_orgdesk-verification.contoso.test');
    expect(d.txtRecord.value).toMatch(/^orgdesk-verification=[\w-]{20,}$/);

    const idn = await ok(core, 'domains.add', { orgId: ids.client, name: 'Bücher.test' });
    expect(idn.name).toBe('xn--bcher-kva.test');
    expect(idn.displayName).toBe('bücher.test');

    const before = count('SELECT count(*) AS n FROM audit');
    for (const [name, key] of [
      ['', 'domains.name_required'], ['localhost', 'domains.name_needs_dot'], ['10.0.0.1', 'domains.name_is_ip'],
      ['*.contoso.test', 'domains.name_invalid'], ['https://contoso.test/x', 'domains.name_invalid'], ['-bad.test', 'domains.name_invalid'],
      [`${'a'.repeat(64)}.test`, 'domains.name_invalid'], ['CONTOSO.test', 'domains.duplicate'],
    ] as const) {
      const err = await fails(core, 'domains.add', { orgId: ids.client, name });
      expect(err.code, name).toBe('BAD_INPUT');
      expect(err.fields?.name?.[0]?.key, name).toBe(key);
    }
    expect(count('SELECT count(*) AS n FROM audit')).toBe(before);

    // Domains live on the main organization: a sub-organization sees them, read-only.
    const inherited = await ok(core, 'domains.list', { orgId: ids.sub });
    expect(inherited).toMatchObject({ inherited: true, mainOrgId: ids.client, mainOrgName: 'Contoso' });
    expect(inherited.items.map((x) => x.name)).toEqual(['contoso.test', 'xn--bcher-kva.test']);
    const refused = await fails(core, 'domains.add', { orgId: ids.sub, name: 'labs.test' });
    expect(refused).toMatchObject({ code: 'FORBIDDEN', key: 'domains.not_main_org' });
  });

  it('validates the DNS server setting', async () => {
    expect((await fails(core, 'identity.settings.set', { dnsServer: 'dns.example' })).fields?.dnsServer?.[0]?.key).toBe('domains.resolver_invalid');
    expect((await fails(core, 'identity.settings.set', { dnsServer: '127.0.0.1:70000' })).fields?.dnsServer?.[0]?.key).toBe('domains.resolver_port');
    expect((await fails(core, 'identity.settings.set', { dnsServer: '300.1.1.1' })).fields?.dnsServer?.[0]?.key).toBe('domains.resolver_invalid');
    expect(await ok(core, 'identity.settings.set', { dnsServer: ' [::1]:5353 ' })).toEqual({ dnsServer: '[::1]:5353' });
    expect(await ok(core, 'identity.settings.set', { dnsServer: '' })).toEqual({ dnsServer: '' });
    expect(await ok(core, 'identity.settings.get', {})).toEqual({ dnsServer: '' });
  });

  it('verifies against a real DNS server: right value -> Verified; wrong value and no record say what was found', async () => {
    const list = await ok(core, 'domains.list', { orgId: ids.client });
    const contoso = list.items.find((d) => d.name === 'contoso.test')!;
    const idn = list.items.find((d) => d.name === 'xn--bcher-kva.test')!;
    const wrong = await ok(core, 'domains.add', { orgId: ids.client, name: 'fabrikam.test' });
    dns = await startDns({
      [contoso.txtRecord.name]: ['v=spf1 -all', contoso.txtRecord.value],
      [idn.txtRecord.name]: [idn.txtRecord.value],
      [wrong.txtRecord.name]: ['orgdesk-verification=someone-elses-token'],
    }, ['test']);
    await ok(core, 'identity.settings.set', { dnsServer: dns.server });

    const verified = await ok(core, 'domains.verify', { id: contoso.id });
    expect(verified).toMatchObject({ status: 'verified', lastCheck: { outcome: 'verified' } });
    expect(verified.verifiedAt).not.toBeNull();
    expect((await ok(core, 'domains.verify', { id: idn.id })).status).toBe('verified');

    const mismatch = await ok(core, 'domains.verify', { id: wrong.id });
    expect(mismatch).toMatchObject({ status: 'unverified', lastCheck: { outcome: 'wrong_value', found: ['orgdesk-verification=someone-elses-token'] } });

    const none = await ok(core, 'domains.add', { orgId: ids.client, name: 'nothing-here.test' });
    expect(await ok(core, 'domains.verify', { id: none.id })).toMatchObject({ status: 'unverified', lastCheck: { outcome: 'no_record', found: [] } });

    // Every check is audited.
    expect(count("SELECT count(*) AS n FROM audit WHERE action = 'domains.verify'")).toBe(4);
  });

  it('a DNS server that does not answer is an error result, not a verification', async () => {
    const down = dns.server;
    await dns.close();
    const d = await ok(core, 'domains.add', { orgId: ids.client, name: 'later.test' });
    await ok(core, 'identity.settings.set', { dnsServer: down });
    const r = await ok(core, 'domains.verify', { id: d.id });
    expect(r.status).toBe('unverified');
    expect(r.lastCheck?.outcome).toBe('error');
  }, 20_000);

  it('removing a domain detaches it from SSO connections', async () => {
    const list = await ok(core, 'domains.list', { orgId: ids.client });
    const contoso = list.items.find((d) => d.name === 'contoso.test')!;
    const r = await ok(core, 'domains.remove', { id: contoso.id });
    expect(r).toEqual({ ok: true, detachedFrom: 0 });
    expect((await ok(core, 'domains.list', { orgId: ids.client })).items.map((d) => d.name)).not.toContain('contoso.test');
    expect((await fails(core, 'domains.verify', { id: contoso.id })).key).toBe('domains.not_found');
  });
});
