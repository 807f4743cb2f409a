/** The entities of offline-first sync with a Portal server (issue #6), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

export const syncEntities = {
  // A console's credential on the Portal. It holds a secret, so it never leaves the Portal (sync ships
  // no entity that has a secret field).
  syncToken: {
    type: 'syncToken',
    table: 'sync_tokens',
    key: 'id',
    fields: {
      userId: f('user_id'),
      orgId: f('org_id'),
      label: f('label'),
      tokenHash: f('token_hash', 'secret'),
      revokedAt: f('revoked_at'),
      lastUsedAt: f('last_used_at'),
      kind: f('kind'),
      expiresAt: f('expires_at'),
      renewedAt: f('renewed_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${row.kind === 'session' ? 'Console session' : 'Console token'} ${String(row.label ?? '')}`,
  },
} satisfies Record<string, EntitySpec>;
