import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DB_FILE, openDatabase } from '../../main/core/db/open-database.ts';
import { LATEST_VERSION, MIGRATIONS, schemaVersion } from '../../main/core/db/migrations.ts';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { ok, tempDir } from './helpers.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};

function healthy(db: Database.Database) {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
}

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('build the whole schema from an empty file, with WAL and foreign keys on', () => {
    const db = openDatabase(fresh());
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['organizations', 'branding', 'users', 'products', 'changes', 'audit', 'actors', 'meta']));
    healthy(db);
    db.close();
  });

  it.each(MIGRATIONS.slice(0, -1).map((m) => m.version))('upgrade a database left at version %i, keeping its data', async (version) => {
    const dir = fresh();
    // A console that stopped at an earlier version, with real data written by the code of that time.
    const old = openDatabase(dir, { targetVersion: version });
    expect(schemaVersion(old)).toBe(version);
    old.close();
    const first = createCore({ dataDir: dir, secrets: new MemorySecretStore(), seedSample: true, log: () => undefined });
    // createCore migrates to the latest; the data seeded must read back through the current API.
    const tree = await ok(first, 'org.tree', {});
    expect(tree.items.length).toBeGreaterThan(5);
    first.close();

    const db = new Database(join(dir, DB_FILE));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    healthy(db);
    db.close();
  });

  it('keep rows written at every earlier version when upgrading', async () => {
    for (const m of MIGRATIONS.slice(0, -1)) {
      const dir = fresh();
      const db = openDatabase(dir, { targetVersion: m.version });
      db.prepare(`INSERT INTO organizations (id, type, parent_id, name, name_fold, email, language, country, sector, version, created_at, updated_at)
                  VALUES ('0190a000-0000-7000-8000-000000000001', 'partner', NULL, 'Old Partner', 'old partner', 'a@b.example', 'en', 'US', 'other', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`).run();
      if (m.version < 3) {
        // Before schema 3 a user's role was its name.
        db.prepare(`INSERT INTO users (id, org_id, name, email, email_fold, role, status, version, created_at, updated_at)
                    VALUES ('0190a000-0000-7000-8000-000000000002', '0190a000-0000-7000-8000-000000000001', 'Old User', 'Old@B.example',
                            'old@b.example', 'operator', 'active', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`).run();
      }
      db.close();
      const core = createCore({ dataDir: dir, secrets: new MemorySecretStore(), log: () => undefined });
      if (m.version < 3) {
        expect(core.db.prepare('SELECT r.name AS role, u.source, u.email_login_enabled FROM users u JOIN roles r ON r.id = u.role_id').get())
          .toEqual({ role: 'Operator', source: 'manual', email_login_enabled: 0 });
      }
      const org = await ok(core, 'org.get', { id: '0190a000-0000-7000-8000-000000000001' });
      expect(org).toMatchObject({ name: 'Old Partner', type: 'partner', createdAt: '2025-01-01T00:00:00.000Z' });
      // Not seeded with the sample: the database already had organizations.
      expect((await ok(core, 'org.tree', {})).items).toHaveLength(1);
      core.close();
    }
  });

  it('refuse a database from a newer Orgdesk with a message that says what to do, leaving it untouched', () => {
    const dir = fresh();
    openDatabase(dir).close();
    const raw = new Database(join(dir, DB_FILE));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer Orgdesk.*Update Orgdesk/);
    const again = new Database(join(dir, DB_FILE));
    expect(schemaVersion(again)).toBe(LATEST_VERSION + 1);
    again.close();
  });

  it('a migration that fails rolls back completely', () => {
    const dir = fresh();
    const db = openDatabase(dir, { targetVersion: 1 });
    // Sabotage: make migration 2's index name already taken.
    db.exec('CREATE INDEX audit_org_actor ON audit (id)');
    db.close();
    expect(() => openDatabase(dir)).toThrow(/already exists/);
    const check = new Database(join(dir, DB_FILE));
    expect(schemaVersion(check)).toBe(1);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'audit_org_action'").get()).toEqual({ n: 0 });
    check.close();
  });
});
