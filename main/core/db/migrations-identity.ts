/** Schema of Domains, SSO connections (SAML) and SCIM tokens (issue #4). Version 8 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const identityMigrations: readonly Migration[] = [
  {
    version: 8,
    name: 'domains, SSO connections, SCIM tokens and SSO identities',
    sql: `
      -- A SCIM bearer token of a main organization's SSO connection. The token itself is shown once
      -- and kept only in the console's OS keychain; this row keeps its SHA-256. Rotating revokes the
      -- old row (revoked_at) and adds a new one, so the old token stops working at once.
      CREATE TABLE scim_tokens (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        connection_id  TEXT NOT NULL,
        token_hash     TEXT NOT NULL UNIQUE,
        revoked_at     TEXT,
        last_used_at   TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX scim_tokens_connection ON scim_tokens (connection_id);

      -- A user's identity at an identity provider, recorded by SAML sign-ins (and linked by SCIM):
      -- what the Microsoft Entra ID / Google cards of a user show. subject_fold = the NameID / UPN,
      -- lower-cased, by which SCIM provisioning links a user who signed in before.
      CREATE TABLE sso_identities (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        connection_id  TEXT NOT NULL,
        provider       TEXT NOT NULL CHECK (provider IN ('okta', 'entra', 'google', 'saml')),
        subject        TEXT NOT NULL,
        subject_fold   TEXT NOT NULL,
        role           TEXT,
        phone          TEXT,
        last_login_at  TEXT,
        login_count    INTEGER NOT NULL DEFAULT 0,
        last_ip        TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT,
        UNIQUE (connection_id, subject_fold)
      ) STRICT;
      CREATE INDEX sso_identities_user ON sso_identities (user_id);
      CREATE INDEX sso_identities_subject ON sso_identities (subject_fold);
    `,
  },
];
