/**
 * Long mutations travel (issue #6, "nothing lost"): an import or a bulk action run by the apply
 * worker on a connected console writes its outbox entries in its own transaction, in chunks of at
 * most SYNC_CHUNK_OPS ops, and the Portal re-runs each chunk with the users rules (users.applyBatch).
 */
import { describe, expect, it } from 'vitest';
import { fails, testCore } from './helpers.ts';
import { finalState, importResult, upload } from './import-helpers.ts';
import { must, syncedState } from '../fixtures/sync/harness.ts';
import type { ConflictView, SyncStatus } from '../../shared/model/sync.ts';
import { SYNC_CHUNK_OPS } from '../../shared/model/sync-batch.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

type TestCore = ReturnType<typeof testCore>;
const cleanup = cleanupAfterEach();

const OPERATOR = '00000000-0000-7000-8000-000000000002';

async function world() {
  const { portalCore, portal, seed } = await startSeededPortal(cleanup, 1, { mail: { enabled: false } });
  const console_ = testCore({ mail: { enabled: false } });
  cleanup.push(() => console_.dispose());
  await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
  await must(console_, 'sync.now', { wait: true });
  return { portalCore, portal, seed, console: console_, client: seed.clientIds[0]! };
}

const sync = (c: TestCore) => must<SyncStatus>(c, 'sync.now', { wait: true });
const csv = (rows: number, from = 0, extra = '') =>
  ['Name,Email,Role,Email login enabled', ...Array.from({ length: rows }, (_, i) => `Person ${from + i},person${from + i}@big.example,Operator,${extra}`)].join('\r\n');
const outbox = (c: TestCore) => c.db.prepare('SELECT method, input, targets, created, state FROM sync_outbox ORDER BY seq').all() as
  { method: string; input: string; targets: string; created: string; state: string }[];
const usersOf = (c: TestCore, orgId: string) => (c.db.prepare('SELECT count(*) AS n FROM users WHERE org_id = ?').get(orgId) as { n: number }).n;

