import { beforeAll, describe, expect, it } from 'vitest';
import { parseIdpMetadata } from '../../main/core/identity/metadata.ts';
import { describeCertificate, lastExpiry, normalizePem, parseCertificate } from '../../main/core/identity/certificates.ts';
import { AppError } from '../../main/core/errors.ts';
import { makeCertificate, type TestKeyPair } from '../fixtures/identity/certs.ts';

let signing: TestKeyPair;
let encryption: TestKeyPair;
let later: TestKeyPair;

beforeAll(() => {
  signing = makeCertificate('IdP signing', 365);
  encryption = makeCertificate('IdP encryption', 365);
  later = makeCertificate('IdP next signing', 730);
});

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).params?.reason;
  }
  throw new Error('no error');
};

const key = (use: string | null, cert: string) =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n  ${cert.match(/.{1,76}/g)!.join('\n  ')}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

describe('IdP metadata', () => {
  it('reads the IdP of an EntitiesDescriptor: signing keys only (unspecified use counts), redirect binding preferred', () => {
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <md:EntityDescriptor entityID="https://sp.example/"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
      <md:EntityDescriptor entityID="https://idp.example/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        ${key('signing', signing.certBase64)}${key('encryption', encryption.certBase64)}${key(null, later.certBase64)}
        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/>
        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/redirect"/>
      </md:IDPSSODescriptor></md:EntityDescriptor></md:EntitiesDescriptor>`;
    const m = parseIdpMetadata(xml);
    expect(m.idpEntityId).toBe('https://idp.example/saml');
    expect(m.idpSsoUrl).toBe('https://idp.example/redirect');
    expect(m.certificates).toEqual([normalizePem(signing.certBase64), normalizePem(later.certBase64)]);
  });

  it('falls back to the POST binding', () => {
    const xml = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:idp"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${signing.certBase64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
      <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/></IDPSSODescriptor></EntityDescriptor>`;
    expect(parseIdpMetadata(xml)).toMatchObject({ idpEntityId: 'urn:idp', idpSsoUrl: 'https://idp.example/post' });
  });

  it('says what is wrong', () => {
    const md = (inner: string, entity = 'entityID="urn:idp"') =>
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ${entity}><md:IDPSSODescriptor>${inner}</md:IDPSSODescriptor></md:EntityDescriptor>`;
    const sso = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>';
    expect(reasonOf(() => parseIdpMetadata(md(sso)))).toBe('no signing certificate');
    expect(reasonOf(() => parseIdpMetadata(md(key('encryption', encryption.certBase64) + sso)))).toBe('no signing certificate');
    expect(reasonOf(() => parseIdpMetadata(md(key('signing', signing.certBase64))))).toMatch(/no SingleSignOnService/);
    expect(reasonOf(() => parseIdpMetadata(md(key('signing', signing.certBase64) + sso.replace('https://idp.example/sso', 'javascript:alert(1)'))))).toMatch(/no SingleSignOnService/);
    expect(reasonOf(() => parseIdpMetadata(md(key('signing', signing.certBase64) + sso, '')))).toMatch(/no entityID/);
    expect(reasonOf(() => parseIdpMetadata('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'))).toMatch(/DOCTYPE/);
    expect(reasonOf(() => parseIdpMetadata('<md:EntityDescriptor'))).toBeTruthy();
  });
});

describe('certificates', () => {
  it('reads PEM and bare base64 alike, describes subject, expiry and fingerprint', () => {
    const fromPem = parseCertificate(signing.certPem)!;
    const fromBase64 = parseCertificate(` ${signing.certBase64.slice(0, 40)}\n${signing.certBase64.slice(40)} `)!;
    expect(fromBase64.fingerprint256).toBe(fromPem.fingerprint256);
    const info = describeCertificate(fromPem, new Date());
    expect(info).toMatchObject({ subject: 'CN=IdP signing', issuer: 'CN=IdP signing', status: 'ok' });
    expect(info.daysLeft).toBeGreaterThanOrEqual(363);
    expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // A year from now it has expired.
    expect(describeCertificate(fromPem, new Date(Date.now() + 366 * 86_400_000)).status).toBe('expired');
    expect(describeCertificate(fromPem, new Date(Date.now() + 340 * 86_400_000)).status).toBe('expiring');
  });

  it('refuses what is not a certificate', () => {
    expect(normalizePem('')).toBeNull();
    expect(normalizePem('-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----')).toBeNull();
    expect(parseCertificate('QUJD')).toBeNull();
  });

  it('the connection works until its last certificate expires', () => {
    expect(lastExpiry([signing.certPem, later.certPem])).toBe(new Date(parseCertificate(later.certPem)!.validTo).toISOString());
    expect(lastExpiry(['garbage'])).toBeNull();
  });
});
