/**
 * Orgdesk as a SAML 2.0 service provider, per SSO connection: the URLs and metadata an identity
 * manager is given, the AuthnRequest of an SP-initiated sign-in, and the check of the IdP's
 * response at the Assertion Consumer Service. @node-saml/node-saml verifies the XML signature
 * against the connection's certificates (only what the signature covers is read), the issuer,
 * the audience, the time window and InResponseTo; we add the Destination check and the
 * assertion-id replay guard (saml_assertions) on top.
 */
import { DOMParser } from '@xmldom/xmldom';
import { SAML, ValidateInResponseTo, generateServiceProviderMetadata, type CacheItem, type CacheProvider, type Profile } from '@node-saml/node-saml';
import type { ServiceProviderInfo } from '../../../shared/model/identity.ts';

export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** How long an AuthnRequest id waits for its response. */
const REQUEST_TTL_MS = 10 * 60_000;

export interface SpConnection {
  id: string;
  idpEntityId: string;
  idpSsoUrl: string;
  certificates: string[];
}

export function spUrls(portalBaseUrl: string, connectionId: string) {
  const base = `${portalBaseUrl.replace(/\/+$/, '')}/saml/${connectionId}`;
  return { entityId: base, acsUrl: `${base}/acs`, metadataUrl: `${base}/metadata`, loginUrl: `${base}/login` };
}

export function spMetadataXml(portalBaseUrl: string, connectionId: string): string {
  const urls = spUrls(portalBaseUrl, connectionId);
  return generateServiceProviderMetadata({
    issuer: urls.entityId,
    callbackUrl: urls.acsUrl,
    identifierFormat: NAMEID_EMAIL,
    wantAssertionsSigned: true,
    publicCerts: null,
    decryptionCert: null,
  });
}

export function spInfo(portalBaseUrl: string, connectionId: string): ServiceProviderInfo {
  return { ...spUrls(portalBaseUrl, connectionId), metadataXml: spMetadataXml(portalBaseUrl, connectionId) };
}

/** What a verified response says, before our own rules (domain, user) are applied. */
export interface VerifiedAssertion {
  profile: Profile;
  assertionId: string;
  nameId: string;
  email: string | null;
  attributes: Record<string, unknown>;
}

export class SamlRejection extends Error {
  readonly kind: 'invalid' | 'destination' | 'replayed';
  constructor(kind: 'invalid' | 'destination' | 'replayed', reason: string) {
    super(reason);
    this.kind = kind;
  }
}

/** AuthnRequest ids waiting for their response; each is taken once (node-saml removes it on use). */
class RequestIdCache implements CacheProvider {
  private readonly items = new Map<string, { value: string; at: number }>();
  private readonly ttlMs: number;
  constructor(ttlMs: number) { this.ttlMs = ttlMs; }
  private prune() {
    const limit = Date.now() - this.ttlMs;
    for (const [k, v] of this.items) if (v.at < limit) this.items.delete(k);
  }
  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    this.prune();
    if (this.items.has(key)) return null;
    const at = Date.now();
    this.items.set(key, { value, at });
    return { value, createdAt: at };
  }
  async getAsync(key: string): Promise<string | null> {
    this.prune();
    return this.items.get(key)?.value ?? null;
  }
  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    const item = this.items.get(key);
    this.items.delete(key);
    return item?.value ?? null;
  }
}

