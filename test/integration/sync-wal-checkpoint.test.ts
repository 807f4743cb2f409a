/**
 * WAL checkpoints of a long pull run on their own thread (main/core/sync/wal-checkpointer.ts): the
 * core's connection checkpoints nothing meanwhile, the WAL is folded in and stays small, the
 * connection gets its automatic checkpoint back at the end, and a checkpoint thread that cannot
 * keep up or fails hands the work back to the core's connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, DB_FILE, type Db } from '../../main/core/db/open-database.ts';
import { startWalCheckpointer } from '../../main/core/sync/wal-checkpointer.ts';

let dirs: string[] = [];
let dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs) if (db.open) db.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  dbs = [];
});

function open(): { db: Db; walBytes: () => number } {
  const dir = mkdtempSync(join(tmpdir(), 'orgdesk-wal-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  dbs.push(db);
  db.exec('CREATE TABLE pulled (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)');
  return { db, walBytes: () => statSync(join(dir, `${DB_FILE}-wal`)).size };
}

/** A pull's pages: 100 rows of 1 KB each, a commit per page, the network's pause between pages. */
async function pullPages(db: Db, pages: number, afterCommit: () => void): Promise<void> {
  const insert = db.prepare('INSERT INTO pulled (pad) VALUES (?)');
  for (let p = 0; p < pages; p++) {
    db.transaction(() => { for (let i = 0; i < 100; i++) insert.run(`${p}-${i}-`.padEnd(1000, 'x')); })();
    afterCommit();
    await sleep(15);
  }
}

const autocheckpoint = (db: Db) => Number(db.pragma('wal_autocheckpoint', { simple: true }));
/** A PASSIVE checkpoint on the core's connection: what is left of the WAL to fold in. */
const leftInWal = (db: Db) => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  return { log: r!.log, checkpointed: r!.checkpointed };
};

describe('WAL checkpoints during a long pull', () => {
  it('run on the checkpoint thread, keep the WAL small and give the connection its automatic checkpoint back', async () => {
    const { db, walBytes } = open();
    expect(autocheckpoint(db)).toBe(1000);
    const checkpointer = startWalCheckpointer(db);
    expect(autocheckpoint(db)).toBe(0);
    await pullPages(db, 80, () => checkpointer.afterCommit());
    await checkpointer.end();

    expect(autocheckpoint(db)).toBe(1000);
    expect(checkpointer.stats.onThread).toBeGreaterThan(10);
    expect(checkpointer.stats.onCore).toBe(0);
    // ~8 MB were written; the WAL restarted behind the checkpoints instead of holding all of it.
    expect((db.prepare('SELECT count(*) AS n FROM pulled').get() as { n: number }).n).toBe(8000);
    expect(walBytes()).toBeLessThan(3 * 1024 * 1024);
    // Everything the pull wrote is in the database file already.
    const left = leftInWal(db);
    expect(left.checkpointed).toBe(left.log);
  });

  it('checkpoints on the core connection when the WAL outgrows the bound', async () => {
    const { db } = open();
    const checkpointer = startWalCheckpointer(db, { maxWalFrames: 1 });
    await pullPages(db, 20, () => checkpointer.afterCommit());
    await checkpointer.end();
    expect(checkpointer.stats.onCore).toBeGreaterThan(0);
    expect(autocheckpoint(db)).toBe(1000);
  });

  it('gives the checkpoints back to SQLite when the thread cannot start', async () => {
    const { db } = open();
    const checkpointer = startWalCheckpointer(db, { workerUrl: new URL('./no-such-checkpoint-worker.ts', import.meta.url) });
    await pullPages(db, 5, () => checkpointer.afterCommit());
    expect(autocheckpoint(db)).toBe(1000);
    await checkpointer.end();
    expect(checkpointer.stats.onThread).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM pulled').get() as { n: number }).n).toBe(500);
  });

  it('asks a thread whose checkpoints fail to close, instead of terminating it, and goes on on the core', async () => {
    const { db } = open();
    const checkpointer = startWalCheckpointer(db, { workerUrl: new URL('../fixtures/sync/failing-checkpoint-worker.ts', import.meta.url) });
    await pullPages(db, 5, () => checkpointer.afterCommit());
    // Terminated, the thread would never see a close message; asked, it closes and says so.
    const marker = `${db.name}.checkpoint-thread-closed`;
    for (let i = 0; i < 50 && !existsSync(marker); i++) await sleep(20);
    expect(existsSync(marker)).toBe(true);
    expect(autocheckpoint(db)).toBe(1000);
    await checkpointer.end();
    expect(checkpointer.stats.onThread).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM pulled').get() as { n: number }).n).toBe(500);
  });
});
