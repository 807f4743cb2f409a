/** Schema of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4). Version 9 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const scimMigrations: readonly Migration[] = [
  {
    version: 9,
    name: 'SCIM users, groups, memberships and provisioning settings',
    sql: `
      -- The SCIM side of a user provisioned (or linked) by an identity manager. The SCIM id is the
      -- user's own id. resource = the client's attributes in canonical form, echoed back as sent
      -- (an identity manager that reads back something else re-sends it forever).
      CREATE TABLE scim_users (
        user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        connection_id  TEXT NOT NULL,
        user_name      TEXT NOT NULL,
        user_name_fold TEXT NOT NULL,
        external_id    TEXT,
        active         INTEGER NOT NULL CHECK (active IN (0,1)),
        resource       TEXT NOT NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT,
        UNIQUE (org_id, user_name_fold)
      ) STRICT;
      CREATE INDEX scim_users_external ON scim_users (org_id, external_id);

      -- A group pushed by the identity manager (flat: groups never contain groups). role_id and
      -- target_org_id are the console's mapping: the role its users get, in which organization.
      CREATE TABLE scim_groups (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        connection_id  TEXT NOT NULL,
        display_name   TEXT NOT NULL,
        display_fold   TEXT NOT NULL,
        external_id    TEXT,
        member_count   INTEGER NOT NULL DEFAULT 0,
        role_id        TEXT REFERENCES roles(id),
        target_org_id  TEXT REFERENCES organizations(id) ON DELETE SET NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT,
        UNIQUE (org_id, display_fold)
      ) STRICT;

      CREATE TABLE scim_group_members (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        group_id       TEXT NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
        user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT,
        UNIQUE (group_id, user_id)
      ) STRICT;
      CREATE INDEX scim_group_members_user ON scim_group_members (user_id);

      -- Data protection, per main organization: archived SCIM users are deleted after this many
      -- days (NULL = never, the default).
      CREATE TABLE scim_settings (
        org_id                  TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        archived_retention_days INTEGER,
        version                 INTEGER NOT NULL,
        field_versions          TEXT NOT NULL DEFAULT '{}',
        created_at              TEXT NOT NULL,
        created_by              TEXT,
        updated_at              TEXT NOT NULL,
        updated_by              TEXT
      ) STRICT;
    `,
  },
];
