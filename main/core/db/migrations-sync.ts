/** Schema of offline-first sync with a Portal server (issue #6). Version 14 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

/**
 * One schema serves both ends (a console and the Portal run the same core): a console fills the
 * sync_meta/sync_org/sync_outbox/sync_conflict tables once it connects; the Portal fills
 * sync_tokens/sync_clients/sync_push_log. A console that never connects keeps them empty.
 */
export const syncMigrations: readonly Migration[] = [
  {
    version: 14,
    name: 'sync: console outbox, per-organization cursors, conflicts; Portal tokens, clients and push log',
    sql: `
      -- Console: client_id, seq_base, portal_url, user, last_sync_at, last_error.
      CREATE TABLE sync_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Console: one row per organization pulled from the Portal (absent = local only).
      CREATE TABLE sync_org (
        org_id       TEXT PRIMARY KEY,
        cursor       INTEGER NOT NULL DEFAULT 0,
        snapshot     TEXT,
        state        TEXT NOT NULL DEFAULT 'initial' CHECK (state IN ('initial','ready','reset','revoked')),
        last_pull_at TEXT,
        last_error   TEXT
      ) STRICT;

      -- Console: each local mutation of a synced organization, committed in the same transaction as
      -- its effects. seq never reuses a value (AUTOINCREMENT); wire seq = seq - seq_base.
      CREATE TABLE sync_outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id TEXT NOT NULL UNIQUE,
        method      TEXT NOT NULL,
        input       TEXT NOT NULL,
        targets     TEXT NOT NULL,
        created     TEXT NOT NULL,
        only_fields TEXT,
        org_ids     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','inflight','done')),
        outcome     TEXT CHECK (outcome IN ('applied','conflict','rejected')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        done_at     TEXT
      ) STRICT;
      CREATE INDEX sync_outbox_state ON sync_outbox (state, seq);

      -- Console: entities touched by not-yet-answered outbox rows (pulls leave them as edited here).
      CREATE TABLE sync_outbox_target (
        seq       INTEGER NOT NULL REFERENCES sync_outbox(seq) ON DELETE CASCADE,
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        base      INTEGER NOT NULL,
        PRIMARY KEY (entity, entity_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sync_outbox_target_seq ON sync_outbox_target (seq);

      -- Console: what a person must see: field conflicts, deletes, rejected changes (with the reason).
      CREATE TABLE sync_conflict (
        id             INTEGER PRIMARY KEY,
        mutation_id    TEXT NOT NULL,
        method         TEXT NOT NULL,
        org_id         TEXT NOT NULL,
        entity         TEXT NOT NULL,
        entity_id      TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('field','deleted_remotely','delete_over_edit','edited_remotely','rejected')),
        field          TEXT,
        base_value     TEXT,
        mine_value     TEXT,
        theirs_value   TEXT,
        theirs_version INTEGER,
        theirs_by      TEXT,
        theirs_at      TEXT,
        code           TEXT,
        message        TEXT,
        created_at     TEXT NOT NULL,
        resolved_at    TEXT,
        resolution     TEXT CHECK (resolution IN ('kept_mine','kept_theirs','dismissed'))
      ) STRICT;
      CREATE INDEX sync_conflict_open ON sync_conflict (resolved_at, org_id);

      -- Portal: a console credential of a Portal user (the token's SHA-256 only; shown once).
      CREATE TABLE sync_tokens (
        id             TEXT PRIMARY KEY,
        user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        org_id         TEXT NOT NULL,
        label          TEXT NOT NULL,
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

      -- Portal: every console that pushed, and the last seq it applied.
      CREATE TABLE sync_clients (
        client_id         TEXT PRIMARY KEY,
        user_id           TEXT NOT NULL,
        last_mutation_seq INTEGER NOT NULL DEFAULT 0,
        created_at        TEXT NOT NULL,
        last_seen_at      TEXT NOT NULL
      ) STRICT;

      -- Portal: the outcome of every pushed mutation, written in the transaction of its effects and
      -- returned verbatim on replay.
      CREATE TABLE sync_push_log (
        mutation_id  TEXT PRIMARY KEY,
        client_id    TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        payload_hash TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('applied','conflict','rejected')),
        result       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        UNIQUE (client_id, seq)
      ) STRICT;

      -- Portal: per organization, the highest change seq whose tombstones were compacted away.
      CREATE TABLE sync_horizon (
        org_id         TEXT PRIMARY KEY,
        purged_through INTEGER NOT NULL
      ) STRICT;

      -- Pull reads changes of one organization after a cursor; conflicts read one entity's changes.
      CREATE INDEX changes_org_seq ON changes (org_id, seq);
      CREATE INDEX changes_entity ON changes (entity, entity_id, version);
    `,
  },
  {
    version: 16,
    name: 'sync: console sessions of signed-in Portal users (kind, expiry, sliding renewal) beside console tokens',
    sql: `
      -- Portal: a credential is a token issued by an administrator (no expiry) or a session a user
      -- got by signing in from a console (expires_at slides forward at use, up to a hard limit).
      ALTER TABLE sync_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'token' CHECK (kind IN ('token','session'));
      ALTER TABLE sync_tokens ADD COLUMN expires_at TEXT;
      ALTER TABLE sync_tokens ADD COLUMN renewed_at TEXT;
      CREATE INDEX sync_tokens_user ON sync_tokens (user_id, kind);
    `,
  },
];