/** The service provider side of every connection of one core; it remembers AuthnRequest ids. */
export function createServiceProvider() {
  // AuthnRequest ids live in this process: an SP-initiated sign-in starts and ends at the same Portal.
  const requests = new RequestIdCache(REQUEST_TTL_MS);

  const samlFor = (portalBaseUrl: string, c: SpConnection) => {
    const urls = spUrls(portalBaseUrl, c.id);
    return new SAML({
      issuer: urls.entityId,
      callbackUrl: urls.acsUrl,
      entryPoint: c.idpSsoUrl,
      idpCert: c.certificates,
      idpIssuer: c.idpEntityId,
      audience: urls.entityId,
      identifierFormat: NAMEID_EMAIL,
      // Either the whole response or the assertion must carry a valid signature (Okta and Entra sign
      // the assertion by default, Google the response); node-saml then reads only the signed part.
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      acceptedClockSkewMs: 60_000,
      validateInResponseTo: ValidateInResponseTo.ifPresent,
      requestIdExpirationPeriodMs: REQUEST_TTL_MS,
      cacheProvider: requests,
      disableRequestedAuthnContext: true,
    });
  };

  return {
    async loginUrl(portalBaseUrl: string, c: SpConnection, relayState: string): Promise<string> {
      return samlFor(portalBaseUrl, c).getAuthorizeUrlAsync(relayState, undefined, {});
    },

    /** Verify a base64 SAMLResponse posted to the connection's ACS; throws SamlRejection. */
    async verify(portalBaseUrl: string, c: SpConnection, samlResponse: string): Promise<VerifiedAssertion> {
      const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
      const errors: string[] = [];
      let root: Element | null;
      try {
        const doc = new DOMParser({ onError: (level, m) => { if (level !== 'warning') errors.push(String(m)); } }).parseFromString(xml, 'text/xml');
        root = doc.documentElement as unknown as Element | null;
      } catch {
        throw new SamlRejection('invalid', 'not a SAML response');
      }
      if (errors.length > 0 || !root || root.localName !== 'Response') throw new SamlRejection('invalid', 'not a SAML response');
      // A response signed for another service provider's ACS must not be accepted here.
      if (root.getAttribute('Destination') !== spUrls(portalBaseUrl, c.id).acsUrl) {
        throw new SamlRejection('destination', `Destination ${root.getAttribute('Destination') ?? '(none)'}`);
      }
      let profile: Profile | null;
      try {
        ({ profile } = await samlFor(portalBaseUrl, c).validatePostResponseAsync({ SAMLResponse: samlResponse }));
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new SamlRejection(/InResponseTo/.test(reason) ? 'replayed' : 'invalid', reason);
      }
      if (!profile) throw new SamlRejection('invalid', 'no assertion');
      // node-saml compares idpIssuer only when told to in some paths; the signed assertion's issuer decides here.
      if (profile.issuer !== c.idpEntityId) throw new SamlRejection('invalid', `unexpected issuer ${String(profile.issuer).slice(0, 100)}`);
      // The id of the assertion node-saml verified (not of whatever else the document holds).
      let signed: Element | null;
      try {
        signed = new DOMParser().parseFromString(profile.getAssertionXml?.() ?? '', 'text/xml').documentElement as unknown as Element | null;
      } catch {
        signed = null;
      }
      const assertionId = signed?.getAttribute('ID') ?? '';
      if (assertionId === '') throw new SamlRejection('invalid', 'the assertion has no ID');
      const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
      const nameId = profile.nameID ?? '';
      const email = firstString(profile.email) ?? firstString(profile.mail)
        ?? firstString(attributes['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'])
        ?? firstString(attributes.email) ?? (/^[^@\s]+@[^@\s]+$/.test(nameId) ? nameId : null);
      return { profile, assertionId, nameId, email, attributes };
    },
  };
}
export type ServiceProvider = ReturnType<typeof createServiceProvider>;

export function firstString(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = firstString(x);
      if (s) return s;
    }
  }
  return null;
}

export function allStrings(v: unknown): string[] {
  if (typeof v === 'string' && v.trim() !== '') return [v.trim()];
  if (Array.isArray(v)) return v.flatMap(allStrings);
  return [];
}

/** Entra ID sends roles and phone numbers as these claims; other IdPs use short names. */
export const ROLE_CLAIMS = ['http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'role', 'roles', 'groups.role'];
export const PHONE_CLAIMS = [
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/mobilephone',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/mobilephone',
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/telephonenumber',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/otherphone',
  'phone', 'phoneNumber', 'mobilePhone', 'telephoneNumber',
];

export function claim(attributes: Record<string, unknown>, names: readonly string[], join = false): string | null {
  for (const n of names) {
    const values = allStrings(attributes[n]);
    if (values.length > 0) return join ? values.join(', ') : values[0]!;
  }
  return null;
}
