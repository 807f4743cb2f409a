import { describe, expect, it } from 'vitest';
import { testCore } from './helpers.ts';
import { must, syncedState } from '../fixtures/sync/harness.ts';
import type { SyncStatus, ConflictView } from '../../shared/model/sync.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

type TestCore = ReturnType<typeof testCore>;
const cleanup = cleanupAfterEach();

async function world(clients = 2) {
  const { portalCore, portal, seed } = await startSeededPortal(cleanup, clients);
  const consoles: TestCore[] = [];
  const console_ = async () => {
    const c = testCore();
    cleanup.push(() => c.dispose());
    await must(c, 'sync.connect', { url: portal.origin, token: seed.token });
    consoles.push(c);
    return c;
  };
  return { portalCore, portal, seed, console: console_, consoles };
}

const sync = (c: TestCore) => must<SyncStatus>(c, 'sync.now', { wait: true });
const userName = (c: TestCore, id: string) => (c.db.prepare('SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined)?.name;
const version = (c: TestCore, id: string) => (c.db.prepare('SELECT version FROM users WHERE id = ?').get(id) as { version: number }).version;

describe('sync between consoles and the Portal', () => {
  it('downloads every organization the technician may see, then pushes an edit the other console pulls', async () => {
    const w = await world();
    const a = await w.console();
    const b = await w.console();
    const sa = await sync(a);
    await sync(b);
    expect(sa.state).toBe('online');
    const orgIds = [w.seed.partnerId, ...w.seed.clientIds];
    expect(sa.orgs.map((o) => o.orgId).sort()).toEqual([...orgIds].sort());
    expect(syncedState(a.db, orgIds)).toEqual(syncedState(w.portalCore.db, orgIds));

    const user = w.seed.users[0]!;
    await must(a, 'users.update', { id: user, baseVersion: version(a, user), changes: { name: 'Ana Pereira' } });
    expect(userName(a, user)).toBe('Ana Pereira'); // shown at once
    expect((await must<SyncStatus>(a, 'sync.status', {})).pending).toBe(1);
    await sync(a);
    expect(userName(w.portalCore, user)).toBe('Ana Pereira');
    await sync(b);
    expect(userName(b, user)).toBe('Ana Pereira');
    expect(syncedState(b.db, orgIds)).toEqual(syncedState(w.portalCore.db, orgIds));
    expect(syncedState(a.db, orgIds)).toEqual(syncedState(w.portalCore.db, orgIds));
  });

  it('merges different fields, and turns the same field edited on two consoles into a conflict that "keep mine" resolves', async () => {
    const w = await world();
    const a = await w.console();
    const b = await w.console();
    await sync(a);
    await sync(b);
    const user = w.seed.users[0]!;
    await must(a, 'users.update', { id: user, baseVersion: version(a, user), changes: { name: 'From A' } });
    await must(b, 'users.update', { id: user, baseVersion: version(b, user), changes: { name: 'From B', email: 'b@client.example' } });
    await sync(a);
    const sb = await sync(b);
    expect(sb.conflicts).toBe(1);
    expect(userName(w.portalCore, user)).toBe('From A');
    expect((w.portalCore.db.prepare('SELECT email FROM users WHERE id = ?').get(user) as { email: string }).email).toBe('b@client.example');
    expect(userName(b, user)).toBe('From A'); // the Portal's value is shown; the conflict keeps mine
    const { items } = await must<{ items: ConflictView[] }>(b, 'sync.conflicts', {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'field', field: 'name', base: 'Ana 1', mine: 'From B', theirs: 'From A', theirsBy: 'Tess Tech' });
    await must(b, 'sync.resolve', { id: items[0]!.id, resolution: 'kept_mine' });
    expect(userName(b, user)).toBe('From B');
    await sync(b);
    await sync(a);
    for (const c of [a, b, w.portalCore]) expect(userName(c, user)).toBe('From B');
    expect((await must<SyncStatus>(b, 'sync.status', {})).conflicts).toBe(0);
  });
});

describe('sync and SCIM', () => {
  it('#8 a console edit of a field SCIM manages is refused with its reason; other users\' edits apply', async () => {
    const w = await world();
    const a = await w.console();
    await sync(a);
    const [u1, u2] = w.seed.users as [string, string];
    await must(a, 'sync.setOffline', { offline: true });
    await must(a, 'users.update', { id: u1, baseVersion: version(a, u1), changes: { name: 'Console name' } });
    await must(a, 'users.update', { id: u2, baseVersion: version(a, u2), changes: { name: 'Fine here' } });
    // Meanwhile the identity provider takes u1 over (SCIM writes through the same pipeline).
    w.portalCore.deps.mutations.run('scim.users.replace', w.portalCore.profile(), (wr) => {
      wr.update('user', u1, { source: 'scim', name: 'Ana (from Entra ID)' });
    });
    await must(a, 'sync.setOffline', { offline: false });
    const s = await sync(a);
    expect(s).toMatchObject({ pending: 0, conflicts: 1 });
    const { items } = await must<{ items: ConflictView[] }>(a, 'sync.conflicts', {});
    expect(items[0]).toMatchObject({ kind: 'rejected', code: 'scim_managed', field: 'name', mine: 'Console name', theirs: 'Ana (from Entra ID)' });
    expect(userName(a, u1)).toBe('Ana (from Entra ID)');
    expect(userName(w.portalCore, u2)).toBe('Fine here');
  });
});

describe('sync and long mutations', () => {
  it('a bulk change too large for one short transaction travels in chunks and lands on the Portal', async () => {
    const w = await world(1);
    const clientId = w.seed.clientIds[0]!;
    w.portalCore.deps.mutations.run('test.seed', w.portalCore.profile(), (wr) => {
      for (let i = 0; i < 1005; i++) {
        wr.create('user', `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`, {
          orgId: clientId, name: `Bulk ${i}`, email: `bulk${i}@client.example`, roleId: '00000000-0000-7000-8000-000000000002',
          status: 'active', source: 'manual', emailLoginEnabled: false,
        });
      }
    });
    const a = await w.console();
    await sync(a);
    const ids = (a.db.prepare('SELECT id FROM users WHERE org_id = ?').all(clientId) as { id: string }[]).map((r) => r.id);
    expect(ids.length).toBe(1006);
    await must(a, 'users.setStatus', { ids, status: 'deactivated' });
    const s = await sync(a);
    expect(s).toMatchObject({ pending: 0, conflicts: 0 });
    const statuses = w.portalCore.db.prepare('SELECT status, count(*) AS n FROM users WHERE org_id = ? GROUP BY status').all(clientId);
    expect(statuses).toEqual([{ status: 'deactivated', n: 1006 }]);
    expect(syncedState(a.db, [clientId])).toEqual(syncedState(w.portalCore.db, [clientId]));
  });
});

describe('sync: new organizations and protocol versions', () => {
  it('a client organization created offline under a synced partner, with a user, reaches the Portal and the other console', async () => {
    const w = await world(1);
    const a = await w.console();
    const b = await w.console();
    await sync(a);
    await sync(b);
    await must(a, 'sync.setOffline', { offline: true });
    const org = await must<{ id: string }>(a, 'org.create', {
      type: 'client', parentId: w.seed.partnerId, name: 'Made Offline', email: 'it@offline.example', language: 'en', country: 'US', sector: 'technology',
    });
    const user = await must<{ id: string }>(a, 'users.create', { orgId: org.id, name: 'Olga', email: 'olga@offline.example', roleId: '00000000-0000-7000-8000-000000000002' });
    expect((await must<SyncStatus>(a, 'sync.status', {})).orgs.find((o) => o.orgId === org.id)).toMatchObject({ pending: 2 });
    await must(a, 'sync.setOffline', { offline: false });
    await sync(a);
    await sync(b);
    // The same ids everywhere: the Portal reused the console's.
    expect(userName(w.portalCore, user.id)).toBe('Olga');
    expect(userName(b, user.id)).toBe('Olga');
    const ids = [w.seed.partnerId, ...w.seed.clientIds, org.id];
    expect(syncedState(b.db, ids)).toEqual(syncedState(w.portalCore.db, ids));
    expect(syncedState(a.db, ids)).toEqual(syncedState(w.portalCore.db, ids));
  });

  it('refuses a protocol version outside its window with 426 and the window; a bad token with 401', async () => {
    const w = await world(1);
    const push = (body: unknown, token = w.seed.token) => fetch(`${w.portal.origin}/sync/v1/push`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
    });
    const tooNew = await push({ protocolVersion: 99, clientId: 'c0ffee00-0000-4000-8000-000000000000', mutations: [] });
    expect(tooNew.status).toBe(426);
    expect(await tooNew.json()).toMatchObject({ error: 'versionNotSupported', update: 'portal', minProtocolVersion: 1, maxProtocolVersion: 1 });
    const wrong = await push({ protocolVersion: 1, clientId: 'c0ffee00-0000-4000-8000-000000000000', mutations: [] }, 'odsync_nope');
    expect(wrong.status).toBe(401);
    const revokedToken = await must<{ id: string; token: string }>(w.portalCore, 'sync.issueToken', { userId: w.seed.techId, label: 'old laptop' });
    await must(w.portalCore, 'sync.revokeToken', { id: revokedToken.id });
    expect((await push({ protocolVersion: 1, clientId: 'c0ffee00-0000-4000-8000-000000000000', mutations: [] }, revokedToken.token)).status).toBe(401);
  });
});

describe('standalone', () => {
  it('a console that never connects records nothing for sync and says so', async () => {
    const c = testCore();
    cleanup.push(() => c.dispose());
    const org = await must<{ id: string }>(c, 'org.create', { type: 'partner', parentId: null, name: 'Solo', email: 'solo@example.com', language: 'en', country: 'US', sector: 'technology' });
    await must(c, 'users.create', { orgId: org.id, name: 'Sam', email: 'sam@example.com', roleId: '00000000-0000-7000-8000-000000000002' });
    expect(await must<SyncStatus>(c, 'sync.status', {})).toMatchObject({ state: 'standalone', pending: 0, conflicts: 0, orgs: [] });
    const n = (t: string) => (c.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect([n('sync_outbox'), n('sync_org'), n('sync_meta'), n('sync_conflict')]).toEqual([0, 0, 0, 0]);
    expect((await must<SyncStatus>(c, 'sync.now', { wait: true })).state).toBe('standalone');
  });
});
