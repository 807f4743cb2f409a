/** Schema of Microservices, Reports and Modules settings (issue #5). Version 10 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

const SYNCED = `
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT`;

export const orgSettingsMigrations: readonly Migration[] = [
  {
    version: 10,
    name: 'microservices and their categories, report categories, Portal modules, per-organization settings',
    sql: `
      -- One row per organization once its settings were first saved; before that the defaults apply
      -- (folder "Flexxible", predefined categories off). Predefined microservice categories are read
      -- from the main organization's row only (sub-organizations inherit them).
      CREATE TABLE org_settings (
        org_id                        TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        microservices_folder          TEXT NOT NULL,
        microservice_categories       INTEGER NOT NULL DEFAULT 0 CHECK (microservice_categories IN (0,1)),
        report_categories             INTEGER NOT NULL DEFAULT 0 CHECK (report_categories IN (0,1)),${SYNCED}
      ) STRICT;

      -- Predefined microservice categories, defined on a main organization.
      CREATE TABLE microservice_categories (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL,${SYNCED},
        UNIQUE (org_id, name_fold)
      ) STRICT;

      -- An organization's microservices. category_id while predefined categories are on; category_text
      -- (a free category) while they are off. Removing a category first uncategorizes its microservices
      -- through the writer (audited), so the reference has no ON DELETE action of its own.
      CREATE TABLE microservices (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL,
        description    TEXT NOT NULL DEFAULT '',
        category_id    TEXT REFERENCES microservice_categories(id),
        category_text  TEXT,${SYNCED},
        UNIQUE (org_id, name_fold)
      ) STRICT;
      CREATE INDEX microservices_category ON microservices (category_id);

      CREATE TABLE report_categories (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL,
        description    TEXT NOT NULL DEFAULT '',
        queries        TEXT NOT NULL DEFAULT '[]',   -- JSON array of query names${SYNCED},
        UNIQUE (org_id, name_fold)
      ) STRICT;

      -- The links the Portal's Home shows end users: featured first, secondary under "View more".
      CREATE TABLE portal_modules (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        label          TEXT NOT NULL,
        label_fold     TEXT NOT NULL,
        url            TEXT NOT NULL,
        visibility     TEXT NOT NULL CHECK (visibility IN ('featured','secondary')),
        custom         INTEGER NOT NULL DEFAULT 1 CHECK (custom IN (0,1)),${SYNCED},
        UNIQUE (org_id, label_fold)
      ) STRICT;
    `,
  },
];
