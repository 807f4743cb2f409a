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
      // Only the hash is stored, and even the hash never goes into changes or audit.
      tokenHash: f('token_hash', 'secret'),
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
} satisfies Record<string, EntitySpec>;
