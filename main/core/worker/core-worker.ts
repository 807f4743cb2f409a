/**
 * The core in a worker thread: better-sqlite3 is synchronous, so the thread that answers the
 * window (Electron main, or the web host's event loop) never waits on SQLite. Messages:
 *   in:  { type: 'call', id, method, input } | { type: 'close' }
 *   out: { type: 'ready' } | { type: 'fatal', message } | { type: 'result', id, result } | { type: 'event', event, payload }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
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
    ...(data.workerDir ? { workerDir: new URL(data.workerDir) } : {}),
  });
} catch (e) {
  post({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

for (const name of Object.keys(events) as EventName[]) {
  core.on(name, (payload) => post({ type: 'event', event: name, payload }));
}

// Stall watch: the point of this thread is that it answers within milliseconds. When it does not,
// say so on stderr with what it was doing, so a slow path can be found (never any data).
const STALL_MS = 200;
let lastMethod = '(idle)';
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - lastTick > STALL_MS + 20) process.stderr.write(`orgdesk: the core was busy for ${Math.round(now - lastTick - 20)} ms (last call: ${lastMethod})\n`);
  lastTick = now;
}, 20).unref();

port.on('message', (m: ToWorker) => {
  if (m.type === 'call') {
    lastMethod = m.method;
    void core.call(m.method, m.input).then((result) => post({ type: 'result', id: m.id, result }));
  } else if (m.type === 'close') {
    core.close();
    port.close();
  }
});

post({ type: 'ready' });
