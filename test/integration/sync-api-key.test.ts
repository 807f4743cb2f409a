/**
 * A console may connect to a Portal with an API key (the API Keys tab) instead of a console token:
 * the key's organization tree is what it sees; only an Organization Administrator key pushes.
 */
import { describe, expect, it } from 'vitest';
import { testCore } from './helpers.ts';
import { must, syncedState } from '../fixtures/sync/harness.ts';
import { ROLE_IDS } from '../../shared/rules/api-keys.ts';
import type { ConflictView, SyncStatus } from '../../shared/model/sync.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

type TestCore = ReturnType<typeof testCore>;
const cleanup = cleanupAfterEach();

async function world() {
  const { portalCore, portal, seed } = await startSeededPortal(cleanup, 2);
  const key = async (orgId: string, roleId: string) =>
    (await must<{ key: { id: string }; secret: string }>(portalCore, 'apiKeys.create', { orgId, name: `Console ${roleId.slice(-1)} ${orgId.slice(-4)}`, roleId, expiry: { kind: 'days', days: 30 } }));
  const console_ = async (token: string) => {
    const c = testCore();
    cleanup.push(() => c.dispose());
    await must(c, 'sync.connect', { url: portal.origin, token });
    return c;
  };
  return { portalCore, portal, seed, key, console: console_ };
}

const sync = (c: TestCore) => must<SyncStatus>(c, 'sync.now', { wait: true });
const version = (c: TestCore, id: string) => (c.db.prepare('SELECT version FROM users WHERE id = ?').get(id) as { version: number }).version;
const userName = (c: TestCore, id: string) => (c.db.prepare('SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined)?.name;

describe('sync with an API key', () => {
  it('an Organization Administrator key of the partner downloads its tree and pushes an edit, as the key', async () => {
    const w = await world();
    const { secret } = await w.key(w.seed.partnerId, ROLE_IDS.administrator);
    const c = await w.console(secret);
    const status = await sync(c);
    const orgIds = [w.seed.partnerId, ...w.seed.clientIds];
    expect(status.orgs.map((o) => o.orgId).sort()).toEqual([...orgIds].sort());
    expect(syncedState(c.db, orgIds)).toEqual(syncedState(w.portalCore.db, orgIds));
    const user = w.seed.users[0]!;
    await must(c, 'users.update', { id: user, baseVersion: version(c, user), changes: { name: 'Ana by key' } });
    await sync(c);
    expect(userName(w.portalCore, user)).toBe('Ana by key');
    // The key is the actor of what it changed, on the Portal.
    const audit = w.portalCore.db.prepare("SELECT actor_name FROM audit WHERE action = 'users.update' ORDER BY id DESC LIMIT 1").get() as { actor_name: string };
    expect(audit.actor_name).toMatch(/^API key /);
  });

  it('a key of a client organization is refused with a message saying which key to use', async () => {
    const w = await world();
    const { secret } = await w.key(w.seed.clientIds[0]!, ROLE_IDS.administrator);
    const c = testCore();
    cleanup.push(() => c.dispose());
    const r = await c.call('sync.connect', { url: w.portal.origin, token: secret });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'FORBIDDEN', key: 'sync.key_not_top_level' });
    expect(c.db.prepare('SELECT count(*) AS n FROM organizations').get()).toEqual({ n: 0 });
  });

  it('a Read-only key reads but its pushed edit is rejected, shown with the reason, and the Portal is unchanged', async () => {
    const w = await world();
    const { secret } = await w.key(w.seed.partnerId, ROLE_IDS.readOnly);
    const c = await w.console(secret);
    await sync(c);
    const user = w.seed.users[0]!;
    await must(c, 'users.update', { id: user, baseVersion: version(c, user), changes: { name: 'Not allowed' } });
    const status = await sync(c);
    expect(status.conflicts).toBeGreaterThanOrEqual(1);
    const { items } = await must<{ items: ConflictView[] }>(c, 'sync.conflicts', {});
    expect(items.some((i) => i.kind === 'rejected')).toBe(true);
    expect(userName(w.portalCore, user)).toBe('Ana 1');
  });

  it('a revoked or unknown key cannot connect', async () => {
    const w = await world();
    const { key, secret } = await w.key(w.seed.partnerId, ROLE_IDS.administrator);
    await must(w.portalCore, 'apiKeys.revoke', { id: key.id });
    const c = testCore();
    cleanup.push(() => c.dispose());
    const revoked = await c.call('sync.connect', { url: w.portal.origin, token: secret });
    expect(revoked.ok).toBe(false);
    if (!revoked.ok) expect(revoked.error.code).toBe('UNAUTHORIZED');
    const forged = await c.call('sync.connect', { url: w.portal.origin, token: `${secret.slice(0, -4)}AAAA` });
    expect(forged.ok).toBe(false);
  });

  it('a key made on a console travels to the Portal as its hash: it works on the Portal\'s REST API, and stops when revoked on the console', async () => {
    const w = await world();
    const c = await w.console(w.seed.token);
    await sync(c);
    const client = w.seed.clientIds[0]!;
    const created = await must<{ key: { id: string; keyId: string }; secret: string }>(c, 'apiKeys.create', { orgId: client, name: 'Made offline', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } });
    const status = await sync(c);
    expect(status.conflicts).toBe(0);
    const get = (key: string) => fetch(`${w.portal.origin}/api/v1/organizations`, { headers: { authorization: `Bearer ${key}` } });
    expect((await get(created.secret)).status).toBe(200);
    const onPortal = w.portalCore.db.prepare('SELECT key_id FROM api_keys WHERE id = ?').get(created.key.id) as { key_id: string };
    expect(onPortal.key_id).toBe(created.key.keyId);
    // Neither the key nor its hash is in the Portal's change log or audit.
    const hash = (w.portalCore.db.prepare('SELECT secret_hash FROM api_keys WHERE id = ?').get(created.key.id) as { secret_hash: string }).secret_hash;
    const logs = JSON.stringify(w.portalCore.db.prepare('SELECT * FROM changes').all()) + JSON.stringify(w.portalCore.db.prepare('SELECT * FROM audit').all());
    expect(logs).not.toContain(hash);
    expect(logs).not.toContain(created.secret);
    await must(c, 'apiKeys.revoke', { id: created.key.id });
    await sync(c);
    expect((await get(created.secret)).status).toBe(401);
  });

  it('a recorded key is refused outside the Portal\'s re-run of a console change', async () => {
    const w = await world();
    const r = await w.portalCore.call('apiKeys.create', {
      orgId: w.seed.partnerId, name: 'Forged', roleId: ROLE_IDS.administrator, expiry: { kind: 'days', days: 30 },
      recorded: { keyId: 'abcdefghijklmnop', secretHash: 'a'.repeat(64) },
    });
    expect(r.ok).toBe(false);
    expect(w.portalCore.db.prepare("SELECT count(*) AS n FROM api_keys WHERE name = 'Forged'").get()).toEqual({ n: 0 });
  });
});
