/**
 * The console API of Domains, SSO connections (SAML) and SCIM tokens (issue #4); merged into
 * shared/contract.ts. Domains and connections belong to the main organization: called with a
 * sub-organization, the queries answer the main organization's (marked `inherited`) and the
 * mutations refuse. `portal.saml.*` are the Portal's SAML endpoints' calls.
 */
import { z } from 'zod';
import { Ok, mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import {
  ConnectionFields, ConnectionInput, ConnectionRow, DomainRow, MainOrgScope, ParsedMetadata, ScimTokenOnce, ScimTokenView,
  ServiceProviderInfo, SsoAlert, SsoIdentityView, CertificateInfo,
} from './model/identity.ts';
import { SSO_PROVIDERS } from './rules/identity.ts';

const ClientIp = z.string().max(64);

/**
 * What a console recorded of a SCIM token it issued: the SHA-256 of the token, never the token. The
 * Portal's re-run of the console's change stores that hash, so the token the console showed works
 * on the Portal, which serves SCIM. Refused outside such a re-run.
 */
const RecordedScimToken = z.object({ tokenHash: z.string().regex(/^[0-9a-f]{64}$/) }).optional();

export const identityContract = {
  /** The DNS server domain verification asks ('' = the system's). */
  'identity.settings.get': query(
    z.object({}),
    z.object({ dnsServer: z.string() }),
  ),
  'identity.settings.set': mutation(
    z.object({ dnsServer: z.string().max(100) }),
    z.object({ dnsServer: z.string() }),
  ),

  'domains.list': query(
    z.object({ orgId: Id }),
    MainOrgScope.extend({ items: z.array(DomainRow) }),
  ),
  /** Register a domain (FQDN; internationalized names are stored in punycode): it starts Not verified. */
  'domains.add': mutation(
    z.object({ orgId: Id, name: z.string().max(300) }),
    DomainRow,
  ),
  /**
   * Look up the domain's TXT record now: Verified when it holds the expected value, else what was
   * found. A query by kind so the DNS wait (up to ~5 s) does not hold the writer; the handler takes
   * the writer (deps.withWriter) only for its own write, which goes through the pipeline.
   */
  'domains.verify': query(
    z.object({ id: Id }),
    DomainRow,
  ),
  /** Remove a domain: its users can no longer sign in with SAML; it is detached from every connection. */
  'domains.remove': mutation(
    z.object({ id: Id }),
    z.object({ ok: z.literal(true), detachedFrom: z.number().int() }),
  ),

  'sso.list': query(
    z.object({ orgId: Id }),
    MainOrgScope.extend({ items: z.array(ConnectionRow), alerts: z.array(SsoAlert) }),
  ),
  /** Connections whose signing certificate expired or expires within 30 days: the organization's flag (no keychain access). */
  'sso.alerts': query(
    z.object({ orgId: Id }),
    z.object({ items: z.array(SsoAlert) }),
  ),
  /** What to paste into the identity manager for a connection (also before it is saved: the wizard picks its id). */
  'sso.spInfo': query(
    z.object({ orgId: Id, connectionId: Id }),
    ServiceProviderInfo,
  ),
  /** Read an identity manager's SAML metadata (the XML, or a URL the core fetches): entity id, sign-on URL, signing certificates. */
  'sso.parseMetadata': query(
    z.union([z.object({ xml: z.string().min(1).max(1_000_000) }), z.object({ url: z.string().trim().max(2048) })]),
    ParsedMetadata,
  ),
  /** Parse and check certificates typed or pasted by hand. */
  'sso.inspectCertificates': query(
    z.object({ certificates: z.array(z.string().max(20_000)).max(10) }),
    z.object({ items: z.array(CertificateInfo) }),
  ),
  'sso.create': mutation(
    ConnectionInput,
    ConnectionRow,
  ),
  /** Edit a connection (renewing a certificate = new certificate list). */
  'sso.update': mutation(
    z.object({ id: Id, baseVersion: z.number().int().min(0), changes: ConnectionFields.partial() }),
    ConnectionRow,
  ),
  /** Remove a connection: its SCIM tokens stop working and leave the keychain. */
  'sso.remove': mutation(
    z.object({ id: Id }),
    Ok,
  ),
  /** Switch SCIM provisioning on: the endpoint and a new token, shown this once in full. */
  'sso.scim.enable': mutation(
    z.object({ id: Id, recorded: RecordedScimToken }),
    ScimTokenOnce,
  ),
  /** A new token; the old one stops working at once. */
  'sso.scim.rotate': mutation(
    z.object({ id: Id, recorded: RecordedScimToken }),
    ScimTokenOnce,
  ),
  'sso.scim.disable': mutation(
    z.object({ id: Id }),
    ConnectionRow,
  ),
  /** The token from the keychain, to show for 30 seconds; audited (without the token). */
  'sso.scim.reveal': mutation(
    z.object({ id: Id }),
    ScimTokenView,
  ),
  /** The token from the keychain, for the clipboard (cleared after 60 seconds); audited (without the token). */
  'sso.scim.copy': mutation(
    z.object({ id: Id }),
    ScimTokenView,
  ),

  /** A user's identities at identity providers, recorded by SAML sign-ins (the Entra ID / Google cards). */
  'users.ssoIdentities': query(
    z.object({ id: Id }),
    z.object({ items: z.array(SsoIdentityView) }),
  ),

  // ---- called by the Portal's SAML endpoints (main/portal/saml) ----
  'portal.saml.metadata': query(
    z.object({ connectionId: Id }),
    z.object({ xml: z.string() }),
  ),
  /** SP-initiated sign-in: the identity manager's URL carrying a new AuthnRequest (its id is remembered for InResponseTo). */
  'portal.saml.loginUrl': mutation(
    z.object({ connectionId: Id, relayState: z.string().max(500).default('') }),
    z.object({ url: z.string() }),
  ),
  /**
   * The Assertion Consumer Service: check the IdP's signed response and record the sign-in. A query
   * by kind so the signature checks run without holding the writer; its writes take it (withWriter).
   */
  'portal.saml.acs': query(
    z.object({ connectionId: Id, samlResponse: z.string().min(1).max(2_000_000), relayState: z.string().max(500).default(''), ip: ClientIp }),
    z.object({
      user: z.object({ name: z.string(), email: z.string() }),
      orgName: z.string(),
      provider: z.enum(SSO_PROVIDERS),
      connectionName: z.string(),
    }),
  ),
} as const;
