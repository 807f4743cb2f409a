import type Database from 'better-sqlite3';
import { identityMigrations } from './migrations-identity.ts';
import { scimMigrations } from './migrations-scim.ts';
import { orgSettingsMigrations } from './migrations-org-settings.ts';
import { productsMigrations } from './migrations-products.ts';
import { apiKeysMigrations } from './migrations-api-keys.ts';
import { directoryMigrations } from './migrations-directory.ts';
import { syncMigrations } from './migrations-sync.ts';

/**
 * Versioned schema migrations, applied in order at start under PRAGMA user_version, each in its
 * own transaction. Never edit a released migration: add the next one. Tests migrate from an empty
 * file and from every earlier version (test/integration/migrations.test.ts).
 *
 * Every synced entity table carries: id (UUIDv7 made by the writer), version (bumped by each
 * change), field_versions (JSON: field -> the version that last changed it) so that a change can
 * be checked field by field against the version it was based on (../shared/research/sync.md §4.7).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Run after `sql` in the same transaction, for what SQL text cannot say alone: rebuilding a table
   * whose columns other migrations may have added to (SQLite cannot alter a CHECK constraint).
   */
  up?: (db: Database.Database) => void;
  /** `up` rebuilds a table: foreign keys are off around the transaction (SQLite's 12-step ALTER) and checked before it commits. */
  rebuildsTables?: boolean;
}

const FOUNDATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'organizations, branding, users, products, changes and audit',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE organizations (
        id             TEXT PRIMARY KEY,
        type           TEXT NOT NULL CHECK (type IN ('partner','client','suborg')),
        parent_id      TEXT REFERENCES organizations(id),
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL,
        email          TEXT NOT NULL,
        language       TEXT NOT NULL,
        country        TEXT NOT NULL,
        sector         TEXT NOT NULL,
        description    TEXT NOT NULL DEFAULT '',
        is_sample      INTEGER NOT NULL DEFAULT 0 CHECK (is_sample IN (0,1)),
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX organizations_parent ON organizations (parent_id);
      CREATE INDEX organizations_name_fold ON organizations (name_fold);

      -- People who made changes, as they were named when they made them.
      CREATE TABLE actors (
        id    TEXT PRIMARY KEY,
        name  TEXT NOT NULL,
        email TEXT NOT NULL
      ) STRICT;

      CREATE TABLE branding (
        org_id         TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        logo           TEXT,             -- JSON metadata (mime, size, sha256); bytes in logo_data
        logo_data      BLOB,
        cover          TEXT,
        cover_data     BLOB,
        palette        TEXT NOT NULL,    -- JSON {primary, secondary, accent}
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;

      CREATE TABLE users (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id),
        name           TEXT NOT NULL,
        email          TEXT NOT NULL,
        email_fold     TEXT NOT NULL,
        role           TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('active','deactivated','archived')),
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX users_org ON users (org_id);
      CREATE INDEX users_email ON users (email_fold);

      CREATE TABLE products (
        id             TEXT PRIMARY KEY,
        org_id         TEXT NOT NULL REFERENCES organizations(id),
        environment    TEXT NOT NULL,
        product_type   TEXT NOT NULL,
        code           TEXT NOT NULL,
        region         TEXT NOT NULL,
        state          TEXT NOT NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX products_org ON products (org_id);

      -- One row per entity changed by a mutation: what the sync outbox ships.
      CREATE TABLE changes (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id  TEXT NOT NULL,
        mutation     TEXT NOT NULL,
        org_id       TEXT,
        entity       TEXT NOT NULL,
        entity_id    TEXT NOT NULL,
        op           TEXT NOT NULL CHECK (op IN ('create','update','delete')),
        base_version INTEGER NOT NULL,
        version      INTEGER NOT NULL,
        fields       TEXT NOT NULL,      -- JSON {field: {old, new}}; binary and secret values never stored
        actor_id     TEXT NOT NULL,
        at           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX changes_mutation ON changes (mutation_id);

      CREATE TABLE audit (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id  TEXT NOT NULL,
        at           TEXT NOT NULL,
        actor_id     TEXT NOT NULL,
        actor_name   TEXT NOT NULL,
        actor_email  TEXT NOT NULL,
        org_id       TEXT,               -- no foreign key: the log outlives what it describes
        action       TEXT NOT NULL,
        target_type  TEXT NOT NULL,
        target_id    TEXT NOT NULL,
        target_label TEXT NOT NULL,
        before       TEXT,
        after        TEXT
      ) STRICT;
      CREATE INDEX audit_org ON audit (org_id, id);
    `,
  },
  {
    version: 2,
    name: 'audit filters by person and by action',
    sql: `
      CREATE INDEX audit_org_actor ON audit (org_id, actor_id, id);
      CREATE INDEX audit_org_action ON audit (org_id, action, id);
    `,
  },
  {
    version: 3,
    name: 'roles, user source and email login, organization email/password switch',
    sql: `
      CREATE TABLE roles (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        name_fold      TEXT NOT NULL UNIQUE,
        description    TEXT NOT NULL DEFAULT '',
        built_in       INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0,1)),
        version        INTEGER NOT NULL DEFAULT 1,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      -- Built-in reference data with fixed ids, the same on every console and on the Portal.
      INSERT INTO roles (id, name, name_fold, description, built_in, created_at, updated_at) VALUES
        ('00000000-0000-7000-8000-000000000001', 'Organization Administrator', 'organization administrator',
         'Manages the organization: settings, users and integrations.', 1, '2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z'),
        ('00000000-0000-7000-8000-000000000002', 'Operator', 'operator',
         'Runs day-to-day operations; cannot change organization settings.', 1, '2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z'),
        ('00000000-0000-7000-8000-000000000003', 'Read-only', 'read-only',
         'Sees everything and changes nothing.', 1, '2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z');

      ALTER TABLE users ADD COLUMN role_id TEXT REFERENCES roles(id);
      UPDATE users SET role_id = coalesce(
        (SELECT r.id FROM roles r WHERE r.name_fold = lower(users.role)), '00000000-0000-7000-8000-000000000003');
      ALTER TABLE users DROP COLUMN role;
      CREATE INDEX users_role ON users (role_id);
      ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'manual'
        CHECK (source IN ('manual','import','scim','directory'));
      ALTER TABLE users ADD COLUMN email_login_enabled INTEGER NOT NULL DEFAULT 0 CHECK (email_login_enabled IN (0,1));
      ALTER TABLE users ADD COLUMN last_login_at TEXT;
      CREATE INDEX users_org_name ON users (org_id, name);

      -- Set on the main organization, inherited by its sub-organizations.
      ALTER TABLE organizations ADD COLUMN email_password_enabled INTEGER NOT NULL DEFAULT 1
        CHECK (email_password_enabled IN (0,1));
    `,
  },
  {
    version: 4,
    name: 'email/password sign-in: credentials, authenticator apps, recovery codes, links, sessions, sign-ins; mail outbox and SMTP settings',
    // Secrets are stored only as hashes (password: scrypt; links, sessions, recovery codes: SHA-256
    // of 256/80-bit random values), except the authenticator secret, which TOTP needs in clear.
    // A user's credentials go with the user (ON DELETE CASCADE).
    sql: `
      CREATE TABLE auth_credentials (
        user_id             TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        org_id              TEXT NOT NULL,
        password_hash       TEXT,
        password_changed_at TEXT,
        failed_attempts     INTEGER NOT NULL DEFAULT 0,
        locked_until        TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;

      CREATE TABLE auth_totp (
        user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        org_id         TEXT NOT NULL,
        secret         TEXT NOT NULL,    -- base32; enrolled_at NULL = enrolment not finished
        enrolled_at    TEXT,
        last_used_step INTEGER,
        last_used_at   TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;

      CREATE TABLE auth_recovery_codes (
        user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        org_id     TEXT NOT NULL,
        code_hash  TEXT NOT NULL,
        used_at    TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;

      CREATE TABLE auth_login_links (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        org_id     TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        purpose    TEXT NOT NULL CHECK (purpose IN ('welcome','reset')),
        expires_at TEXT NOT NULL,
        used_at    TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX auth_login_links_user ON auth_login_links (user_id);

      CREATE TABLE auth_sessions (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        org_id     TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        stage      TEXT NOT NULL CHECK (stage IN ('password','full')),
        expires_at TEXT NOT NULL,
        ip         TEXT NOT NULL DEFAULT '',
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

      CREATE TABLE auth_sign_ins (
        id      TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        org_id  TEXT NOT NULL,
        method  TEXT NOT NULL,
        at      TEXT NOT NULL,
        ip      TEXT NOT NULL DEFAULT '',
        success INTEGER NOT NULL CHECK (success IN (0,1)),
        reason  TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX auth_sign_ins_user ON auth_sign_ins (user_id, at);

      CREATE TABLE mail_outbox (
        id              TEXT PRIMARY KEY,
        org_id          TEXT,
        user_id         TEXT,            -- no foreign key: the outbox outlives its recipient
        purpose         TEXT NOT NULL,
        to_address      TEXT NOT NULL,
        subject         TEXT NOT NULL,
        html            TEXT NOT NULL,   -- emptied once sent (it may carry a one-time link)
        text_body       TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued','sent','failed','cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error      TEXT,
        sent_at         TEXT,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
      CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
      CREATE INDEX mail_outbox_created ON mail_outbox (created_at, id);

      -- One row ('default'); the SMTP password is in the keychain (smtp-password:default).
      CREATE TABLE mail_settings (
        id              TEXT PRIMARY KEY,
        host            TEXT NOT NULL DEFAULT '',
        port            INTEGER NOT NULL DEFAULT 587,
        security        TEXT NOT NULL DEFAULT 'starttls' CHECK (security IN ('starttls','tls','none')),
        username        TEXT NOT NULL DEFAULT '',
        from_address    TEXT NOT NULL DEFAULT '',
        from_name       TEXT NOT NULL DEFAULT '',
        portal_base_url TEXT NOT NULL DEFAULT 'http://127.0.0.1:8787',
        password_set    INTEGER NOT NULL DEFAULT 0 CHECK (password_set IN (0,1)),
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: "the outbox found by user and by status in order",
    // Issuing a link cancels the user's queued mails: without this index every link scanned the
    // whole outbox, bodies included (5,000 welcome emails after an import took 24 s). The outbox
    // list filters by status, newest first.
    sql: `
      CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
      CREATE INDEX mail_outbox_status ON mail_outbox (status, id);
    `,
  },
  {
    version: 6,
    name: 'email verification codes as a further sign-in method',
    sql: `
      -- Enabled per user by an administrator, for users who lost their other methods.
      ALTER TABLE users ADD COLUMN email_code_enabled INTEGER NOT NULL DEFAULT 0 CHECK (email_code_enabled IN (0,1));
      CREATE TABLE auth_email_codes (
        user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        org_id         TEXT NOT NULL,
        code_hash      TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        version        INTEGER NOT NULL,
        field_versions TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        created_by     TEXT,
        updated_at     TEXT NOT NULL,
        updated_by     TEXT
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'users listed by name from an index',
    // The Users tab pages through 100,000 users sorted by name, case-insensitively: without an
    // index in that collation every page sorted them all (0.3-0.6 s of the core's time).
    sql: `
      DROP INDEX users_org_name;
      CREATE INDEX users_org_name ON users (org_id, name COLLATE NOCASE, id);
    `,
  },
  {
    version: 17,
    name: 'users_org dropped: users_org_name leads with org_id',
    // Every user written (an import of 100,000, a first download from the Portal) paid for an index
    // that users_org_name (org_id, name, id) already answers: one of five secondary B-trees.
    sql: `
      DROP INDEX users_org;
    `,
  },
];

/**
 * Each feature keeps its schema in its own file (migrations-<feature>.ts) with the version numbers
 * it was given; they are applied in version order.
 */
export const MIGRATIONS: readonly Migration[] = [
  ...FOUNDATION_MIGRATIONS,
  ...identityMigrations,
  ...scimMigrations,
  ...orgSettingsMigrations,
  ...productsMigrations,
  ...apiKeysMigrations,
  ...directoryMigrations,
  ...syncMigrations,
].sort((a, b) => a.version - b.version);

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database, targetVersion: number = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new Error(
      `This database was written by a newer Orgdesk (schema ${current}; this version knows up to ${LATEST_VERSION}). Update Orgdesk.`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > targetVersion) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true });
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.up?.(db);
        if (m.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`Migration ${m.version} broke a foreign key`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
}
