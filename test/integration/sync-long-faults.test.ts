/**
 * Long mutations and crashes (issue #6): the Portal and a console as separate processes, a fault
 * point inside the apply worker's transaction. Every case ends with the oracle (world.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncWorld, type ConsoleHandle } from '../fixtures/sync/world.ts';
import { must } from '../fixtures/sync/harness.ts';
import type { Core } from '../../main/core/create-core.ts';
import { upload } from './import-helpers.ts';
import { SYNC_CHUNK_OPS } from '../../shared/model/sync-batch.ts';

let world: SyncWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const csv = (rows: number) => ['Name,Email,Role', ...Array.from({ length: rows }, (_, i) => `Person ${i},person${i}@big.example,Operator`)].join('\r\n');

async function startImport(c: ConsoleHandle, orgId: string, rows: number): Promise<void> {
  const fileId = await upload(c.proc as unknown as Pick<Core, 'call'>, 'people.csv', Buffer.from(csv(rows)));
  await must(c.proc, 'users.importStart', { orgId, fileId, options: {}, language: 'en' });
}

const counts = (w: SyncWorld, dir: string, orgId: string) => w.read(dir, (db) => ({
  users: (db.prepare('SELECT count(*) AS n FROM users WHERE org_id = ?').get(orgId) as { n: number }).n,
  outbox: (db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n,
  targets: (db.prepare('SELECT count(*) AS n FROM sync_outbox_target').get() as { n: number }).n,
}));

describe('long mutations and kill -9', () => {
  it('a console killed in the middle of applying an import (two chunks recorded): neither users nor outbox entries remain', async () => {
    world = await new SyncWorld().start(1);
    const client = world.seed.clientIds[0]!;
    const a = await world.addConsole();
    await world.sync(a);
    const before = counts(world, a.dir, client);
    await world.restartConsole(a, { ORGDESK_SYNC_FAULT: 'long-outbox-after-chunk@2' });
    await startImport(a, client, 5000);
    const signal = await Promise.race([a.proc.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    expect(signal).toBe('SIGKILL');
    expect(counts(world, a.dir, client)).toEqual(before);
    // Restarted, the console is as it was; the same import then travels whole.
    await world.restartConsole(a);
    await startImport(a, client, 5000);
    await expect.poll(() => counts(world!, a.dir, client).users, { timeout: 60_000 }).toBe(before.users + 5000);
    await world.quiesce();
    expect(world.oracle()).toMatchObject({ applied: 5000 / SYNC_CHUNK_OPS, conflicts: 0, rejected: 0 });
    expect(counts(world, world.portalDir, client).users).toBe(before.users + 5000);
  }, 180_000);

  it('the Portal killed inside the push transaction of a chunk: retried, each chunk applied once', async () => {
    world = await new SyncWorld().start(1, { ORGDESK_SYNC_FAULT: 'server-push-inside-tx' });
    const client = world.seed.clientIds[0]!;
    const a = await world.addConsole();
    await world.sync(a);
    await must(a.proc, 'sync.setOffline', { offline: true });
    await startImport(a, client, 2500);
    await expect.poll(() => counts(world!, a.dir, client).users, { timeout: 60_000 }).toBe(2501);
    await must(a.proc, 'sync.setOffline', { offline: false });
    expect(await world.portal.exited).toBe('SIGKILL');
    await world.restartPortal();
    await world.quiesce();
    expect(world.oracle()).toMatchObject({ applied: Math.ceil(2500 / SYNC_CHUNK_OPS), conflicts: 0, rejected: 0 });
    expect(counts(world, world.portalDir, client).users).toBe(2501);
  }, 180_000);
});
