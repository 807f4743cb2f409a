/** Schema of directory import from LDAP / Active Directory (issue #7): versions 13 and 15 are this feature's. */
import type Database from 'better-sqlite3';
import type { Migration } from './migrations.ts';

const OLD_STATUS_CHECK = "CHECK (status IN ('active','deactivated','archived'))";
const NEW_STATUS_CHECK = "CHECK (status IN ('active','deactivated','archived','pending'))";

/**
 * Users imported from a directory wait as 'pending' until an administrator accepts them. SQLite
 * cannot alter a CHECK constraint, so the users table is rebuilt from its current definition
 * (whatever columns other features added before this version), with its indexes.
 */
function addPendingStatus(db: Database.Database): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'").get() as { sql: string } | undefined;
  if (!table) throw new Error('users table missing');
  if (!table.sql.includes(OLD_STATUS_CHECK)) {
    if (table.sql.includes(NEW_STATUS_CHECK)) return;
    throw new Error('users.status constraint has an unexpected shape');
  }
  const indexes = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL").all() as { sql: string }[];
  const triggers = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'users'").all() as { sql: string }[];
  const created = table.sql.replace(OLD_STATUS_CHECK, NEW_STATUS_CHECK).replace(/^CREATE TABLE "?users"?/, 'CREATE TABLE users_rebuilt_13');
  db.exec(created);
  db.exec('INSERT INTO users_rebuilt_13 SELECT * FROM users');
  db.exec('DROP TABLE users');
  db.exec('ALTER TABLE users_rebuilt_13 RENAME TO users');
  for (const { sql } of [...indexes, ...triggers]) db.exec(sql);
}

export const directoryMigrations: readonly Migration[] = [
  {
    version: 13,
    name: 'directory sources, links to users by anchor, run history; pending user status',
    rebuildsTables: true,
    up: addPendingStatus,
    sql: `
      CREATE TABLE directory_sources (
        id                  TEXT PRIMARY KEY,
        org_id              TEXT NOT NULL REFERENCES organizations(id),
        name                TEXT NOT NULL,
        kind                TEXT NOT NULL CHECK (kind IN ('activeDirectory','openldap')),
        host                TEXT NOT NULL,
        port                INTEGER NOT NULL,
        security            TEXT NOT NULL CHECK (security IN ('ldaps','startTls','none')),
        ca_certificate      TEXT NOT NULL DEFAULT '',
        bind_dn             TEXT NOT NULL DEFAULT '',
        -- the password itself is in the OS keychain (directory-bind:<id>); this says whether one is set
        has_password        INTEGER NOT NULL DEFAULT 0 CHECK (has_password IN (0,1)),
        base_dn             TEXT NOT NULL,
        user_filter         TEXT NOT NULL DEFAULT '',
        group_filter        TEXT NOT NULL DEFAULT '',
        page_size           INTEGER NOT NULL,
        connect_timeout_ms  INTEGER NOT NULL,
        timeout_ms          INTEGER NOT NULL,
        mapping             TEXT NOT NULL,
        removal_threshold_count   INTEGER NOT NULL,
        removal_threshold_percent INTEGER NOT NULL,
        schedule_minutes    INTEGER NOT NULL DEFAULT 0,
        -- [{groupDn, roleId}] in priority order: a member of several mapped groups gets the first one's role
        group_roles         TEXT NOT NULL DEFAULT '[]',
        -- AD delta watermark: {usn, dnsHostName, invocationId}; written with the run it ends
        delta_state         TEXT,
        last_run_at         TEXT,
        version             INTEGER NOT NULL,
        field_versions      TEXT NOT NULL DEFAULT '{}',
        created_at          TEXT NOT NULL,
        created_by          TEXT,
        updated_at          TEXT NOT NULL,
        updated_by          TEXT
      ) STRICT;
      CREATE INDEX directory_sources_org ON directory_sources (org_id);

      -- One directory entry linked to one user, keyed by its anchor (objectGUID / entryUUID).
      CREATE TABLE directory_links (
        id                  TEXT PRIMARY KEY,
        source_id           TEXT NOT NULL REFERENCES directory_sources(id) ON DELETE CASCADE,
        org_id              TEXT NOT NULL,
        user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        anchor              TEXT NOT NULL,
        dn                  TEXT NOT NULL,
        attributes          TEXT NOT NULL DEFAULT '{}',
        disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
        -- gone from the directory at the last complete read (the user was deactivated or archived)
        missing             INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0,1)),
        -- the user's status before the directory disabled or removed it, restored when it comes back
        status_before       TEXT,
        version             INTEGER NOT NULL,
        field_versions      TEXT NOT NULL DEFAULT '{}',
        created_at          TEXT NOT NULL,
        created_by          TEXT,
        updated_at          TEXT NOT NULL,
        updated_by          TEXT,
        UNIQUE (source_id, anchor)
      ) STRICT;
      CREATE INDEX directory_links_user ON directory_links (user_id);

      CREATE TABLE directory_runs (
        id                  TEXT PRIMARY KEY,
        source_id           TEXT NOT NULL REFERENCES directory_sources(id) ON DELETE CASCADE,
        org_id              TEXT NOT NULL,
        mode                TEXT NOT NULL CHECK (mode IN ('full','delta')),
        trigger_kind        TEXT NOT NULL CHECK (trigger_kind IN ('manual','schedule')),
        state               TEXT NOT NULL,
        started_at          TEXT NOT NULL,
        finished_at         TEXT,
        counts              TEXT NOT NULL,
        removals_skipped    INTEGER NOT NULL DEFAULT 0 CHECK (removals_skipped IN (0,1)),
        removals_need_confirmation INTEGER NOT NULL DEFAULT 0 CHECK (removals_need_confirmation IN (0,1)),
        error               TEXT,
        entries_per_second  INTEGER NOT NULL DEFAULT 0,
        version             INTEGER NOT NULL,
        field_versions      TEXT NOT NULL DEFAULT '{}',
        created_at          TEXT NOT NULL,
        created_by          TEXT,
        updated_at          TEXT NOT NULL,
        updated_by          TEXT
      ) STRICT;
      CREATE INDEX directory_runs_source ON directory_runs (source_id, started_at);
    `,
  },
  {
    version: 15,
    name: 'directory run previews staged in the database',
    // A run's plan waits here until it is applied or discarded: it survives a restart, and a plan of
    // 100,000 users is not held in memory. Bookkeeping of this console, not entities: never synced
    // or audited (the run row and the applied changes are).
    sql: `
      CREATE TABLE directory_plans (
        run_id              TEXT PRIMARY KEY REFERENCES directory_runs(id) ON DELETE CASCADE,
        source_id           TEXT NOT NULL,
        -- the watermark the source keeps when this plan is applied (JSON, as directory_sources.delta_state)
        delta_state         TEXT,
        -- 0 while the read is still adding items; only a complete plan can be shown or applied
        complete            INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0,1)),
        created_at          TEXT NOT NULL
      ) STRICT;

      -- One planned change (create, update, disable, enable, remove, error) in the order decided.
      CREATE TABLE directory_plan_items (
        run_id              TEXT NOT NULL REFERENCES directory_plans(run_id) ON DELETE CASCADE,
        seq                 INTEGER NOT NULL,
        kind                TEXT NOT NULL,
        -- the planned change as JSON (main/core/directory/plan.ts PlanEntry)
        entry               TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX directory_plan_items_kind ON directory_plan_items (run_id, kind, seq);
    `,
  },
];
