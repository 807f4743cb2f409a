/** The entities of API keys and the Portal REST API (issue #5), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

export const apiKeysEntities = {
  apiKey: {
    type: 'apiKey',
    table: 'api_keys',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      name: f('name'),
      keyId: f('key_id'),
      // Only the hash is stored, and even the hash never goes into changes or audit; it travels with
      // sync so that a key made on a console works on the Portal.
      secretHash: f('secret_hash', 'hash'),
      roleId: f('role_id'),
      expiresAt: f('expires_at'),
      revokedAt: f('revoked_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.name ?? '')} (${String(row.keyId ?? '')})`,
  },
} satisfies Record<string, EntitySpec>;
