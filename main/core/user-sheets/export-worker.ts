/**
 * The export worker: writes one users file (export or template) with its own connection, so the
 * core's thread only relays progress. Messages in: { type: 'cancel' }. Out: progress, done, failed,
 * cancelled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open-database.ts';
import { Cancelled, writeUsersFile, type UsersFileRequest } from './users-file.ts';

export interface ExportWorkerData { dataDir: string; req: UsersFileRequest; path: string }
export type FromExportWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; rows: number }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string };

const port = parentPort!;
const data = workerData as ExportWorkerData;
let cancelled = false;
port.on('message', (m: { type: 'cancel' }) => {
  if (m.type === 'cancel') cancelled = true;
});
const post = (m: FromExportWorker) => port.postMessage(m);

const db = openDatabase(data.dataDir);
try {
  const rows = await writeUsersFile(db, data.req, data.path, (done, total) => post({ type: 'progress', done, total }), () => cancelled);
  post({ type: 'done', rows });
} catch (e) {
  post(e instanceof Cancelled ? { type: 'cancelled' } : { type: 'failed', message: e instanceof Error ? e.message : String(e) });
} finally {
  db.close();
  port.close();
}
