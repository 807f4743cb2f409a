/**
 * The version window over real HTTP: hello states both sides' protocol and schema; the Portal
 * refuses a console outside its window (426 naming the side to update) on hello, push, pull and
 * sign-in; a console that finds itself outside stops syncing, keeps its outbox, says which side
 * must be updated, and resumes once both are inside again.
 *
 * The version skew is made by a proxy between console and Portal that rewrites what one side states
 * (a console claiming an older schema, a Portal stating an older one): the decisions are the real
 * Portal's and the real console's.
 */
import { describe, expect, it } from 'vitest';
import { testCore } from './helpers.ts';
import { must } from '../fixtures/sync/harness.ts';
import { LATEST_VERSION } from '../../main/core/db/migrations.ts';
import { SYNC_MIN_SCHEMA_VERSION, type SyncStatus } from '../../shared/model/sync.ts';
import { startSkewProxy } from '../fixtures/sync/skew-proxy.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

const cleanup = cleanupAfterEach();

async function world() {
  const { portalCore, portal, seed } = await startSeededPortal(cleanup, 1);
  const post = (path: string, body: unknown, token: string | null = seed.token) => fetch(`${portal.origin}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });
  return { portalCore, portal, seed, post };
}

const clientId = 'c0ffee00-0000-4000-8000-000000000001';
const sync = (c: ReturnType<typeof testCore>) => must<SyncStatus>(c, 'sync.now', { wait: true });

describe('the sync version window', () => {
  it('hello states the Portal\'s protocol and schema window; a console inside it is accepted', async () => {
    const w = await world();
    const res = await w.post('/sync/v1/hello', { protocolVersion: 1, schemaVersion: LATEST_VERSION });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ protocolVersion: 1, minProtocolVersion: 1, schemaVersion: LATEST_VERSION, minSchemaVersion: SYNC_MIN_SCHEMA_VERSION });
    // A console from before the window states nothing: still accepted (its protocol is checked on push and pull).
    expect((await w.post('/sync/v1/hello', {})).status).toBe(200);
  });

  it('refuses a console schema newer than the Portal\'s (update the Portal) or older than its minimum (update the console), on every route', async () => {
    const w = await world();
    for (const [schemaVersion, update] of [[LATEST_VERSION + 1, 'portal'], [SYNC_MIN_SCHEMA_VERSION - 1, 'console']] as const) {
      for (const [path, body] of [
        ['/sync/v1/hello', { protocolVersion: 1, schemaVersion }],
        ['/sync/v1/pull', { protocolVersion: 1, schemaVersion, clientId, cursors: {} }],
        ['/sync/v1/push', { protocolVersion: 1, schemaVersion, clientId, mutations: [] }],
      ] as const) {
        const res = await w.post(path, body);
        expect(res.status, `${path} ${schemaVersion}`).toBe(426);
        expect(await res.json()).toEqual({
          error: 'versionNotSupported', update, minProtocolVersion: 1, maxProtocolVersion: 1, minSchemaVersion: SYNC_MIN_SCHEMA_VERSION, maxSchemaVersion: LATEST_VERSION,
        });
      }
      const signIn = await w.post('/sync/v1/sign-in', { email: 'tess@northwind.example', password: 'whatever it is', schemaVersion }, null);
      expect(signIn.status).toBe(426);
    }
    // Nothing was registered or applied for the refused requests.
    expect(w.portalCore.db.prepare('SELECT count(*) AS n FROM sync_clients').get()).toEqual({ n: 0 });
  });

  it('a console outside the window cannot connect, and is told which side to update', async () => {
    const w = await world();
    const proxy = await startSkewProxy(w.portal.origin);
    cleanup.push(() => proxy.close());
    const c = testCore();
    cleanup.push(() => c.dispose());
    proxy.skew.response = (path, body) => (path === '/sync/v1/hello' ? { ...body, schemaVersion: LATEST_VERSION - 1 } : body);
    const older = await c.call('sync.connect', { url: proxy.origin, token: w.seed.token });
    expect(older.ok).toBe(false);
    if (!older.ok) expect(older.error.key).toBe('sync.update_portal');
    proxy.skew.response = undefined;
    proxy.skew.request = (path, body) => ({ ...body, schemaVersion: SYNC_MIN_SCHEMA_VERSION - 1 });
    const tooOld = await c.call('sync.connect', { url: proxy.origin, token: w.seed.token });
    expect(tooOld.ok).toBe(false);
    if (!tooOld.ok) expect(tooOld.error.key).toBe('sync.update_console');
    expect((await must<SyncStatus>(c, 'sync.status', {})).state).toBe('standalone');
  });

  it('a connected console that falls outside the window stops syncing with its outbox kept, says which side to update, and resumes inside it', async () => {
    const w = await world();
    const proxy = await startSkewProxy(w.portal.origin);
    cleanup.push(() => proxy.close());
    const c = testCore();
    cleanup.push(() => c.dispose());
    await must(c, 'sync.connect', { url: proxy.origin, token: w.seed.token });
    await sync(c);
    const ana = w.seed.users[0]!;
    const edit = async (name: string) => {
      const { version } = c.db.prepare('SELECT version FROM users WHERE id = ?').get(ana) as { version: number };
      await must(c, 'users.update', { id: ana, baseVersion: version, changes: { name } });
    };
    const onPortal = () => (w.portalCore.db.prepare('SELECT name FROM users WHERE id = ?').get(ana) as { name: string }).name;

    // This console is updated past the Portal (it states a newer schema): the Portal must be updated.
    proxy.skew.request = (path, body) => ({ ...body, schemaVersion: LATEST_VERSION + 1 });
    await edit('Ana while outside the window');
    let status = await sync(c);
    expect(status).toMatchObject({ state: 'incompatible', updateNeeded: 'portal', pending: 1 });
    expect(onPortal()).toBe('Ana 1');

    // The Portal now requires a newer console (it refuses what this console states): update the console.
    proxy.skew.request = (path, body) => ({ ...body, schemaVersion: SYNC_MIN_SCHEMA_VERSION - 1 });
    status = await sync(c);
    expect(status).toMatchObject({ state: 'incompatible', updateNeeded: 'console', pending: 1 });
    expect(onPortal()).toBe('Ana 1');

    // Both inside again: the waiting change goes.
    proxy.skew.request = undefined;
    status = await sync(c);
    expect(status).toMatchObject({ state: 'online', updateNeeded: null, pending: 0 });
    expect(onPortal()).toBe('Ana while outside the window');
  });
});
