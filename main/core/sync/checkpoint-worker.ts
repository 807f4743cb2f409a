/**
 * Folds the WAL into the database file off the core's thread during a long pull (wal-checkpointer.ts):
 * its own connection, a PASSIVE checkpoint per request (it never waits for the core's writer and
 * never blocks it), answered with SQLite's frame counts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpoint-protocol.ts';

const port = parentPort!;
const { file } = workerData as CheckpointWorkerData;
const post = (m: FromCheckpointWorker) => port.postMessage(m);
// fileMustExist: this thread never creates a database, it only checkpoints the core's.
const db = new Database(file, { fileMustExist: true });

port.on('message', (m: ToCheckpointWorker) => {
  if (m.type === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    post({ type: 'done', walFrames: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
});
