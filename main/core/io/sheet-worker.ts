/**
 * Worker entry for `readSheetInWorker`: reads the file with `readSheet` and posts events back,
 * at most a few batches ahead of the consumer (it waits for 'ack' messages).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SheetError } from './sheet-error.ts';
import { readSheet } from './sheet-reader.ts';
import type { FromSheetWorker, SheetWorkerData, ToSheetWorker } from './sheet-worker-protocol.ts';

const port = parentPort!;
const data = workerData as SheetWorkerData;
const MAX_AHEAD = 4;
let ahead = 0;
let wake: (() => void) | null = null;

port.on('message', (m: ToSheetWorker) => {
  if (m.type === 'ack') {
    ahead--;
    wake?.();
    wake = null;
  }
});

const post = (m: FromSheetWorker) => port.postMessage(m);

try {
  for await (const event of readSheet({ path: data.path }, { limits: data.limits, batchSize: data.batchSize })) {
    // Rows travel as one JSON string: cloning one string is far cheaper than 12,000 small ones.
    if (event.type === 'rows') post({ type: 'rows', json: JSON.stringify(event.rows), bytesRead: event.bytesRead, totalBytes: event.totalBytes });
    else post({ type: 'event', event });
    if (++ahead >= MAX_AHEAD) await new Promise<void>((r) => { wake = r; });
  }
  post({ type: 'done' });
} catch (e) {
  if (e instanceof SheetError) post({ type: 'error', error: e.toShape() });
  else if (e instanceof RangeError) post({ type: 'error', error: new SheetError('OUT_OF_MEMORY', 'out_of_memory', { max: data.maxMemoryMb }).toShape() });
  else post({ type: 'error', error: new SheetError('FAILED', 'failed', { detail: e instanceof Error ? e.message : String(e) }).toShape() });
}
port.close();
