/**
 * The core in a worker thread: better-sqlite3 is synchronous, so the thread that answers the
 * window (Electron main, or the web host's event loop) never waits on SQLite. Messages:
 *   in:  { type: 'call', id, method, input } | { type: 'close' }
 *   out: { type: 'ready' } | { type: 'fatal', message } | { type: 'result', id, result } | { type: 'event', event, payload }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCore, type Core } from '../create-core.ts';
import { events, type EventName } from '../../../shared/contract.ts';
import type { CoreWorkerData, FromWorker, ToWorker } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('core-worker.ts must run in a worker thread');
const data = workerData as CoreWorkerData;
const post = (m: FromWorker) => port.postMessage(m);

let core: Core;
try {
  core = createCore({
    dataDir: data.dataDir, seedSample: data.seedSample,
    ...(data.sheetWorkerUrl ? { sheetWorkerUrl: new URL(data.sheetWorkerUrl) } : {}),
  });
} catch (e) {
  post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

for (const name of Object.keys(events) as EventName[]) {
  core.on(name, (payload) => post({ type: 'event', event: name, payload }));
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'call') {
    void core.call(m.method, m.input).then((result) => post({ type: 'result', id: m.id, result }));
  } else if (m.type === 'close') {
    core.close();
    port.close();
  }
});

post({ type: 'ready' });
