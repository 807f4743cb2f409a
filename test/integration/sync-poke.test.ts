/**
 * The sync poke over real HTTP: a long poll the Portal answers as soon as a synced entity of the
 * caller's organizations changes (never for someone else's), so a console pulls at once instead of
 * at its next poll.
 */
import { describe, expect, it } from 'vitest';
import { startPortal } from '../../main/portal/portal-server.ts';
import { testCore } from './helpers.ts';
import { asClient, must, seedPortal } from '../fixtures/sync/harness.ts';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';

const cleanup = cleanupAfterEach();

async function world() {
  const portalCore = testCore();
  // The Portal's core, counting the poke's checks.
  const checks = { n: 0 };
  const client = asClient(portalCore);
  const portal = await startPortal({
    core: { ...client, call: (method, input) => { if (method === 'sync.serverPoke') checks.n++; return client.call(method, input); } },
  });
  cleanup.push(() => portalCore.dispose(), () => portal.close());
  const seed = await seedPortal(portalCore, 1);
  // Another partner, outside the technician's tree.
  const other = await must<{ id: string }>(portalCore, 'org.create', {
    type: 'partner', parentId: null, name: 'Elsewhere MSP', email: 'ops@elsewhere.example', language: 'en', country: 'US', sector: 'technology',
  });
  const poke = (since: number | null, token = seed.token) => fetch(`${portal.origin}/sync/v1/poke`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ since }),
  });
  const rename = async (id: string, name: string) => {
    const { version } = portalCore.db.prepare('SELECT version FROM organizations WHERE id = ?').get(id) as { version: number };
    await must(portalCore, 'org.updateGeneral', { id, baseVersion: version, changes: { name } });
  };
  return { portalCore, portal, seed, otherId: other.id, poke, rename, checks };
}

/** A console whose timer would not pull during the test: only a poke (or sync.now) brings news. */
function quietConsole(poke: 'on' | 'off') {
  const saved = { poll: process.env.ORGDESK_SYNC_POLL_MS, poke: process.env.ORGDESK_SYNC_POKE };
  process.env.ORGDESK_SYNC_POLL_MS = '600000';
  process.env.ORGDESK_SYNC_POKE = poke;
  const c = testCore();
  cleanup.push(() => c.dispose());
  return {
    c,
    restoreEnv: () => {
      for (const [key, value] of [['ORGDESK_SYNC_POLL_MS', saved.poll], ['ORGDESK_SYNC_POKE', saved.poke]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

const orgName = (c: ReturnType<typeof testCore>, id: string) => (c.db.prepare('SELECT name FROM organizations WHERE id = ?').get(id) as { name: string } | undefined)?.name;

describe('the sync poke', () => {
  it('holds the request until the caller\'s organizations change, ignoring other trees', async () => {
    const w = await world();
    expect((await w.poke(null, 'odsync_not-a-token')).status).toBe(401);
    let answered: { changed: boolean; seq: number } | null = null;
    const waiting = w.poke(null).then(async (res) => {
      expect(res.status).toBe(200);
      answered = await res.json() as { changed: boolean; seq: number };
    });
    await new Promise((r) => setTimeout(r, 300));
    const checksBefore = w.checks.n;
    await w.rename(w.otherId, 'Elsewhere MSP (renamed)');
    await new Promise((r) => setTimeout(r, 700));
    expect(answered).toBeNull();
    // Another tree's change did not even cost a check.
    expect(w.checks.n).toBe(checksBefore);
    await w.rename(w.seed.clientIds[0]!, 'Client 1 (renamed)');
    await waiting;
    expect(answered).toMatchObject({ changed: true });
    // Asked from where that answer stood, with a change already there: answered at once.
    const seqBefore = (answered as unknown as { seq: number }).seq;
    await w.rename(w.seed.partnerId, 'Northwind MSP (renamed)');
    const quick = await (await w.poke(seqBefore)).json() as { changed: boolean };
    expect(quick.changed).toBe(true);
  });

  it('a console pulls a change made on the Portal at once; with the poke off it waits for its poll', async () => {
    const w = await world();
    const client = w.seed.clientIds[0]!;
    for (const mode of ['on', 'off'] as const) {
      const { c, restoreEnv } = quietConsole(mode);
      try {
        await must(c, 'sync.connect', { url: w.portal.origin, token: w.seed.token });
        await must<SyncStatus>(c, 'sync.now', { wait: true });
      } finally {
        restoreEnv();
      }
      // Give the listener a moment to start its long poll.
      await new Promise((r) => setTimeout(r, 300));
      const name = `Client 1 (poke ${mode})`;
      await w.rename(client, name);
      if (mode === 'on') {
        await expect.poll(() => orgName(c, client), { timeout: 5000 }).toBe(name);
      } else {
        await new Promise((r) => setTimeout(r, 2500));
        expect(orgName(c, client)).not.toBe(name);
        await must(c, 'sync.now', { wait: true });
        expect(orgName(c, client)).toBe(name);
      }
      await must(c, 'sync.disconnect', { discardPending: true });
    }
  });
});