describe('long mutations on a connected console travel to the Portal', () => {
  it('an import of 5,000 users goes in chunks of at most SYNC_CHUNK_OPS and lands on the Portal row for row', async () => {
    const w = await world();
    const result = await importResult(w.console, w.client, 'people.csv', csv(5000));
    expect(result.created).toHaveLength(5000);
    const entries = outbox(w.console).filter((e) => e.state !== 'done');
    expect(entries.map((e) => e.method)).toEqual(Array(5000 / SYNC_CHUNK_OPS).fill('users.applyBatch'));
    for (const e of entries) {
      const input = JSON.parse(e.input) as { origin: string; ops: unknown[] };
      expect(input.origin).toBe('users.import');
      expect(input.ops.length).toBeLessThanOrEqual(SYNC_CHUNK_OPS);
      expect((JSON.parse(e.targets) as unknown[]).length).toBe(input.ops.length);
      expect((JSON.parse(e.created) as unknown[]).length).toBe(input.ops.length);
    }
    const s = await sync(w.console);
    expect(s).toMatchObject({ pending: 0, conflicts: 0, state: 'online' });
    expect(usersOf(w.portalCore, w.client)).toBe(5001);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
    // Re-run on the Portal by the users rules, audited under the console's mutation and the technician.
    const audit = w.portalCore.db.prepare("SELECT action, actor_name, count(*) AS n FROM audit WHERE target_type = 'user' AND action = 'users.import' GROUP BY 1, 2").all();
    expect(audit).toEqual([{ action: 'users.import', actor_name: 'Tess Tech', n: 5000 }]);
  }, 120_000);

  it('made offline, the import waits in the outbox and travels on reconnecting', async () => {
    const w = await world();
    await must(w.console, 'sync.setOffline', { offline: true });
    await importResult(w.console, w.client, 'people.csv', csv(2500));
    expect((await must<SyncStatus>(w.console, 'sync.status', {})).pending).toBe(Math.ceil(2500 / SYNC_CHUNK_OPS));
    expect(usersOf(w.portalCore, w.client)).toBe(1);
    await must(w.console, 'sync.setOffline', { offline: false });
    const s = await sync(w.console);
    expect(s).toMatchObject({ pending: 0, conflicts: 0 });
    expect(usersOf(w.portalCore, w.client)).toBe(2501);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
  }, 120_000);

  it('a field edited on the Portal meanwhile is a conflict, an email taken there a rejected row; the rest applies', async () => {
    const w = await world();
    await importResult(w.console, w.client, 'people.csv', csv(1500));
    await sync(w.console);
    expect(usersOf(w.portalCore, w.client)).toBe(1501);
    await must(w.console, 'sync.setOffline', { offline: true });
    // Offline: the same people renamed by a second file (updates), plus a newcomer.
    const renamed = ['Name,Email,Role', ...Array.from({ length: 1500 }, (_, i) => `Renamed ${i},person${i}@big.example,Operator`),
      'Newcomer,newcomer@big.example,Operator'].join('\r\n');
    const r = await importResult(w.console, w.client, 'renamed.csv', renamed, { update: true });
    expect([r.updated.length, r.created.length]).toEqual([1500, 1]);
    // Meanwhile on the Portal: person7 renamed by someone, and newcomer's email taken by another user.
    const person7 = (w.portalCore.db.prepare("SELECT id, version FROM users WHERE email_fold = 'person7@big.example'").get() as { id: string; version: number });
    await must(w.portalCore, 'users.update', { id: person7.id, baseVersion: person7.version, changes: { name: 'Set on the Portal' } });
    await must(w.portalCore, 'users.create', { orgId: w.client, name: 'Someone Else', email: 'newcomer@big.example', roleId: OPERATOR });

    await must(w.console, 'sync.setOffline', { offline: false });
    const s = await sync(w.console);
    expect(s).toMatchObject({ pending: 0, conflicts: 2 });
    const { items } = await must<{ items: ConflictView[] }>(w.console, 'sync.conflicts', {});
    const field = items.find((i) => i.kind === 'field')!;
    expect(field).toMatchObject({ entityId: person7.id, field: 'name', base: 'Person 7', mine: 'Renamed 7', theirs: 'Set on the Portal', method: 'users.applyBatch' });
    const rejected = items.find((i) => i.kind === 'rejected')!;
    expect(rejected).toMatchObject({ entity: 'user', code: 'validation', field: 'email', label: 'Newcomer <newcomer@big.example>' });
    expect(rejected.message).toMatch(/email/i);
    const name = (c: TestCore, email: string) => (c.db.prepare('SELECT name FROM users WHERE email_fold = ?').all(email) as { name: string }[]).map((u) => u.name);
    expect(name(w.portalCore, 'person7@big.example')).toEqual(['Set on the Portal']);
    expect(name(w.portalCore, 'person8@big.example')).toEqual(['Renamed 8']);
    expect(name(w.portalCore, 'person1499@big.example')).toEqual(['Renamed 1499']);
    expect(name(w.portalCore, 'newcomer@big.example')).toEqual(['Someone Else']);
    // The console shows the Portal's state: its newcomer is gone (refused), the Portal's user came down.
    await sync(w.console);
    expect(name(w.console, 'newcomer@big.example')).toEqual(['Someone Else']);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
    // "Keep mine" on the field conflict runs the chunk again for that one field only.
    await must(w.console, 'sync.resolve', { id: field.id, resolution: 'kept_mine' });
    await sync(w.console);
    expect(name(w.portalCore, 'person7@big.example')).toEqual(['Renamed 7']);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
  }, 120_000);

  it('a bulk deactivate of 2,000 users travels', async () => {
    const w = await world();
    await importResult(w.console, w.client, 'people.csv', csv(2000));
    await sync(w.console);
    const ids = (w.console.db.prepare("SELECT id FROM users WHERE org_id = ? AND email_fold LIKE 'person%'").all(w.client) as { id: string }[]).map((u) => u.id);
    expect(ids).toHaveLength(2000);
    expect(await must(w.console, 'users.setStatus', { ids, status: 'deactivated' })).toEqual({ changed: 2000 });
    const entries = outbox(w.console).filter((e) => e.state !== 'done');
    expect(entries.map((e) => (JSON.parse(e.input) as { origin: string; ops: unknown[] }).ops.length)).toEqual(Array(2000 / SYNC_CHUNK_OPS).fill(SYNC_CHUNK_OPS));
    const s = await sync(w.console);
    expect(s).toMatchObject({ pending: 0, conflicts: 0 });
    const statuses = w.portalCore.db.prepare('SELECT status, count(*) AS n FROM users WHERE org_id = ? GROUP BY status ORDER BY status').all(w.client);
    expect(statuses).toEqual([{ status: 'active', n: 1 }, { status: 'deactivated', n: 2000 }]);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
  }, 120_000);

  it('imported users with email login get their welcome email from the Portal, with a link to the Portal', async () => {
    const w = await world();
    await must(w.portalCore, 'mail.settings.set', {
      host: '127.0.0.1', port: 2525, security: 'none', username: '', fromAddress: 'no-reply@orgdesk.example', fromName: '', portalBaseUrl: w.portal.origin,
    });
    await must(w.console, 'auth.setEmailPassword', { orgId: w.client, enabled: true });
    await sync(w.console);
    await importResult(w.console, w.client, 'people.csv', csv(1200, 0, 'Y'));
    await sync(w.console);
    const mails = w.portalCore.db.prepare(`SELECT m.purpose, m.status, m.html FROM mail_outbox m JOIN users u ON u.id = m.user_id
      WHERE u.org_id = ? AND u.email_fold LIKE 'person%'`).all(w.client) as { purpose: string; status: string; html: string }[];
    expect(mails).toHaveLength(1200);
    expect(mails.every((m) => m.purpose === 'welcome' && m.status === 'queued' && m.html.includes(`${w.portal.origin}/set-password?token=`))).toBe(true);
  }, 120_000);

  it('a cancel in the middle of the apply phase leaves neither users nor outbox entries', async () => {
    const w = await world();
    const before = outbox(w.console).length;
    const fileId = await upload(w.console, 'big.csv', Buffer.from(csv(30_000)));
    const { jobId } = await must<{ jobId: string }>(w.console, 'users.importStart', { orgId: w.client, fileId, options: {}, language: 'en' });
    let cancelledAt = -1;
    const job = await finalState(w.console, jobId, (j) => {
      if (j.phase === 'applying' && j.done > 2000 && cancelledAt < 0) {
        cancelledAt = j.done;
        void w.console.call('jobs.cancel', { jobId });
      }
    });
    expect(job.state).toBe('cancelled');
    expect(cancelledAt).toBeGreaterThan(2000);
    expect(outbox(w.console)).toHaveLength(before);
    expect(usersOf(w.console, w.client)).toBe(1);
    expect((w.console.db.prepare('SELECT count(*) AS n FROM sync_outbox_target').get() as { n: number }).n).toBe(0);
  }, 120_000);

  it('a short bulk action whose input is larger than the Portal re-runs (1,500 ids, 1,000 changed) is sent as data', async () => {
    const w = await world();
    await importResult(w.console, w.client, 'people.csv', csv(1500));
    await sync(w.console);
    const ids = (w.console.db.prepare("SELECT id FROM users WHERE org_id = ? AND email_fold LIKE 'person%' ORDER BY id").all(w.client) as { id: string }[]).map((u) => u.id);
    await must(w.console, 'users.setStatus', { ids: ids.slice(0, 500), status: 'deactivated' });
    await sync(w.console);
    // 1,000 writes: a short transaction here, but an input the Portal would not re-run.
    expect(await must(w.console, 'users.setStatus', { ids, status: 'deactivated' })).toEqual({ changed: 1000 });
    const waiting = outbox(w.console).filter((e) => e.state !== 'done');
    expect(waiting.map((e) => [e.method, (JSON.parse(e.input) as { origin: string; ops: unknown[] }).ops.length])).toEqual(Array(1000 / SYNC_CHUNK_OPS).fill(['users.applyBatch', SYNC_CHUNK_OPS]));
    expect(await sync(w.console)).toMatchObject({ pending: 0, conflicts: 0 });
    const statuses = w.portalCore.db.prepare("SELECT status, count(*) AS n FROM users WHERE org_id = ? AND email_fold LIKE 'person%' GROUP BY status").all(w.client);
    expect(statuses).toEqual([{ status: 'deactivated', n: 1500 }]);
    expect(syncedState(w.console.db, [w.client])).toEqual(syncedState(w.portalCore.db, [w.client]));
  }, 120_000);

  it('a short change the Portal re-runs into more than 1,000 writes stays in the replay Writer (one transaction with its push log)', async () => {
    const w = await world();
    await must(w.console, 'auth.setEmailPassword', { orgId: w.client, enabled: true });
    await importResult(w.console, w.client, 'people.csv', csv(600));
    await sync(w.console);
    const ids = (w.console.db.prepare("SELECT id FROM users WHERE org_id = ? AND email_fold LIKE 'person%' ORDER BY id").all(w.client) as { id: string }[]).map((u) => u.id);
    await must(w.console, 'users.setEmailLogin', { ids: ids.slice(0, 300), enabled: true });
    await sync(w.console);
    await must(w.console, 'sync.setOffline', { offline: true });
    // Meanwhile the Portal switches those 300 off again; the console, offline, switches all 600 on:
    // 300 changes here (600 writes with their welcome emails), 600 on the Portal (1,200 writes).
    await must(w.portalCore, 'users.setEmailLogin', { ids: ids.slice(0, 300), enabled: false });
    expect(await must(w.console, 'users.setEmailLogin', { ids, enabled: true })).toEqual({ changed: 300 });
    const [entry] = w.console.db.prepare("SELECT mutation_id, method FROM sync_outbox WHERE state != 'done'").all() as { mutation_id: string; method: string }[];
    expect(entry!.method).toBe('users.setEmailLogin');
    await must(w.console, 'sync.setOffline', { offline: false });
    expect(await sync(w.console)).toMatchObject({ pending: 0, conflicts: 0 });
    const byPush = w.portalCore.db.prepare("SELECT count(*) AS n FROM changes WHERE mutation_id = ? AND entity = 'user'").get(entry!.mutation_id) as { n: number };
    expect(byPush.n).toBe(600);
    expect(w.portalCore.db.prepare('SELECT status FROM sync_push_log WHERE mutation_id = ?').get(entry!.mutation_id)).toEqual({ status: 'applied' });
    const on = w.portalCore.db.prepare("SELECT count(*) AS n FROM users WHERE org_id = ? AND email_fold LIKE 'person%' AND email_login_enabled = 1").get(w.client);
    expect(on).toEqual({ n: 600 });
  }, 120_000);

  it('the Portal decides each op: outside the caller\'s tree, a SCIM-managed field or a bad field is refused alone', async () => {
    const w = await world();
    const other = await must<{ id: string }>(w.portalCore, 'org.create', {
      type: 'partner', parentId: null, name: 'Someone Else MSP', email: 'ops@else.example', language: 'en', country: 'US', sector: 'technology',
    });
    const scimUser = w.seed.users[0]!;
    w.portalCore.deps.mutations.run('scim.users.replace', w.portalCore.profile(), (wr) => wr.update('user', scimUser, { source: 'scim' }));
    const scimVersion = (w.portalCore.db.prepare('SELECT version FROM users WHERE id = ?').get(scimUser) as { version: number }).version;
    const id = (n: number) => `01930000-0000-7000-8000-${String(n).padStart(12, '0')}`;
    const values = (n: number, orgId: string, over: Record<string, unknown> = {}) => ({
      orgId, name: `Crafted ${n}`, email: `crafted${n}@client.example`, roleId: OPERATOR, status: 'active', source: 'import', emailLoginEnabled: false, ...over,
    });
    const ops = [
      { entity: 'user', op: 'create', id: id(1), values: values(1, w.client) },
      { entity: 'user', op: 'create', id: id(2), values: values(2, other.id) },
      { entity: 'user', op: 'update', id: scimUser, changes: { email: 'renamed@client.example' } },
      { entity: 'user', op: 'create', id: id(3), values: values(3, w.client, { name: 'x'.repeat(101) }) },
      { entity: 'user', op: 'create', id: id(4), values: values(4, w.client, { source: 'scim' }) },
      { entity: 'user', op: 'create', id: id(5), values: values(5, w.client) },
      // Entities a bulk change may touch that the batch does not take: refused together, by name.
      { entity: 'consumption', op: 'create', id: id(6), values: { orgId: w.client, productId: id(9), day: '2026-01-01', value: 1 } },
      { entity: 'consumption', op: 'create', id: id(7), values: { orgId: w.client, productId: id(9), day: '2026-01-02', value: 2 } },
    ];
    const targets = ops.map((o) => ({ entity: o.entity, id: o.id, op: o.op, base: o.op === 'create' ? 0 : scimVersion, old: {}, new: { ...(o.values ?? o.changes), orgId: o.values?.orgId ?? w.client } }));
    const mutationId = '01930000-0000-7000-8000-00000000aaaa';
    const res = await fetch(`${w.portal.origin}/sync/v1/push`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${w.seed.token}` },
      body: JSON.stringify({ protocolVersion: 1, clientId: 'c0ffee00-0000-4000-8000-00000000c0de', mutations: [{
        seq: 1, mutationId, method: 'users.applyBatch', input: { origin: 'users.import', part: 1, ops }, targets,
        created: ops.filter((o) => o.op === 'create').map((o) => ({ entity: o.entity, id: o.id })), clientTime: new Date().toISOString(),
      }] }),
    });
    expect(res.status).toBe(200);
    const body = await res.json() as { results: { status: string; conflicts: { id: string; code?: string; field: string | null }[] }[] };
    const [result] = body.results;
    expect(result!.status).toBe('conflict');
    expect(result!.conflicts.map((c) => [c.id, c.code])).toEqual([
      [id(2), 'forbidden'], [scimUser, 'scim_managed'], [id(3), 'validation'], [id(4), 'validation'], [id(6), 'not_syncable'],
    ]);
    expect(result!.conflicts.at(-1)).toMatchObject({ entity: 'consumption', message: expect.stringContaining('2 consumption change(s)') });
    expect(w.portalCore.db.prepare('SELECT count(*) AS n FROM product_consumption').get()).toEqual({ n: 0 });
    const exists = (n: number) => w.portalCore.db.prepare('SELECT 1 FROM users WHERE id = ?').get(id(n)) !== undefined;
    expect([1, 2, 3, 4, 5].map(exists)).toEqual([true, false, false, false, true]);
    expect(w.portalCore.db.prepare('SELECT email, source FROM users WHERE id = ?').get(scimUser)).toEqual({ email: 'ana1@client.example', source: 'scim' });
  });

  it('users.applyBatch is refused outside a sync re-run', async () => {
    const w = await world();
    const error = await fails(w.portalCore, 'users.applyBatch', {
      origin: 'users.import', part: 1,
      ops: [{ entity: 'user', op: 'create', id: '01900000-0000-7000-8000-000000000001', values: { orgId: w.client, name: 'X', email: 'x@x.example', roleId: OPERATOR, status: 'active', source: 'import' } }],
    });
    expect(error).toMatchObject({ code: 'FORBIDDEN', key: 'sync.batch_replay_only' });
    expect(usersOf(w.portalCore, w.client)).toBe(1);
  });
});
