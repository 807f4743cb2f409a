/**
 * SAML sign-in on the Portal, over real HTTP: responses signed in the test by throwaway keys
 * (xml-crypto), checked by the Portal's ACS through the core (node-saml): valid, bad signature,
 * tampered, expired, wrong audience, wrong destination, replayed (assertion id and InResponseTo),
 * unverified domain, unknown user; then what the user cards read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import type { CoreClient } from '../../main/core/worker/core-client.ts';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { makeCertificate, type TestKeyPair } from '../fixtures/identity/certs.ts';
import { signedResponse, type ResponseOptions } from '../fixtures/identity/saml-idp.ts';
import { startDns, type TestDns } from '../fixtures/identity/dns.ts';

const OPERATOR = '00000000-0000-7000-8000-000000000002';
const ENTRA_ISSUER = 'https://sts.windows.net/8e2f1c55-0000-4000-8000-000000000001/';
const ROLE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
const PHONE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/mobilephone';

let core: ReturnType<typeof testCore>;
let portal: Portal;
let dns: TestDns;
let idp: TestKeyPair;
let attacker: TestKeyPair;
let entra: { id: string; acsUrl: string; entityId: string };
let ana: { id: string };
let client = '';
let clockOffset = 0;

async function post(connectionId: string, samlResponse: string) {
  const res = await fetch(`${portal.origin}/saml/${connectionId}/acs`, {
    method: 'POST', body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }), redirect: 'manual',
  });
  const html = await res.text();
  return { status: res.status, html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
}

const response = (over: Partial<ResponseOptions & { keyPem: string; certPem: string; signResponse: boolean }> = {}) => signedResponse({
  issuer: ENTRA_ISSUER, destination: entra.acsUrl, audience: entra.entityId, nameId: 'ana@contoso.test', email: 'ana@contoso.test',
  keyPem: idp.keyPem, certPem: idp.certPem, attributes: { [ROLE]: ['Helpdesk', 'Approver'], [PHONE]: '+351 912 345 678' }, ...over,
});

const identity = () => core.db.prepare('SELECT * FROM sso_identities WHERE user_id = ?').get(ana.id) as Record<string, unknown> | undefined;

beforeAll(async () => {
  idp = makeCertificate('Microsoft Azure Federated SSO Certificate', 1095);
  attacker = makeCertificate('Microsoft Azure Federated SSO Certificate', 1095);
  // The core's clock can be moved forward (certificate expiry); SAML time windows use real time.
  core = testCore({ clock: { now: () => new Date(Date.now() + clockOffset) } });
  const coreClient: CoreClient = { call: (m, i) => core.call(m, i), subscribe: () => () => undefined, close: async () => undefined };
  portal = await startPortal({ core: coreClient });
  await ok(core, 'mail.settings.set', { host: '', port: 587, security: 'starttls', username: '', fromAddress: '', fromName: '', portalBaseUrl: portal.origin });
  const { id: partner } = await ok(core, 'org.create', orgInput());
  ({ id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' })));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Contoso Labs' }));
  const contoso = await ok(core, 'domains.add', { orgId: client, name: 'contoso.test' });
  await ok(core, 'domains.add', { orgId: client, name: 'fabrikam.test' });
  dns = await startDns({ [contoso.txtRecord.name]: [contoso.txtRecord.value] }, ['test']);
  await ok(core, 'identity.settings.set', { dnsServer: dns.server });
  expect((await ok(core, 'domains.verify', { id: contoso.id })).status).toBe('verified');
  ana = await ok(core, 'users.create', { orgId: sub, name: 'Ana Pereira', email: 'ana@contoso.test', roleId: OPERATOR });
  await ok(core, 'users.create', { orgId: sub, name: 'Bruno Costa', email: 'bruno@fabrikam.test', roleId: OPERATOR });
  const id = randomUUID();
  const created = await ok(core, 'sso.create', {
    id, orgId: client, kind: 'entra', name: 'Contoso Entra ID', idpEntityId: ENTRA_ISSUER,
    idpSsoUrl: 'https://login.microsoftonline.example/8e2f1c55/saml2', certificates: [idp.certPem], domainIds: [contoso.id],
  });
  entra = { id, acsUrl: created.sp.acsUrl, entityId: created.sp.entityId };
  expect(entra.acsUrl).toBe(`${portal.origin}/saml/${id}/acs`);
});

afterAll(async () => {
  await portal?.close();
  await dns?.close();
  core?.dispose();
});

describe('SAML sign-in at the Portal ACS', () => {
  it('serves the SP metadata the identity manager imports', async () => {
    const res = await fetch(`${portal.origin}/saml/${entra.id}/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await res.text();
    expect(xml).toContain(`entityID="${entra.entityId}"`);
    expect(xml).toContain(`Location="${entra.acsUrl}"`);
    expect((await fetch(`${portal.origin}/saml/${randomUUID()}/metadata`)).status).toBe(404);
  });

  it('a valid signed response signs the user in and records role, phone, count, time and IP', async () => {
    const r = await post(entra.id, response().samlResponse);
    expect(r.status).toBe(200);
    expect(r.text).toContain('Signed in');
    expect(r.text).toContain('Ana Pereira');
    expect(identity()).toMatchObject({ provider: 'entra', subject: 'ana@contoso.test', role: 'Helpdesk, Approver', phone: '+351 912 345 678', login_count: 1, last_ip: '127.0.0.1' });
    const cards = await ok(core, 'users.ssoIdentities', { id: ana.id });
    expect(cards.items).toMatchObject([{ provider: 'entra', connectionName: 'Contoso Entra ID', loginCount: 1, lastIp: '127.0.0.1', role: 'Helpdesk, Approver' }]);
    // The sign-in is in auth_sign_ins too (the user card's history), through the pipeline (audited).
    const detail = await ok(core, 'users.authDetail', { id: ana.id });
    expect(detail.recentSignIns[0]).toMatchObject({ method: 'saml', success: true, ip: '127.0.0.1' });
    expect(core.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'saml.signIn' AND actor_id = ?").get(ana.id)).toEqual({ n: 4 });

    // A response signed over the whole envelope too is accepted; the count goes up.
    expect((await post(entra.id, response({ signResponse: true }).samlResponse)).status).toBe(200);
    expect(identity()).toMatchObject({ login_count: 2 });
  });

  it('refuses a replayed response', async () => {
    const once = response().samlResponse;
    expect((await post(entra.id, once)).status).toBe(200);
    const again = await post(entra.id, once);
    expect(again.status).toBe(403);
    expect(again.text).toContain('already used');
    expect(identity()).toMatchObject({ login_count: 3 });
    // The refused replay is in the user's sign-in history.
    const detail = await ok(core, 'users.authDetail', { id: ana.id });
    expect(detail.recentSignIns[0]).toMatchObject({ method: 'saml', success: false, reason: 'replayed' });
  });

  it('refuses a bad signature, a tampered assertion, an expired one, a wrong audience and a wrong destination', async () => {
    const before = identity()!.login_count;
    const badSig = await post(entra.id, response({ keyPem: attacker.keyPem, certPem: attacker.certPem }).samlResponse);
    expect(badSig.status).toBe(403);
    expect(badSig.text).toMatch(/could not be verified.*signature/i);

    const signed = response().xml.replace('ana@contoso.test</saml:NameID>', 'admin@contoso.test</saml:NameID>');
    expect((await post(entra.id, Buffer.from(signed).toString('base64'))).text).toMatch(/could not be verified/);

    const expired = await post(entra.id, response({ offsetMs: -3_600_000 }).samlResponse);
    expect(expired.status).toBe(403);
    expect(expired.text).toMatch(/could not be verified.*expired/i);

    const audience = await post(entra.id, response({ audience: 'https://someone-else.example/saml' }).samlResponse);
    expect(audience.status).toBe(403);
    expect(audience.text).toMatch(/could not be verified.*audience/i);

    const destination = await post(entra.id, response({ destination: 'https://someone-else.example/acs' }).samlResponse);
    expect(destination.status).toBe(403);
    expect(destination.text).toContain('meant for another address');

    const issuer = await post(entra.id, response({ issuer: 'https://sts.windows.net/another-tenant/' }).samlResponse);
    expect(issuer.status).toBe(403);
    expect(issuer.text).toMatch(/could not be verified.*issuer/i);

    expect((await post(entra.id, Buffer.from('<html>hi</html>').toString('base64'))).status).toBe(403);
    expect((await post(randomUUID(), response().samlResponse)).status).toBe(404);
    expect(identity()!.login_count).toBe(before);
  });

  it('refuses users of unverified or unregistered domains, and unknown users of a verified one', async () => {
    const fabrikam = await post(entra.id, response({ nameId: 'bruno@fabrikam.test', email: 'bruno@fabrikam.test' }).samlResponse);
    expect(fabrikam.status).toBe(403);
    expect(fabrikam.text).toContain('Users of fabrikam.test cannot sign in with single sign-on');
    const elsewhere = await post(entra.id, response({ nameId: 'eve@elsewhere.test', email: 'eve@elsewhere.test' }).samlResponse);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain('Users of elsewhere.test cannot sign in');
    const unknown = await post(entra.id, response({ nameId: 'nobody@contoso.test', email: 'nobody@contoso.test' }).samlResponse);
    expect(unknown.status).toBe(403);
    expect(unknown.text).toContain('no active account for nobody@contoso.test');
    // A deactivated account is refused too, and the attempt is recorded on it.
    const carla = await ok(core, 'users.create', { orgId: client, name: 'Carla Dias', email: 'carla@contoso.test', roleId: OPERATOR });
    await ok(core, 'users.setStatus', { ids: [carla.id], status: 'deactivated' });
    const deactivated = await post(entra.id, response({ nameId: 'carla@contoso.test', email: 'carla@contoso.test' }).samlResponse);
    expect(deactivated.status).toBe(403);
    expect(deactivated.text).toContain('no active account for carla@contoso.test');
    expect((await ok(core, 'users.authDetail', { id: carla.id })).recentSignIns[0]).toMatchObject({ method: 'saml', success: false, reason: 'deactivated' });
    expect(core.db.prepare('SELECT count(*) AS n FROM sso_identities WHERE user_id = ?').get(carla.id)).toEqual({ n: 0 });
    // The same checks answer through the contract with typed errors.
    const err = await fails(core, 'portal.saml.acs', { connectionId: entra.id, samlResponse: response({ nameId: 'bruno@fabrikam.test', email: 'bruno@fabrikam.test' }).samlResponse, ip: '10.0.0.9' });
    expect(err).toMatchObject({ code: 'FORBIDDEN', key: 'saml.domain_not_verified' });
  });

  it('SP-initiated: the login redirect carries an AuthnRequest whose id is accepted once as InResponseTo', async () => {
    const res = await fetch(`${portal.origin}/saml/${entra.id}/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://login.microsoftonline.example/8e2f1c55/saml2');
    const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(request).toContain(`AssertionConsumerServiceURL="${entra.acsUrl}"`);
    const requestId = /ID="([^"]+)"/.exec(request)![1]!;
    const before = identity()!.login_count as number;
    expect((await post(entra.id, response({ inResponseTo: requestId }).samlResponse)).status).toBe(200);
    // A second response to the same request (even with a new assertion id) is a replay.
    const replay = await post(entra.id, response({ inResponseTo: requestId }).samlResponse);
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('already used');
    expect((await post(entra.id, response({ inResponseTo: '_never-asked' }).samlResponse)).status).toBe(403);
    expect(identity()!.login_count).toBe(before + 1);
  });

  it('Google Workspace through a Custom SAML connection feeds the Google card', async () => {
    const google = makeCertificate('Google', 1825);
    const id = randomUUID();
    const domains = (await ok(core, 'domains.list', { orgId: client })).items.filter((d) => d.status === 'verified').map((d) => d.id);
    const c = await ok(core, 'sso.create', {
      id, orgId: client, kind: 'saml', name: 'Google Workspace', idpEntityId: 'https://accounts.google.com/o/saml2?idpid=C01abc',
      idpSsoUrl: 'https://accounts.google.com/o/saml2/idp?idpid=C01abc', certificates: [google.certPem], domainIds: domains,
    });
    expect(c.provider).toBe('google');
    const r = await post(id, signedResponse({
      issuer: 'https://accounts.google.com/o/saml2?idpid=C01abc', destination: c.sp.acsUrl, audience: c.sp.entityId,
      nameId: 'ana@contoso.test', keyPem: google.keyPem, certPem: google.certPem, signResponse: true,
    }).samlResponse);
    expect(r.status).toBe(200);
    const cards = await ok(core, 'users.ssoIdentities', { id: ana.id });
    expect(cards.items.map((i) => [i.provider, i.loginCount])).toEqual(expect.arrayContaining([['google', 1], ['entra', 4]]));
  });

  it('a connection whose only signing certificate has expired refuses every sign-in until renewed', async () => {
    const shortLived = makeCertificate('Expiring IdP', 10);
    const id = randomUUID();
    const domains = (await ok(core, 'domains.list', { orgId: client })).items.filter((d) => d.status === 'verified').map((d) => d.id);
    const c = await ok(core, 'sso.create', {
      id, orgId: client, kind: 'saml', name: 'Short-lived', idpEntityId: 'https://idp.short.test/', idpSsoUrl: 'https://idp.short.test/sso',
      certificates: [shortLived.certPem], domainIds: domains,
    });
    const respond = () => post(id, signedResponse({
      issuer: 'https://idp.short.test/', destination: c.sp.acsUrl, audience: c.sp.entityId, nameId: 'ana@contoso.test',
      keyPem: shortLived.keyPem, certPem: shortLived.certPem,
    }).samlResponse);
    expect((await respond()).status).toBe(200);
    clockOffset = 11 * 86_400_000;
    try {
      const refused = await respond();
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('signing certificate has expired');
      expect((await ok(core, 'sso.alerts', { orgId: client })).items).toMatchObject([{ name: 'Short-lived', status: 'expired' }]);
    } finally {
      clockOffset = 0;
    }
  });
});
