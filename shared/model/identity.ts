/**
 * Domains, SSO connections and SCIM tokens as the console sees them. A SCIM token never appears
 * in these shapes: only `ScimTokenOnce` (enable, rotate) and `ScimTokenView` (reveal, copy) carry
 * it, and those answers are written nowhere.
 */
import { z } from 'zod';
import { Actor, Id } from './organization.ts';
import { CERT_STATUSES, CONNECTION_KINDS, DOMAIN_STATUSES, SSO_PROVIDERS } from '../rules/identity.ts';

export const DomainCheckResult = z.object({
  at: z.string(),
  outcome: z.enum(['verified', 'wrong_value', 'no_record', 'error']),
  /** TXT values found under the record's name (wrong_value), or the resolver's error code. */
  found: z.array(z.string()),
});
export type DomainCheckResult = z.output<typeof DomainCheckResult>;

export const DomainRow = z.object({
  id: z.string(),
  orgId: z.string(),
  /** Punycode, lower case: what DNS and email addresses are compared with. */
  name: z.string(),
  /** What people read (the Unicode form of an internationalized name). */
  displayName: z.string(),
  status: z.enum(DOMAIN_STATUSES),
  verifiedAt: z.string().nullable(),
  txtRecord: z.object({ name: z.string(), value: z.string() }),
  lastCheck: DomainCheckResult.nullable(),
  /** Names of the SSO connections this domain is attached to. */
  usedBy: z.array(z.string()),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  version: z.number().int(),
});
export type DomainRow = z.output<typeof DomainRow>;

/** Where a feature's settings live: the main organization; a sub-organization shows them read-only. */
export const MainOrgScope = z.object({
  orgId: z.string(),
  mainOrgId: z.string(),
  mainOrgName: z.string(),
  inherited: z.boolean(),
});

export const CertificateInfo = z.object({
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** SHA-256 fingerprint, colon-separated hex, as identity managers show it. */
  fingerprint: z.string(),
  status: z.enum(CERT_STATUSES),
  daysLeft: z.number().int(),
});
export type CertificateInfo = z.output<typeof CertificateInfo>;

export const ServiceProviderInfo = z.object({
  /** SP Entity ID, a.k.a. Identifier (Entra) / Audience URI (Okta). */
  entityId: z.string(),
  /** Assertion Consumer Service URL, a.k.a. Single Sign-On URL (Okta) / Reply URL (Entra). */
  acsUrl: z.string(),
  metadataUrl: z.string(),
  /** Where users start a sign-in from the Portal (SP-initiated). */
  loginUrl: z.string(),
  metadataXml: z.string(),
});
export type ServiceProviderInfo = z.output<typeof ServiceProviderInfo>;

export const ConnectionRow = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.enum(CONNECTION_KINDS),
  provider: z.enum(SSO_PROVIDERS),
  name: z.string(),
  idpEntityId: z.string(),
  idpSsoUrl: z.string(),
  certificates: z.array(CertificateInfo),
  /** The connection keeps working until its last certificate expires: that one decides the flag. */
  certificateStatus: z.enum(CERT_STATUSES),
  certificateExpiresAt: z.string().nullable(),
  domains: z.array(z.object({ id: z.string(), name: z.string(), verified: z.boolean() })),
  scim: z.object({
    enabled: z.boolean(),
    endpointUrl: z.string().nullable(),
    /** The token's prefix and dots; the token itself only through reveal/copy. */
    maskedToken: z.string().nullable(),
    tokenCreatedAt: z.string().nullable(),
    /** The token is in this console's keychain (reveal/copy work); false: rotate to get a new one. */
    tokenInKeychain: z.boolean(),
  }),
  sp: z.object({ entityId: z.string(), acsUrl: z.string(), metadataUrl: z.string(), loginUrl: z.string() }),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  version: z.number().int(),
});
export type ConnectionRow = z.output<typeof ConnectionRow>;

const Pem = z.string().max(20_000);
export const ConnectionName = z.string().trim().min(1, { error: 'sso.name_required' }).max(120, { error: 'sso.name_too_long' });

export const ConnectionFields = z.object({
  name: ConnectionName,
  idpEntityId: z.string().trim().max(1024),
  idpSsoUrl: z.string().trim().max(2048),
  certificates: z.array(Pem).max(10),
  domainIds: z.array(Id).max(200),
});

export const ConnectionInput = ConnectionFields.extend({
  /** Chosen by the wizard so it can show the SP URLs (which contain it) before saving. */
  id: Id,
  orgId: Id,
  kind: z.enum(CONNECTION_KINDS),
});

export const ParsedMetadata = z.object({
  idpEntityId: z.string(),
  idpSsoUrl: z.string(),
  certificates: z.array(z.string()),
  certificateInfo: z.array(CertificateInfo),
});

export const ScimTokenOnce = z.object({
  connection: ConnectionRow,
  /** The token in full, this one time. */
  token: z.string(),
  endpointUrl: z.string(),
});

export const ScimTokenView = z.object({
  token: z.string(),
  /** Reveal: hide after this many seconds; copy: clear the clipboard after this many. */
  seconds: z.number().int(),
});

export const SsoIdentityView = z.object({
  provider: z.enum(SSO_PROVIDERS),
  connectionName: z.string(),
  subject: z.string(),
  role: z.string().nullable(),
  phone: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  loginCount: z.number().int(),
  lastIp: z.string().nullable(),
});
export type SsoIdentityView = z.output<typeof SsoIdentityView>;

export const SsoAlert = z.object({
  connectionId: z.string(),
  name: z.string(),
  status: z.enum(CERT_STATUSES),
  expiresAt: z.string().nullable(),
});
