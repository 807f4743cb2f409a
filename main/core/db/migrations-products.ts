/** Schema of Products, agent settings and consumption (issue #5). Version 11 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const productsMigrations: readonly Migration[] = [
  {
    version: 11,
    name: 'products: details, license key mask, agent settings, reporting groups, daily consumption',
    sql: `
      -- The license key itself lives in the OS keychain (account product-license:<id>); SQLite keeps
      -- only its last four characters, for the table and the details.
      ALTER TABLE products ADD COLUMN servicenow_environment TEXT NOT NULL DEFAULT '';
      ALTER TABLE products ADD COLUMN license_key_masked TEXT NOT NULL DEFAULT '';
      -- A fresh random reference each time a key is set, and a count of reveals: both change every
      -- time, so each new key and each reveal is a change in changes and audit (the key never is).
      ALTER TABLE products ADD COLUMN license_key_ref TEXT;
      ALTER TABLE products ADD COLUMN license_key_reveals INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE products ADD COLUMN license_key_revealed_at TEXT;
      ALTER TABLE products ADD COLUMN digital_activity INTEGER NOT NULL DEFAULT 0;
      -- The product's agent settings (JSON); missing keys read as the defaults (shared/model/products.ts).
      ALTER TABLE products ADD COLUMN agent_settings TEXT NOT NULL DEFAULT '{}';
      CREATE UNIQUE INDEX products_org_code ON products (org_id, code COLLATE NOCASE);

      -- A reporting group of a product's devices: its overrides (JSON, only the settings it changes)
      -- replace the product's for those devices.
      CREATE TABLE product_reporting_groups (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        product_id     TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL,
        overrides      TEXT NOT NULL DEFAULT '{}',
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE UNIQUE INDEX product_reporting_groups_name ON product_reporting_groups (product_id, name_fold);

      -- One figure per product and day, from the Portal (synced), a CSV import or the sample data.
      CREATE TABLE product_consumption (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        product_id     TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        day            TEXT NOT NULL,
        figure         INTEGER NOT NULL,
        source         TEXT NOT NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE UNIQUE INDEX product_consumption_day ON product_consumption (product_id, day);
    `,
  },
];
