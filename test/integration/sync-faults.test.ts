/**
 * The failure table of research/sync.md §5, with the Portal and the consoles as separate processes on
 * 127.0.0.1 and a fault-injecting proxy between them. Every case ends with the oracle (world.ts):
 * consoles equal the Portal for their organizations, one final outcome per change, nothing twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncWorld, userVersion } from '../fixtures/sync/world.ts';
import { must } from '../fixtures/sync/harness.ts';
import type { SyncStatus } from '../../shared/model/sync.ts';

let world: SyncWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const rename = async (c: { proc: { call: (m: string, i: unknown) => Promise<{ ok: boolean }> } }, id: string, name: string, version: number) =>
  must(c.proc, 'users.update', { id, baseVersion: version, changes: { name } });

describe('sync failure table (separate processes, fault proxy)', () => {
  for (const point of ['client-push-before-request', 'client-push-after-response', 'client-push-inside-ack'] as const) {
    it(`#1 kill -9 of a console mid-push (${point}): restart, resend, each change applied once`, async () => {
      world = await new SyncWorld().start();
      const a = await world.addConsole();
      await world.sync(a);
      const users = world.seed.users;
      await world.restartConsole(a, { ORGDESK_SYNC_FAULT: point });
      for (const [i, id] of users.entries()) await rename(a, id, `Renamed ${i}`, await userVersion(a, id));
      // The engine pushes on its own after the edit: the fault point kills the process.
      const signal = await Promise.race([a.proc.exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
      expect(signal).toBe('SIGKILL');
      await world.restartConsole(a);
      await world.quiesce();
      const totals = world.oracle();
      expect(totals.applied).toBe(users.length);
      const dupes = world.proxy.seen.filter((s) => s.path === '/sync/v1/push').length;
      expect(dupes).toBeGreaterThanOrEqual(point === 'client-push-before-request' ? 1 : 2);
    });
  }

  for (const point of ['client-pull-inside-page', 'client-pull-between-pages'] as const) {
    it(`#2 kill -9 of a console mid-pull (${point}): cursor unchanged or at the last page, then complete`, async () => {
      world = await new SyncWorld().start(6);
      const a = await world.addConsole({ ORGDESK_SYNC_FAULT: point, ORGDESK_SYNC_PULL_LIMIT: '3' }, false);
      void a.proc.call('sync.connect', { url: world.proxy.origin, token: world.seed.token });
      expect(await a.proc.exited).toBe('SIGKILL');
      const cursors = world.read(a.dir, (db) => db.prepare('SELECT count(*) AS n FROM sync_org').get() as { n: number });
      if (point === 'client-pull-inside-page') expect(cursors.n).toBe(0); // the page and its cursor rolled back together
      else expect(cursors.n).toBeGreaterThan(0);
      await world.restartConsole(a, { ORGDESK_SYNC_PULL_LIMIT: '3' });
      await world.quiesce();
      world.oracle();
      expect(world.read(a.dir, (db) => (db.prepare("SELECT count(*) AS n FROM sync_org WHERE state = 'ready'").get() as { n: number }).n)).toBe(7);
    });
  }

  for (const point of ['server-push-inside-tx', 'server-push-after-commit'] as const) {
    it(`#3 the Portal killed ${point === 'server-push-inside-tx' ? 'inside' : 'after'} its push transaction: retried, exactly once`, async () => {
      world = await new SyncWorld().start();
      const a = await world.addConsole();
      await world.sync(a);
      await world.restartPortal({ ORGDESK_SYNC_FAULT: point });
      const id = world.seed.users[0]!;
      await rename(a, id, 'Through a crash', await userVersion(a, id));
      expect(await world.portal.exited).toBe('SIGKILL');
      const status = await world.sync(a);
      expect(status.state).toBe('offline');
      expect(status.pending).toBe(1);
      await world.restartPortal();
      await world.quiesce();
      expect(world.oracle().applied).toBe(1);
      const logged = world.read(world.portalDir, (db) => db.prepare('SELECT count(*) AS n FROM sync_push_log').get() as { n: number });
      expect(logged.n).toBe(1);
    });
  }

  it('#4 duplicated and cut requests: the second answer is the stored one, no extra versions', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.sync(a);
    const [u1, u2] = world.seed.users as [string, string];
    world.proxy.rules.push({ path: '/sync/v1/push', kind: 'duplicate' });
    await rename(a, u1, 'Twice sent', await userVersion(a, u1));
    await world.sync(a);
    world.proxy.rules.push({ path: '/sync/v1/push', kind: 'cutResponse' });
    const before = world.proxy.counts['/sync/v1/push'] ?? 0;
    await rename(a, u2, 'Answer lost', await userVersion(a, u2));
    await world.sync(a);
    // The answer was lost after the Portal applied it; the console sent it again and got the stored answer.
    expect((world.proxy.counts['/sync/v1/push'] ?? 0) - before).toBeGreaterThanOrEqual(2);
    await world.quiesce();
    expect(world.oracle().applied).toBe(2);
    const versions = world.read(world.portalDir, (db) => db.prepare('SELECT version FROM users WHERE id IN (?, ?) ORDER BY id').all(u1, u2));
    expect(versions).toEqual([{ version: 2 }, { version: 2 }]);
    // An old push replayed by the network later changes nothing and says so.
    const old = world.proxy.seen.find((s) => s.path === '/sync/v1/push')!;
    const replay = await fetch(`${world.proxy.origin}/sync/v1/push`, { method: 'POST', headers: old.headers, body: old.body.toString() });
    const body = await replay.json() as { results: { duplicate?: boolean; status: string }[] };
    expect(body.results[0]).toMatchObject({ duplicate: true, status: 'applied' });
    world.oracle();
  });

  it('#5 reordering: a later seq first is refused with the expected seq; nothing beyond it applied', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.sync(a);
    await must(a.proc, 'sync.setOffline', { offline: true });
    const [u1, u2] = world.seed.users as [string, string];
    await rename(a, u1, 'First', await userVersion(a, u1));
    await rename(a, u2, 'Second', await userVersion(a, u2));
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.sync(a);
    const pushes = world.proxy.seen.filter((s) => s.path === '/sync/v1/push');
    const sent = JSON.parse(pushes[0]!.body.toString()) as { clientId: string; mutations: { seq: number }[] };
    // The same console sends seq+2 alone, then seq+1 ... as a reordering network would.
    const ahead = { ...sent, mutations: sent.mutations.map((m) => ({ ...m, seq: m.seq + 10, mutationId: `${m.seq}-ahead-${Math.random()}` })) };
    const res = await fetch(`${world.proxy.origin}/sync/v1/push`, { method: 'POST', headers: pushes[0]!.headers, body: JSON.stringify(ahead) });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'outOfOrder', expectedSeq: 3 });
    await world.quiesce();
    expect(world.oracle().applied).toBe(2);
  });

  it('#6 the same field edited offline on two consoles: one applies, the other is a conflict with theirs; keep mine converges', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    const b = await world.addConsole();
    await world.quiesce();
    const id = world.seed.users[0]!;
    await must(a.proc, 'sync.setOffline', { offline: true });
    await must(b.proc, 'sync.setOffline', { offline: true });
    await rename(a, id, 'Alpha', await userVersion(a, id));
    await rename(b, id, 'Bravo', await userVersion(b, id));
    await must(b.proc, 'users.update', { id: world.seed.users[1]!, baseVersion: await userVersion(b, world.seed.users[1]!), changes: { name: 'Other field' } });
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.sync(a);
    await must(b.proc, 'sync.setOffline', { offline: false });
    const sb = await world.sync(b);
    expect(sb.conflicts).toBe(1);
    await world.quiesce();
    const totals = world.oracle();
    expect(totals).toMatchObject({ applied: 2, conflicts: 1 });
    const { items } = await must<{ items: { id: number; mine: unknown; theirs: unknown }[] }>(b.proc, 'sync.conflicts', {});
    expect(items[0]).toMatchObject({ mine: 'Bravo', theirs: 'Alpha' });
    await must(b.proc, 'sync.resolve', { id: items[0]!.id, resolution: 'kept_mine' });
    await world.quiesce();
    world.oracle();
    expect(world.read(a.dir, (db) => db.prepare('SELECT name FROM users WHERE id = ?').get(id))).toEqual({ name: 'Bravo' });
  });

  it('#7 delete versus edit, both orders: edit after delete is "deleted remotely"; delete after edit wins with a notice', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    const b = await world.addConsole();
    await world.quiesce();
    const [u1, u2] = world.seed.users as [string, string];
    for (const c of [a, b]) await must(c.proc, 'sync.setOffline', { offline: true });
    // A deletes u1 and u2 offline; B edits both offline; B reaches the Portal first.
    await must(a.proc, 'users.delete', { ids: [u1] });
    await rename(b, u1, 'Edited after delete', await userVersion(b, u1));
    await rename(b, u2, 'Edited before delete', await userVersion(b, u2));
    await must(a.proc, 'users.delete', { ids: [u2] });
    await must(b.proc, 'sync.setOffline', { offline: false });
    await world.sync(b); // B's edit of u2 lands first; its edit of u1 too (nothing deleted yet)
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.sync(a); // A's deletes come after both edits: delete wins (a user), with notices
    await world.quiesce();
    world.oracle();
    const kinds = (await must<{ items: { kind: string }[] }>(a.proc, 'sync.conflicts', {})).items.map((i) => i.kind).sort();
    expect(kinds).toEqual(['delete_over_edit', 'delete_over_edit']); // both deletes arrived after B's edits
    expect(world.read(world.portalDir, (db) => db.prepare('SELECT count(*) AS n FROM users WHERE id IN (?, ?)').get(u1, u2))).toEqual({ n: 0 });

    // And the other order for u3: deleted on the Portal first, then an offline edit arrives.
    const u3 = (await must<{ id: string }>(a.proc, 'users.create', { orgId: world.seed.clientIds[0], name: 'Cleo', email: 'cleo@client.example', roleId: '00000000-0000-7000-8000-000000000002' })).id;
    await world.quiesce();
    await must(b.proc, 'sync.setOffline', { offline: true });
    await rename(b, u3, 'Too late', await userVersion(b, u3));
    await must(a.proc, 'users.delete', { ids: [u3] });
    await world.sync(a);
    await must(b.proc, 'sync.setOffline', { offline: false });
    await world.sync(b);
    await world.quiesce();
    world.oracle();
    const onB = (await must<{ items: { kind: string }[] }>(b.proc, 'sync.conflicts', {})).items.map((i) => i.kind);
    expect(onB).toContain('deleted_remotely');
  });

  it('#9 clock skew of +48 h and -48 h changes neither order nor outcome', async () => {
    world = await new SyncWorld().start();
    const ahead = await world.addConsole({ ORGDESK_SYNC_CLOCK_SKEW_MS: String(48 * 3600_000) });
    const behind = await world.addConsole({ ORGDESK_SYNC_CLOCK_SKEW_MS: String(-48 * 3600_000) });
    await world.quiesce();
    const id = world.seed.users[0]!;
    for (const c of [ahead, behind]) await must(c.proc, 'sync.setOffline', { offline: true });
    await rename(behind, id, 'Behind first', await userVersion(behind, id));
    await rename(ahead, id, 'Ahead second', await userVersion(ahead, id));
    await must(behind.proc, 'sync.setOffline', { offline: false });
    await world.sync(behind);
    await must(ahead.proc, 'sync.setOffline', { offline: false });
    await world.sync(ahead);
    await world.quiesce();
    // Arrival order decides, not the clocks: the first to arrive applied, the later one conflicts.
    expect(world.oracle()).toMatchObject({ applied: 1, conflicts: 1 });
    expect(world.read(world.portalDir, (db) => db.prepare('SELECT name FROM users WHERE id = ?').get(id))).toEqual({ name: 'Behind first' });
  });

  it('#10 a poison change in the middle of a batch is rejected with its reason; the ones after it apply', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.quiesce();
    await must(a.proc, 'sync.setOffline', { offline: true });
    const [u1, u2] = world.seed.users as [string, string];
    const c1 = world.seed.clientIds[0]!;
    await rename(a, u1, 'Before poison', await userVersion(a, u1));
    // Valid here, refused by the Portal: the email is taken there (someone created it meanwhile).
    await must(a.proc, 'users.create', { orgId: c1, name: 'Dup', email: 'taken@client.example', roleId: '00000000-0000-7000-8000-000000000002' });
    await rename(a, u2, 'After poison', await userVersion(a, u2));
    const portalUser = await must(world.portal, 'users.create', { orgId: c1, name: 'Taken', email: 'taken@client.example', roleId: '00000000-0000-7000-8000-000000000002' });
    expect(portalUser).toBeTruthy();
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.quiesce();
    expect(world.oracle()).toMatchObject({ applied: 2, rejected: 1 });
    const { items } = await must<{ items: { kind: string; code: string; message: string }[] }>(a.proc, 'sync.conflicts', {});
    expect(items).toEqual([expect.objectContaining({ kind: 'rejected', code: 'validation' })]);
  });

  it('#11 transient 503 and 429 with Retry-After: retried on a timer without new writes, honouring Retry-After', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.quiesce();
    const id = world.seed.users[0]!;
    world.proxy.rules.push({ path: '/sync/v1/push', kind: 'status', status: 503, times: 2 });
    world.proxy.rules.push({ path: '/sync/v1/push', kind: 'status', status: 429, retryAfter: 1 });
    world.proxy.rules.push({ path: '/sync/v1/push', kind: 'drop' });
    const t0 = Date.now();
    await rename(a, id, 'Eventually', await userVersion(a, id));
    // No more calls from the test: the engine retries by itself.
    let status: SyncStatus | null = null;
    for (let i = 0; i < 100; i++) {
      status = await must<SyncStatus>(a.proc, 'sync.status', {});
      if (status.pending === 0 && status.state === 'online') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toMatchObject({ pending: 0, state: 'online' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // the 429's Retry-After: 1 was waited
    expect(world.proxy.counts['/sync/v1/push']).toBeGreaterThanOrEqual(5);
    await world.quiesce();
    expect(world.oracle().applied).toBe(1);
  });

  it('#12 offline past the horizon: the Portal compacted its log, the console resets and keeps its pending change', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    const b = await world.addConsole();
    await world.quiesce();
    await must(a.proc, 'sync.setOffline', { offline: true });
    const [u1, u2] = world.seed.users as [string, string];
    await rename(a, u1, 'Pending through a reset', await userVersion(a, u1));
    await must(b.proc, 'users.delete', { ids: [u2] });
    await world.quiesce().catch(() => undefined);
    await world.sync(b);
    expect(await must<{ purged: number }>(world.portal, 'sync.compact', { olderThanDays: 0 })).toMatchObject({});
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.quiesce();
    expect(world.oracle().applied).toBeGreaterThanOrEqual(2);
    expect(world.read(a.dir, (db) => db.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(u2))).toEqual({ n: 0 });
    expect(world.read(world.portalDir, (db) => db.prepare('SELECT name FROM users WHERE id = ?').get(u1))).toEqual({ name: 'Pending through a reset' });
  });

  it('#13 permission revoked while offline: the organization leaves the console, its waiting change becomes a rejected entry', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.quiesce();
    const [c1, c2] = world.seed.clientIds as [string, string];
    const other = await must<{ id: string }>(world.portal, 'org.create', { type: 'partner', parentId: null, name: 'Other MSP', email: 'o@other.example', language: 'en', country: 'US', sector: 'technology' });
    await must(a.proc, 'sync.setOffline', { offline: true });
    const u2 = world.seed.users[1]!;
    await rename(a, u2, 'Never lands', await userVersion(a, u2));
    await must(world.portal, 'org.setPartner', { id: c2, partnerId: other.id });
    await must(a.proc, 'sync.setOffline', { offline: false });
    await world.quiesce();
    const totals = world.oracle();
    expect(totals.rejected).toBe(1);
    expect(world.read(a.dir, (db) => db.prepare('SELECT count(*) AS n FROM organizations WHERE id = ?').get(c2))).toEqual({ n: 0 });
    expect(world.read(a.dir, (db) => db.prepare('SELECT count(*) AS n FROM organizations WHERE id = ?').get(c1))).toEqual({ n: 1 });
    const { items } = await must<{ items: { kind: string; code: string }[] }>(a.proc, 'sync.conflicts', {});
    expect(items).toEqual([expect.objectContaining({ kind: 'rejected', code: 'forbidden' })]);
  });

  it('#14 a copied database (client id reused): detected, the copy becomes a new client, nothing lost or doubled', async () => {
    world = await new SyncWorld().start();
    const a = await world.addConsole();
    await world.quiesce();
    await must(a.proc, 'sync.setOffline', { offline: true });
    const [u1, u2] = world.seed.users as [string, string];
    await rename(a, u1, 'Before the copy', await userVersion(a, u1));
    await a.proc.stop();
    const copy = await world.copyConsole(a);
    await world.restartConsole(a);
    await rename(a, u2, 'Original after copy', await userVersion(a, u2));
    await rename(copy, u1, 'Copy after copy', await userVersion(copy, u1));
    await world.quiesce();
    const totals = world.oracle();
    // "Before the copy" is in both copies with one mutation id: applied once, the other gets the stored answer.
    expect(totals.applied + totals.conflicts).toBe(4);
    const ids = world.read(copy.dir, (db) => db.prepare("SELECT value FROM sync_meta WHERE key = 'client_id'").get());
    const original = world.read(a.dir, (db) => db.prepare("SELECT value FROM sync_meta WHERE key = 'client_id'").get());
    expect(ids).not.toEqual(original);
    expect(world.read(world.portalDir, (db) => db.prepare('SELECT count(*) AS n FROM sync_push_log').get())).toEqual({ n: 3 });
  });
});

describe('sync failure table: large initial download', () => {
  it('#15 an initial download killed at five different pages resumes each time; at most one page is fetched again per kill', async () => {
    world = await new SyncWorld().start(12);
    const limit = { ORGDESK_SYNC_PULL_LIMIT: '2' };
    const a = await world.addConsole({ ...limit, ORGDESK_SYNC_FAULT: 'client-pull-between-pages@2' }, false);
    void a.proc.call('sync.connect', { url: world.proxy.origin, token: world.seed.token });
    expect(await a.proc.exited).toBe('SIGKILL');
    for (const page of [3, 2, 4, 1]) {
      await world.restartConsole(a, { ...limit, ORGDESK_SYNC_FAULT: `client-pull-between-pages@${page}` });
      void a.proc.call('sync.now', { wait: true });
      expect(await a.proc.exited).toBe('SIGKILL');
    }
    await world.restartConsole(a, limit);
    await world.quiesce();
    world.oracle();
    // The same download without kills, for comparison: pages = requests until done.
    const b = await world.addConsole(limit);
    const before = world.proxy.counts['/sync/v1/pull'] ?? 0;
    await world.sync(b);
    const clean = (world.proxy.counts['/sync/v1/pull'] ?? 0) - before;
    const clientOf = (body: Buffer) => (JSON.parse(body.toString()) as { clientId: string }).clientId;
    const aClient = clientOf(world.proxy.seen.find((x) => x.path === '/sync/v1/pull')!.body);
    const pulls = world.proxy.seen.filter((s) => s.path === '/sync/v1/pull' && clientOf(s.body) === aClient).length;
    // Every kill came after a page committed: at most the killed page's successor is asked again (+2 for the quiesce rounds).
    expect(pulls).toBeLessThanOrEqual(clean + 5 + 4);
    world.oracle();
  });
});
