/**
 * The console's write of the Portal's rows (applyRemoteRow, main/core/mutations/pipeline.ts): new rows
 * are inserted, a row already exactly as the Portal has it is left alone (no write: its index entries
 * are not rewritten), a row that differs in any column (bytes included) is overwritten, and a row the
 * database refuses is an error that leaves the stored row as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from './helpers.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { asClient, must, seedPortal, syncedState } from '../fixtures/sync/harness.ts';
import { applyRemoteRow } from '../../main/core/mutations/pipeline.ts';
import { ENTITIES } from '../../main/core/mutations/entities.ts';

type TestCore = ReturnType<typeof testCore>;
let core: TestCore | null = null;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  core?.dispose();
  core = null;
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const ORG = '01900000-0000-7000-8000-0000000000aa';
const USER = '01900000-0000-7000-8000-0000000000bb';
const OPERATOR = '00000000-0000-7000-8000-000000000002';
const AT = '2026-01-02T03:04:05.000Z';

const orgData = (over: Record<string, unknown> = {}) => ({
  type: 'partner', parentId: null, name: 'Acme MSP', email: 'ops@acme.example', language: 'en', country: 'US', sector: 'technology',
  description: '', isSample: false, emailPasswordEnabled: false, '@createdAt': AT, '@createdBy': null, '@updatedAt': AT, '@updatedBy': null, ...over,
});
const userData = (over: Record<string, unknown> = {}) => ({
  orgId: ORG, name: 'Ada Lovelace', email: 'Ada@Acme.example', roleId: OPERATOR, status: 'active', source: 'manual', emailLoginEnabled: false,
  emailCodeEnabled: false, lastLoginAt: null, '@createdAt': AT, '@createdBy': null, '@updatedAt': AT, '@updatedBy': null, ...over,
});

function setup() {
  core = testCore();
  const db = core.db;
  const writes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const apply = (entity: keyof typeof ENTITIES, id: string, data: Record<string, unknown> | null, version: number, fieldVersions: Record<string, number>) =>
    db.transaction(() => applyRemoteRow(db, ENTITIES[entity], id, data, version, fieldVersions))();
  return { db, writes, apply };
}

describe("writing the Portal's rows on a console", () => {
  it('inserts a new row, leaves an identical one unwritten and overwrites one that differs', () => {
    const { db, writes, apply } = setup();
    apply('organization', ORG, orgData(), 1, { name: 1 });
    apply('user', USER, userData(), 3, { name: 3, email: 1 });
    const stored = () => db.prepare('SELECT name, email, email_fold, version, field_versions, updated_at FROM users WHERE id = ?').get(USER);
    expect(stored()).toEqual({ name: 'Ada Lovelace', email: 'Ada@Acme.example', email_fold: 'ada@acme.example', version: 3,
      field_versions: '{"name":3,"email":1}', updated_at: AT });

    // The same row again (a row the push's answer brought, pulled once more): nothing is written.
    const before = writes();
    apply('user', USER, userData(), 3, { name: 3, email: 1 });
    expect(writes()).toBe(before);

    // One column differs: the whole row becomes the Portal's, derived columns included.
    apply('user', USER, userData({ email: 'ada@lovelace.example' }), 4, { name: 3, email: 4 });
    expect(writes()).toBe(before + 1);
    expect(stored()).toMatchObject({ email: 'ada@lovelace.example', email_fold: 'ada@lovelace.example', version: 4, field_versions: '{"name":3,"email":4}' });

    // Only the field versions differ: still a write (they decide the next conflict).
    apply('user', USER, userData({ email: 'ada@lovelace.example' }), 4, { name: 4, email: 4 });
    expect(writes()).toBe(before + 2);
    expect(stored()).toMatchObject({ field_versions: '{"name":4,"email":4}' });

    // A delete, and a delete of what is already gone.
    apply('user', USER, null, 0, {});
    expect(db.prepare('SELECT 1 FROM users WHERE id = ?').get(USER)).toBeUndefined();
    expect(() => apply('user', USER, null, 0, {})).not.toThrow();
  });

  it('compares bytes by content', () => {
    const { db, writes, apply } = setup();
    apply('organization', ORG, orgData(), 1, {});
    const logo = (bytes: number[]) => ({ logoData: { $b64: Buffer.from(bytes).toString('base64') }, logo: { name: 'logo.png', type: 'image/png' }, palette: { primary: '#112233' },
      '@createdAt': AT, '@createdBy': null, '@updatedAt': AT, '@updatedBy': null });
    apply('branding', ORG, logo([1, 2, 3]), 1, { logoData: 1 });
    const before = writes();
    apply('branding', ORG, logo([1, 2, 3]), 1, { logoData: 1 });
    expect(writes()).toBe(before);
    apply('branding', ORG, logo([1, 2, 4]), 1, { logoData: 1 });
    expect(writes()).toBe(before + 1);
    const row = db.prepare('SELECT logo_data FROM branding WHERE org_id = ?').get(ORG) as { logo_data: Buffer };
    expect([...row.logo_data]).toEqual([1, 2, 4]);
  });

  it('refuses a row that breaks a rule of this database and keeps the stored one', () => {
    const { db, apply } = setup();
    apply('organization', ORG, orgData(), 1, {});
    apply('user', USER, userData(), 1, {});
    expect(() => apply('user', USER, userData({ status: 'not-a-status' }), 2, {})).toThrow();
    // A new row that breaks a CHECK is not silently dropped by the insert's OR IGNORE.
    expect(() => apply('user', '01900000-0000-7000-8000-0000000000cc', userData({ status: 'not-a-status' }), 1, {}))
      .toThrow(/breaks a rule of this database/);
    expect(db.prepare('SELECT status, version FROM users WHERE id = ?').get(USER)).toEqual({ status: 'active', version: 1 });
  });

  it('after pages and answers committed without their own fsync, local edits are durable again (FULL) and the rows equal the Portal\'s', async () => {
    const portalCore = testCore();
    const portal = await startPortal({ core: asClient(portalCore) });
    const console_ = testCore();
    cleanup.push(() => portalCore.dispose(), () => portal.close(), () => console_.dispose());
    const seed = await seedPortal(portalCore, 2);
    await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
    await must(console_, 'sync.now', { wait: true });
    const user = console_.db.prepare('SELECT id, version FROM users WHERE id = ?').get(seed.users[0]) as { id: string; version: number };
    await must(console_, 'users.update', { id: user.id, baseVersion: user.version, changes: { name: 'Renamed' } });
    await must(console_, 'sync.now', { wait: true });
    const all = [seed.partnerId, ...seed.clientIds];
    expect(syncedState(console_.db, all)).toEqual(syncedState(portalCore.db, all));
    // FULL (2) as openDatabase set it: local edits keep their fsync; deferral ended with its transaction.
    expect(console_.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(console_.db.pragma('defer_foreign_keys', { simple: true })).toBe(0);
  });

  it('sends 250 waiting changes in one request and takes its answers in several short transactions, each change once', async () => {
    const portalCore = testCore();
    let pushes = 0;
    const counted = asClient(portalCore);
    const portal = await startPortal({ core: { ...counted, call: (method, input) => {
      if (method === 'sync.serverPush') pushes++;
      return counted.call(method, input);
    } } });
    const console_ = testCore();
    cleanup.push(() => portalCore.dispose(), () => portal.close(), () => console_.dispose());
    const seed = await seedPortal(portalCore, 2);
    await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
    await must(console_, 'sync.now', { wait: true });
    await must(console_, 'sync.setOffline', { offline: true });
    for (let i = 0; i < 250; i++) {
      const id = seed.users[i % 2]!;
      const { version } = console_.db.prepare('SELECT version FROM users WHERE id = ?').get(id) as { version: number };
      await must(console_, 'users.update', { id, baseVersion: version, changes: { name: `Edit ${i}` } });
    }
    await must(console_, 'sync.setOffline', { offline: false });
    const status = await must<{ pending: number; conflicts: number }>(console_, 'sync.now', { wait: true });
    expect(status).toMatchObject({ pending: 0, conflicts: 0 });
    expect(pushes).toBe(1);
    const outcomes = console_.db.prepare("SELECT outcome, count(*) AS n FROM sync_outbox WHERE state = 'done' GROUP BY outcome").all();
    expect(outcomes).toEqual([{ outcome: 'applied', n: 250 }]);
    expect((portalCore.db.prepare('SELECT count(*) AS n FROM sync_push_log').get() as { n: number }).n).toBe(250);
    const all = [seed.partnerId, ...seed.clientIds];
    expect(syncedState(console_.db, all)).toEqual(syncedState(portalCore.db, all));
    expect(portalCore.db.prepare('SELECT name FROM users WHERE id = ?').get(seed.users[1])).toEqual({ name: 'Edit 249' });
  });
});
