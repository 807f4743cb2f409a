/**
 * Applies a long mutation off the core's thread: its own connection, BEGIN IMMEDIATE, the ops in
 * slices that yield between them (so a cancel gets through), COMMIT, then a WAL checkpoint — the
 * commit's fsync and the checkpoint of a 100,000-row import take hundreds of milliseconds, which
 * must not be the core thread's. See long-mutation.ts for the messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openDatabase } from '../db/open-database.ts';
import { toErrorShape } from '../errors.ts';
import { beginLongMutation, type LongMutation } from './pipeline.ts';
import { createOpApplier } from './apply-op.ts';
import type { ApplyWorkerData, FromApplyWorker, LongOp, ToApplyWorker } from './long-mutation-protocol.ts';
import { openLongOutbox } from '../sync/long-outbox.ts';
import { SYNC_CHUNK_OPS } from '../../../shared/model/sync-batch-values.ts';

const port = parentPort!;
const data = workerData as ApplyWorkerData;
const post = (m: FromApplyWorker) => port.postMessage(m);
const SLICE = 500;
const APPLY_CACHE_KIB = 8000;

const queue: LongOp[] = [];
let begin: Extract<ToApplyWorker, { type: 'begin' }> | null = null;
let ended = false;
let cancelled = false;
let wake: (() => void) | null = null;

port.on('message', (m: ToApplyWorker) => {
  if (m.type === 'begin') begin = m;
  else if (m.type === 'ops') queue.push(...m.ops);
  else if (m.type === 'end') ended = true;
  else cancelled = true;
  wake?.();
  wake = null;
});

const db = openDatabase(data.dataDir);
// Half of better-sqlite3's 16 MB page cache: a 100,000-row import spills to the WAL either way, the
// CPU time measured the same with 4, 8, 16 or 32 MB, and every MB of it is resident memory.
db.pragma(`cache_size = -${APPLY_CACHE_KIB}`);
// No automatic checkpoint inside COMMIT: SQLite runs one in the committing call once the WAL passes
// 1,000 pages, and after a 100,000-row import that is ~0.4 s of copying before the caller hears
// "committed". The checkpoint below runs after the answer instead.
db.pragma('wal_autocheckpoint = 0');
let long: LongMutation | null = null;
try {
  // Started ahead of its mutation (startApplyWorker): the caller says when it holds the writer.
  while (!begin) {
    if (cancelled) throw new Error('cancelled');
    await new Promise<void>((r) => (wake = r));
  }
  const { name, actor, at } = begin;
  const apply = createOpApplier(db, () => new Date(at));
  // On a console connected to a Portal, the run's outbox entries commit with it (sync/long-outbox.ts).
  // Read before BEGIN: connecting and disconnecting are mutations, which wait for this one's writer.
  const outbox = openLongOutbox(db, name, at);
  long = beginLongMutation(db, name, actor, () => new Date(at), outbox !== null);
  let done = 0;
  for (;;) {
    if (cancelled) throw new Error('cancelled');
    if (queue.length === 0) {
      if (ended) break;
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    for (const op of queue.splice(0, SLICE)) {
      apply(long.writer, op);
      done++;
      if (outbox && long.writer.touched.size >= SYNC_CHUNK_OPS) outbox.flush(long.writer);
    }
    post({ type: 'progress', done });
    await nextTurn();
  }
  outbox?.flush(long.writer);
  const summary = long.commit();
  long = null;
  post({ type: 'committed', orgIds: [...summary.orgIds], entities: [...summary.entities] });
  // Then fold the WAL back into the database here, after the caller has its answer and not on
  // the core's next commit.
  db.pragma('wal_checkpoint(PASSIVE)');
} catch (e) {
  long?.rollback();
  post(cancelled ? { type: 'cancelled' } : { type: 'failed', error: toErrorShape(e) });
} finally {
  db.close();
  port.close();
}
