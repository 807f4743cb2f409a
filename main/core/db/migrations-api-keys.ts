/** Schema of API keys and the Portal REST API (issue #5). Version 12 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const apiKeysMigrations: readonly Migration[] = [
  {
    version: 12,
    name: 'API keys',
    sql: `
      -- An API key of an organization: the REST API accepts it for that organization and every
      -- organization below it, with its role's permissions, until it expires or is revoked. The
      -- key ID is public; of the secret only the SHA-256 of the whole key is kept (the console also
      -- keeps the key in the OS keychain, account api-key:<id>). Revoked keys stay listed.
      CREATE TABLE api_keys (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        key_id         TEXT NOT NULL UNIQUE,
        secret_hash    TEXT NOT NULL,
        role_id        TEXT NOT NULL REFERENCES roles(id),
        expires_at     TEXT NOT NULL,
        revoked_at     TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX api_keys_org ON api_keys (org_id, created_at);
    `,
  },
];
