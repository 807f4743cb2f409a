/**
 * SSO connections and the SCIM token's life in the console: metadata in, certificate checks,
 * verified domains only, and the token kept in the REAL OS keychain (run under
 * scripts/with-test-keyring.sh), then searched for everywhere it must not be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { finalState } from './import-helpers.ts';
import { KeyringSecretStore } from '../../main/core/secrets/keyring-secret-store.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { verifyScimToken } from '../../main/core/identity/scim-tokens.ts';
import { idpMetadataXml, makeCertificate, makeCertificateBetween, type TestKeyPair } from '../fixtures/identity/certs.ts';
import { startDns, type TestDns } from '../fixtures/identity/dns.ts';

const OPERATOR = '00000000-0000-7000-8000-000000000002';
const logs: string[] = [];
const responses: string[] = [];
let core: ReturnType<typeof testCore>;
let dns: TestDns;
let metadataServer: Server;
let metadataOrigin = '';
let far: TestKeyPair;
let soon: TestKeyPair;
let ids: { partner: string; client: string; sub: string; verified: string; unverified: string };
const secrets = new KeyringSecretStore(`Orgdesk-test-${randomBytes(4).toString('hex')}`);

/** Every answer is kept: the token may appear only in the answers meant to carry it. */
async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await core.call(method as never, input);
  responses.push(`${method} ${JSON.stringify(r)}`);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  far = makeCertificate('Contoso IdP signing', 3650);
  soon = makeCertificate('Contoso IdP old signing', 10);
  core = testCore({ secrets, log: (line) => logs.push(line) });
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Contoso Labs' }));
  const verified = await ok(core, 'domains.add', { orgId: client, name: 'contoso.test' });
  const unverified = await ok(core, 'domains.add', { orgId: client, name: 'fabrikam.test' });
  dns = await startDns({ [verified.txtRecord.name]: [verified.txtRecord.value] }, ['test']);
  await ok(core, 'identity.settings.set', { dnsServer: dns.server });
  expect((await ok(core, 'domains.verify', { id: verified.id })).status).toBe('verified');
  ids = { partner, client, sub, verified: verified.id, unverified: unverified.id };
  await ok(core, 'users.create', { orgId: sub, name: 'Ana Pereira', email: 'ana@contoso.test', roleId: OPERATOR });

  metadataServer = createServer((req, res) => {
    if (req.url === '/app/metadata') {
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' });
      res.end(idpMetadataXml({ entityId: 'http://www.okta.com/exk1', ssoUrl: 'https://contoso.okta.example/app/sso/saml', certs: [far.certBase64] }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => metadataServer.listen(0, '127.0.0.1', () => r()));
  metadataOrigin = `http://127.0.0.1:${(metadataServer.address() as { port: number }).port}`;
});

afterAll(async () => {
  await dns?.close();
  await new Promise<void>((r) => (metadataServer ? metadataServer.close(() => r()) : r()));
  core?.dispose();
});

describe('SSO connections', () => {
  it('reads IdP metadata from XML and from a URL; refuses what is not IdP metadata', async () => {
    const xml = idpMetadataXml({ entityId: 'https://sts.windows.net/tenant-1/', ssoUrl: 'https://login.microsoftonline.example/tenant-1/saml2', certs: [far.certBase64, soon.certBase64] });
    const parsed = await ok(core, 'sso.parseMetadata', { xml });
    expect(parsed.idpEntityId).toBe('https://sts.windows.net/tenant-1/');
    expect(parsed.idpSsoUrl).toBe('https://login.microsoftonline.example/tenant-1/saml2'); // HTTP-Redirect preferred
    expect(parsed.certificates).toHaveLength(2);
    expect(parsed.certificateInfo.map((c) => [c.subject, c.status])).toEqual([['CN=Contoso IdP signing', 'ok'], ['CN=Contoso IdP old signing', 'expiring']]);

    const fetched = await ok(core, 'sso.parseMetadata', { url: `${metadataOrigin}/app/metadata` });
    expect(fetched.idpEntityId).toBe('http://www.okta.com/exk1');

    expect((await fails(core, 'sso.parseMetadata', { url: `${metadataOrigin}/missing` })).key).toBe('sso.metadata_fetch_failed');
    expect((await fails(core, 'sso.parseMetadata', { url: 'file:///etc/passwd' })).key).toBe('sso.metadata_url_invalid');
    expect((await fails(core, 'sso.parseMetadata', { xml: '<not-xml' })).key).toBe('sso.metadata_invalid');
    expect((await fails(core, 'sso.parseMetadata', { xml: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' })).key).toBe('sso.metadata_invalid');
    const spMetadata = (await ok(core, 'sso.spInfo', { orgId: ids.client, connectionId: randomUUID() })).metadataXml;
    expect((await fails(core, 'sso.parseMetadata', { xml: spMetadata })).key).toBe('sso.metadata_invalid');
  });

  it('creates a connection: core rules per field, verified domains only, certificate flags; sub-organizations inherit', async () => {
    const base = { orgId: ids.client, kind: 'okta', name: 'Okta', idpEntityId: 'http://www.okta.com/exk1', idpSsoUrl: 'https://contoso.okta.example/sso', certificates: [far.certPem], domainIds: [ids.verified] };
    const field = async (over: Record<string, unknown>) => (await fails(core, 'sso.create', { ...base, id: randomUUID(), ...over })).fields;
    expect((await field({ name: ' ' }))?.name?.[0]?.key).toBe('sso.name_required');
    expect((await field({ idpEntityId: '' }))?.idpEntityId?.[0]?.key).toBe('sso.entity_id_required');
    expect((await field({ idpSsoUrl: 'javascript:alert(1)' }))?.idpSsoUrl?.[0]?.key).toBe('sso.sso_url_invalid');
    expect((await field({ certificates: [] }))?.certificates?.[0]?.key).toBe('sso.certificate_required');
    expect((await field({ certificates: ['-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----'] }))?.certificates?.[0]?.key).toBe('sso.certificate_invalid');
    expect((await field({ domainIds: [ids.unverified] }))?.domainIds?.[0]).toEqual({ key: 'sso.domain_not_verified', params: { name: 'fabrikam.test' } });
    const expired = makeCertificateBetween('Old IdP', '20200101000000Z', '20210101000000Z');
    expect((await field({ certificates: [far.certPem, expired.certPem] }))?.certificates?.[0]).toEqual({ key: 'sso.certificate_expired', params: { n: 2, date: '2021-01-01' } });
    const parsedExpired = await ok(core, 'sso.parseMetadata', { xml: idpMetadataXml({ entityId: 'urn:old', ssoUrl: 'https://old.example/sso', certs: [expired.certBase64] }) });
    expect(parsedExpired.certificateInfo[0]).toMatchObject({ status: 'expired', notAfter: '2021-01-01T00:00:00.000Z' });
    expect((await fails(core, 'sso.create', { ...base, id: randomUUID(), orgId: ids.sub })).key).toBe('sso.not_main_org');
    expect((await ok(core, 'sso.list', { orgId: ids.client })).items).toEqual([]);

    const id = randomUUID();
    const okta = await call<{ id: string; provider: string; certificateStatus: string; domains: unknown[]; sp: { acsUrl: string }; version: number }>('sso.create', { ...base, id });
    expect(okta).toMatchObject({ id, provider: 'okta', certificateStatus: 'ok', domains: [{ id: ids.verified, name: 'contoso.test', verified: true }] });
    expect(okta.sp.acsUrl).toMatch(new RegExp(`/saml/${id}/acs$`));
    expect((await fails(core, 'sso.create', { ...base, id })).key).toBe('sso.id_taken');

    // A Custom SAML connection to Google Workspace is provider 'google'; one whose only certificate expires in 10 days is flagged.
    await ok(core, 'sso.create', { ...base, id: randomUUID(), kind: 'saml', name: 'Google Workspace', idpEntityId: 'https://accounts.google.com/o/saml2?idpid=C01', certificates: [soon.certPem] });
    const list = await ok(core, 'sso.list', { orgId: ids.sub });
    expect(list).toMatchObject({ inherited: true, mainOrgName: 'Contoso' });
    expect(list.items.map((c) => [c.name, c.provider, c.certificateStatus])).toEqual([['Google Workspace', 'google', 'expiring'], ['Okta', 'okta', 'ok']]);
    expect(list.alerts).toMatchObject([{ name: 'Google Workspace', status: 'expiring' }]);

    // Renewing the certificate clears the flag.
    const google = list.items[0]!;
    const renewed = await ok(core, 'sso.update', { id: google.id, baseVersion: google.version, changes: { certificates: [soon.certPem, far.certPem] } });
    expect(renewed.certificateStatus).toBe('ok');
    expect(renewed.certificates).toHaveLength(2);
    expect((await ok(core, 'sso.list', { orgId: ids.client })).alerts).toEqual([]);
    // Someone else's edit in between is a conflict.
    expect((await fails(core, 'sso.update', { id: google.id, baseVersion: google.version, changes: { certificates: [far.certPem] } })).code).toBe('CONFLICT');
  });

  it('SCIM token: shown once, kept in the real keychain, masked, revealed and copied with audit entries, rotated, and found nowhere else', async () => {
    const okta = (await ok(core, 'sso.list', { orgId: ids.client })).items.find((c) => c.name === 'Okta')!;
    const enabled = await call<{ token: string; endpointUrl: string; connection: { scim: { enabled: boolean; maskedToken: string; tokenInKeychain: boolean } } }>('sso.scim.enable', { id: okta.id });
    const token = enabled.token;
    expect(token).toMatch(/^odscim_[\w-]{40,}$/);
    expect(enabled.endpointUrl).toMatch(/\/scim\/v2$/);
    expect(enabled.connection.scim).toMatchObject({ enabled: true, tokenInKeychain: true });
    expect(enabled.connection.scim.maskedToken).not.toContain(token.slice(7, 15));
    expect(await secrets.get(`scim-token:${okta.id}`)).toBe(token);
    expect(verifyScimToken(core.db, token)).toMatchObject({ orgId: ids.client, connectionId: okta.id });

    const revealed = await call<{ token: string; seconds: number }>('sso.scim.reveal', { id: okta.id });
    expect(revealed).toEqual({ token, seconds: 30 });
    const copied = await call<{ token: string; seconds: number }>('sso.scim.copy', { id: okta.id });
    expect(copied).toEqual({ token, seconds: 60 });
    const audit = await ok(core, 'audit.list', { orgId: ids.client });
    const actions = audit.items.map((a) => a.action);
    expect(actions).toContain('sso.scim.reveal');
    expect(actions).toContain('sso.scim.copy');
    expect(actions).toContain('sso.scim.enable');

    // Rotate: a new token, the old one refused at once, the keychain holds the new one.
    const rotated = await call<{ token: string }>('sso.scim.rotate', { id: okta.id });
    expect(rotated.token).not.toBe(token);
    expect(verifyScimToken(core.db, token)).toBeNull();
    expect(verifyScimToken(core.db, rotated.token)).not.toBeNull();
    expect(await secrets.get(`scim-token:${okta.id}`)).toBe(rotated.token);

    // Ordinary reads, exports, audit CSV: all kept as evidence for the search below.
    await call('sso.list', { orgId: ids.client });
    await call('sso.list', { orgId: ids.sub });
    await call('audit.list', { orgId: ids.client, limit: 500 });
    const csv = await call<{ csv: string }>('audit.exportCsv', { orgId: ids.client });
    const { jobId } = await call<{ jobId: string }>('users.exportStart', { orgId: ids.client, includeSubOrgs: true, format: 'csv', language: 'en' });
    expect((await finalState(core, jobId)).state).toBe('done');
    const { jobId: xlsxJob } = await call<{ jobId: string }>('users.exportStart', { orgId: ids.client, includeSubOrgs: true, format: 'xlsx', language: 'en' });
    expect((await finalState(core, xlsxJob)).state).toBe('done');

    // The leak search: every file of the data dir (database, -wal, -shm, exports), logs, answers.
    const files = filesUnder(core.dir);
    expect(files.some((f) => f.endsWith('orgdesk.db-wal'))).toBe(true);
    expect(files.some((f) => f.includes('transfers'))).toBe(true);
    for (const t of [token, rotated.token]) {
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(t)), f).toBe(false);
      // Also the token's secret part alone, in case something stripped the prefix.
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(t.slice(7))), f).toBe(false);
      expect(logs.join('\n')).not.toContain(t);
      expect(csv.csv).not.toContain(t);
      const carriers = new Set(['sso.scim.enable', 'sso.scim.rotate', 'sso.scim.reveal', 'sso.scim.copy']);
      for (const r of responses) if (!carriers.has(r.split(' ')[0]!)) expect(r).not.toContain(t.slice(7));
    }

    // Disable: the token stops working and leaves the keychain; reveal is refused with a reason.
    const off = await ok(core, 'sso.scim.disable', { id: okta.id });
    expect(off.scim).toMatchObject({ enabled: false, endpointUrl: null, maskedToken: null });
    expect(verifyScimToken(core.db, rotated.token)).toBeNull();
    expect(await secrets.get(`scim-token:${okta.id}`)).toBeNull();
    expect((await fails(core, 'sso.scim.reveal', { id: okta.id })).key).toBe('sso.scim_off');

    // A token created on another console (not in this keychain) cannot be revealed: rotate instead.
    await ok(core, 'sso.scim.enable', { id: okta.id });
    await secrets.delete(`scim-token:${okta.id}`);
    expect((await ok(core, 'sso.list', { orgId: ids.client })).items.find((c) => c.id === okta.id)!.scim.tokenInKeychain).toBe(false);
    expect((await fails(core, 'sso.scim.copy', { id: okta.id })).key).toBe('sso.token_not_in_keychain');

    // Removing the connection revokes its tokens and clears the keychain.
    const again = await ok(core, 'sso.scim.rotate', { id: okta.id });
    await ok(core, 'sso.remove', { id: okta.id });
    expect(verifyScimToken(core.db, again.token)).toBeNull();
    expect(await secrets.get(`scim-token:${okta.id}`)).toBeNull();
  });

  it('removing a domain detaches it from the connections that used it', async () => {
    const google = (await ok(core, 'sso.list', { orgId: ids.client })).items.find((c) => c.name === 'Google Workspace')!;
    expect(google.domains).toHaveLength(1);
    expect(await ok(core, 'domains.remove', { id: ids.verified })).toEqual({ ok: true, detachedFrom: 1 });
    expect((await ok(core, 'sso.list', { orgId: ids.client })).items.find((c) => c.name === 'Google Workspace')!.domains).toEqual([]);
  });

  it('a keychain that refuses the token: SCIM stays off, the token is revoked, nothing logged with it', async () => {
    class LockedKeychain extends MemorySecretStore {
      override async set(): Promise<void> { throw new Error('the keychain is locked'); }
    }
    const lines: string[] = [];
    const locked = testCore({ secrets: new LockedKeychain(), log: (l) => lines.push(l) });
    try {
      const { id: partner } = await ok(locked, 'org.create', orgInput());
      const id = randomUUID();
      await ok(locked, 'sso.create', { id, orgId: partner, kind: 'saml', name: 'IdP', idpEntityId: 'urn:idp', idpSsoUrl: 'https://idp.example/sso', certificates: [far.certPem], domainIds: [] });
      const err = await fails(locked, 'sso.scim.enable', { id });
      expect(err).toMatchObject({ code: 'INTERNAL', key: 'sso.keychain_failed', params: { reason: 'the keychain is locked' } });
      expect((await ok(locked, 'sso.list', { orgId: partner })).items[0]!.scim.enabled).toBe(false);
      expect(locked.db.prepare('SELECT count(*) AS n FROM scim_tokens WHERE revoked_at IS NULL').get()).toEqual({ n: 0 });
      expect(lines.join('\n')).not.toContain('odscim_');
    } finally {
      locked.dispose();
    }
  });
});
