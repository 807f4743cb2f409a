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

      -- A domain a main organization registered; SAML sign-in accepts users of VERIFIED domains only.
      -- name = punycode, lower case; display_name = as people read it. The TXT record that proves it
      -- is _orgdesk-verification.<name> = orgdesk-verification=<verification_token>.
      CREATE TABLE identity_domains (
        id                 TEXT PRIMARY KEY,
        org_id             TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name               TEXT NOT NULL,
        display_name       TEXT NOT NULL,
        status             TEXT NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified', 'verified')),
        verification_token TEXT NOT NULL,
        verified_at        TEXT,
        last_check         TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT,
        UNIQUE (org_id, name)
      ) STRICT;
      CREATE INDEX identity_domains_name ON identity_domains (name);

      -- A SAML connection of a main organization to its identity manager (Okta, Entra ID, any SAML
      -- IdP). certificates = the IdP's signing certificates (PEM list, JSON); cert_expires_at = the
      -- last of them to expire; domain_ids = the verified domains whose users sign in through it.
      CREATE TABLE sso_connections (
        id                    TEXT PRIMARY KEY,
        org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        kind                  TEXT NOT NULL CHECK (kind IN ('okta', 'entra', 'saml')),
        name                  TEXT NOT NULL,
        idp_entity_id         TEXT NOT NULL,
        idp_sso_url           TEXT NOT NULL,
        certificates          TEXT NOT NULL DEFAULT '[]',
        cert_expires_at       TEXT,
        domain_ids            TEXT NOT NULL DEFAULT '[]',
        scim_enabled          INTEGER NOT NULL DEFAULT 0 CHECK (scim_enabled IN (0, 1)),
        scim_token_created_at TEXT,
        token_revealed_at     TEXT,
        token_copied_at       TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX sso_connections_org ON sso_connections (org_id);

      -- Assertions a connection accepted, kept until they expire: the same assertion (or a response
      -- to the same request) presented again is a replay and is refused.
      CREATE TABLE saml_assertions (
        id             TEXT PRIMARY KEY,
        connection_id  TEXT NOT NULL,
        assertion_key  TEXT NOT NULL UNIQUE,
        expires_at     TEXT NOT NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at);

      -- Console-wide identity settings (one row, id 'default'): the DNS server domain verification
      -- asks ('' = the system's resolvers).
      CREATE TABLE identity_settings (
        id             TEXT PRIMARY KEY,
        dns_server     TEXT NOT NULL DEFAULT '',
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
    `,
  },
];
