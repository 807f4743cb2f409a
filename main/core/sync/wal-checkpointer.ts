/**
 * WAL checkpoints out of the core's transactions during a long pull. SQLite's automatic checkpoint
 * runs inside the commit that crosses 1,000 WAL pages: copying the WAL into the database file and
 * its fsyncs then land on the core's thread, inside a pull page (about a quarter of the time spent
 * applying a first download, research/sync.md). While a pull has more pages, the core's connection
 * checkpoints nothing (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs a
 * PASSIVE checkpoint after each page (one at a time; requests made meanwhile fold into one more).
 *
 * The WAL stays bounded: when the checkpoint thread reports more than `maxWalFrames` frames (it
 * cannot keep up), or the thread fails, the core checkpoints itself after the page as SQLite would
 * have. `end()` restores the connection's automatic checkpoint, waits for a last checkpoint of
 * everything the pull wrote and ends the thread.
 */
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/open-database.ts';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpoint-protocol.ts';

export interface WalCheckpointer {
  /** A page committed: fold the WAL into the database on the checkpoint thread. */
  afterCommit(): void;
  /** The pull is over: automatic checkpoints back on the core's connection, the WAL folded in, the thread ended. */
  end(): Promise<void>;
  /** Checkpoints done so far, on the thread and on the core's connection (a fallback). */
  readonly stats: { onThread: number; onCore: number };
}

/** 16,000 frames of 4 KB: 64 MB of WAL, 16 times SQLite's automatic threshold. */
const MAX_WAL_FRAMES = 16_000;

export function startWalCheckpointer(db: Db, options: { workerUrl?: URL; maxWalFrames?: number } = {}): WalCheckpointer {
  const maxWalFrames = options.maxWalFrames ?? MAX_WAL_FRAMES;
  const autocheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  const stats = { onThread: 0, onCore: 0 };
  let failed = false;
  let walFrames = 0;
  let running = false;
  let again = false;
  let idle: (() => void) | null = null;

  const data: CheckpointWorkerData = { file: db.name };
  const worker = new Worker(options.workerUrl ?? new URL('./checkpoint-worker.ts', import.meta.url), {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 16 },
  });
  // A pull that ends without end() (the process exiting) must not be kept alive by this thread.
  worker.unref();
  const send = (m: ToCheckpointWorker) => worker.postMessage(m);

  const fail = () => {
    if (failed) return;
    failed = true;
    running = false;
    // SQLite's own checkpoints again: the pull goes on as it would without this thread.
    if (db.open) db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    idle?.();
    // Asked to close, not terminated: it may be inside a checkpoint (a native call), and
    // terminating a thread there can abort the process. A thread already gone ignores this.
    send({ type: 'close' });
  };
  const checkpointOnCore = () => {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    walFrames = r?.log ?? 0;
    stats.onCore++;
  };
  const request = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    send({ type: 'checkpoint' });
  };

  worker.on('message', (m: FromCheckpointWorker) => {
    if (m.type === 'failed') return fail();
    stats.onThread++;
    walFrames = m.walFrames;
    running = false;
    if (again) request();
    else idle?.();
  });
  worker.on('error', fail);
  worker.on('exit', fail);

  db.pragma('wal_autocheckpoint = 0');

  return {
    stats,
    afterCommit() {
      if (failed) return;
      if (walFrames > maxWalFrames) checkpointOnCore();
      request();
    },
    async end() {
      if (failed || !db.open) return fail();
      db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
      // The last request covers every page: the WAL is folded in when the thread answers it.
      await new Promise<void>((resolve) => {
        idle = resolve;
        if (running) again = true;
        else request();
      });
      idle = null;
      worker.off('exit', fail);
      if (!failed) send({ type: 'close' });
      failed = true;
    },
  };
}
