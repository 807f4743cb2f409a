/**
 * `readDirectoryInWorker(data, opts)`: the LDAP side of a directory run in a worker thread with a
 * capped heap (read-worker.ts). It yields the run's mode, the groups' members and pages of mapped
 * entries, at most a few pages ahead of the consumer; it returns the newest modifyTimestamp seen
 * when the read is complete, and throws a DirectoryError otherwise. A cancel asks the worker to
 * stop after its current page and unbind; a worker that does not stop in time is terminated.
 */
import { Worker } from 'node:worker_threads';
import { DirectoryError } from './ldap.ts';
import type { FromReadWorker, ReadItem, ReadWorkerData, ToReadWorker } from './read-worker-protocol.ts';

export interface DirectoryReadOptions {
  signal?: AbortSignal;
  /** The worker entry; the Electron build passes its bundled directory-read-worker.js. */
  workerUrl?: URL;
  /** Old-generation heap cap of the worker (MB). */
  maxMemoryMb?: number;
}

export type DirectoryReadEvent =
  | { type: 'mode'; mode: 'full' | 'delta'; nextState: Extract<FromReadWorker, { type: 'mode' }>['nextState'] }
  | { type: 'groups'; members: string[][] }
  | { type: 'page'; items: ReadItem[] };

/**
 * 64 MB holds a 1,000-entry page and its decoding several times over; 16 MB of young generation
 * lets most of that garbage die young (measured: see ARCHITECTURE.md, Directory import).
 */
const DEFAULT_HEAP_MB = 64;
/** How long a cancelled worker may take to finish its page and unbind before it is terminated. */
const CANCEL_GRACE_MS = 2000;

type Final = Extract<FromReadWorker, { type: 'done' | 'cancelled' | 'failed' }>;

export async function* readDirectoryInWorker(data: ReadWorkerData, opts: DirectoryReadOptions = {}): AsyncGenerator<DirectoryReadEvent, string> {
  const maxMemoryMb = opts.maxMemoryMb ?? DEFAULT_HEAP_MB;
  const worker = new Worker(opts.workerUrl ?? new URL('./read-worker.ts', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: 16 },
    stdout: false,
    stderr: false,
  });
  const queue: (FromReadWorker | Final)[] = [];
  let final: Final | null = null;
  let wake: (() => void) | null = null;
  const push = (m: FromReadWorker) => {
    if (final) return;
    if (m.type === 'done' || m.type === 'cancelled' || m.type === 'failed') final = m;
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', push);
  worker.on('error', (e: Error & { code?: string }) => push({
    type: 'failed', problem: 'other',
    detail: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the directory reader ran out of its ${maxMemoryMb} MB of memory` : e.message,
  }));
  worker.on('exit', () => push({ type: 'failed', problem: 'other', detail: 'the directory reader stopped unexpectedly' }));
  let killTimer: ReturnType<typeof setTimeout> | null = null;
  const onAbort = () => {
    worker.postMessage({ type: 'cancel' } satisfies ToReadWorker);
    killTimer = setTimeout(() => push({ type: 'cancelled' }), CANCEL_GRACE_MS);
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((r) => { wake = r; });
      const m = queue.shift()!;
      if (m.type === 'done') return m.maxModifyTimestamp;
      if (m.type === 'cancelled') return '';
      if (m.type === 'failed') throw new DirectoryError(m.problem, m.detail);
      if (m.type === 'page') {
        const items = JSON.parse(m.json) as ReadItem[];
        worker.postMessage({ type: 'ack' } satisfies ToReadWorker);
        yield { type: 'page', items };
      } else yield m;
    }
  } finally {
    if (killTimer) clearTimeout(killTimer);
    opts.signal?.removeEventListener('abort', onAbort);
    // Done or failed, the worker has unbound already; after an early stop by the consumer, it is ended here.
    await worker.terminate();
  }
}
