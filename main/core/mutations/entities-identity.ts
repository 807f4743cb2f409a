/** The entities of Domains, SSO connections (SAML) and SCIM tokens (issue #4), merged into ENTITIES (entities.ts). */
import { fold } from '../../../shared/rules/text.ts';
import { f, type EntitySpec } from './entity-spec.ts';

export const identityEntities = {
  scimToken: {
    type: 'scimToken',
    table: 'scim_tokens',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      connectionId: f('connection_id'),
      // Only the hash is stored, and even the hash never goes into changes or audit; it travels with
      // sync (kind 'hash'), so a token a console issued works on the Portal, which serves SCIM.
      tokenHash: f('token_hash', 'hash'),
      revokedAt: f('revoked_at'),
      lastUsedAt: f('last_used_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'SCIM token',
  },
  ssoIdentity: {
    type: 'ssoIdentity',
    table: 'sso_identities',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      userId: f('user_id'),
      connectionId: f('connection_id'),
      provider: f('provider'),
      subject: f('subject'),
      role: f('role'),
      phone: f('phone'),
      lastLoginAt: f('last_login_at'),
      loginCount: f('login_count'),
      lastIp: f('last_ip'),
    },
    derived: { subject_fold: { from: 'subject', compute: (v) => fold(String(v)) } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.subject ?? ''),
  },
  domain: {
    type: 'domain',
    table: 'identity_domains',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      name: f('name'),
      displayName: f('display_name'),
      status: f('status'),
      // Published in DNS by design: not a secret.
      verificationToken: f('verification_token'),
      verifiedAt: f('verified_at'),
      lastCheck: f('last_check', 'json'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.displayName ?? row.name ?? ''),
  },
  ssoConnection: {
    type: 'ssoConnection',
    table: 'sso_connections',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      kind: f('kind'),
      name: f('name'),
      idpEntityId: f('idp_entity_id'),
      idpSsoUrl: f('idp_sso_url'),
      certificates: f('certificates', 'json'),
      certExpiresAt: f('cert_expires_at'),
      domainIds: f('domain_ids', 'json'),
      scimEnabled: f('scim_enabled', 'bool'),
      scimTokenCreatedAt: f('scim_token_created_at'),
      // Bumped by "Reveal" and "Copy": the audit entry of each, without the token.
      tokenRevealedAt: f('token_revealed_at'),
      tokenCopiedAt: f('token_copied_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.name ?? ''),
  },
  samlAssertion: {
    type: 'samlAssertion',
    table: 'saml_assertions',
    key: 'id',
    fields: {
      connectionId: f('connection_id'),
      assertionKey: f('assertion_key'),
      expiresAt: f('expires_at'),
    },
    orgIdOf: () => null,
    label: () => 'SAML assertion',
  },
  identitySettings: {
    type: 'identitySettings',
    table: 'identity_settings',
    key: 'id',
    fields: {
      dnsServer: f('dns_server'),
    },
    orgIdOf: () => null,
    label: () => 'Identity settings',
  },
} satisfies Record<string, EntitySpec>;
