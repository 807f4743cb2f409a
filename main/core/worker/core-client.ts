import { Worker } from 'node:worker_threads';
import type { RpcResult } from '../../../shared/model/errors.ts';
import { translate } from '../../../shared/i18n/index.ts';
import type { CoreWorkerData, FromWorker, ToWorker } from './protocol.ts';

/** What the transports (main/shell's IPC, main/host's HTTP) talk to. */
export interface CoreClient {
  call(method: string, input: unknown): Promise<RpcResult>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

export interface CoreWorkerOptions {
  dataDir: string;
  seedSample?: boolean;
  /** The worker entry. Defaults to the TypeScript source beside this file (plain Node 24);
   *  the Electron build passes its bundled core-worker.js. */
  workerUrl?: URL;
  /** The folder of the bundled app's other worker entries (see CoreOptions.workerDir). */
  workerDir?: URL;
  /** Restarts allowed after the worker dies unexpectedly, within one minute. */
  maxRestarts?: number;
}

const internalError = (): RpcResult => ({
  ok: false,
  error: { code: 'INTERNAL', message: translate('common.internal'), key: 'common.internal' },
});

/**
 * Start the core in a worker thread and resolve once its database is open and migrated.
 * A worker that dies (a native crash, out of memory) fails its pending calls with a typed error
 * and is started again: every committed change is already in SQLite, so nothing is lost.
 */
export async function startCoreWorker(options: CoreWorkerOptions): Promise<CoreClient> {
  const workerUrl = options.workerUrl ?? new URL('./core-worker.ts', import.meta.url);
  const data: CoreWorkerData = {
    dataDir: options.dataDir, seedSample: options.seedSample ?? true,
    ...(options.workerDir ? { workerDir: options.workerDir.href } : {}),
  };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (r: RpcResult) => void>();
  let nextId = 1;
  let closing = false;
  let restarts: number[] = [];

  const spawn = () =>
    new Promise<Worker>((resolve, reject) => {
      // A 16 MB young generation keeps the core's resident memory down during bulk work.
      const worker = new Worker(workerUrl, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      let ready = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          resolve(worker);
        } else if (m.type === 'fatal') {
          reject(new Error(m.message));
        } else if (m.type === 'result') {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        } else if (m.type === 'event') {
          for (const cb of listeners.get(m.event) ?? []) cb(m.payload);
        }
      });
      worker.on('error', (e) => {
        if (!ready) reject(e);
      });
      worker.on('exit', () => {
        for (const settle of pending.values()) settle(internalError());
        pending.clear();
        if (!ready || closing) return;
        const now = Date.now();
        restarts = restarts.filter((t) => now - t < 60_000);
        if (restarts.length >= (options.maxRestarts ?? 3)) return;
        restarts.push(now);
        current = spawn();
        current.catch(() => undefined);
      });
    });

  let current = spawn();
  await current;

  return {
    async call(method, input) {
      const worker = await current.catch(() => null);
      if (!worker || closing) return internalError();
      const id = nextId++;
      return new Promise<RpcResult>((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ type: 'call', id, method, input } satisfies ToWorker);
      });
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    async close() {
      closing = true;
      const worker = await current.catch(() => null);
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      const stopped = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 2000))]);
      if (!stopped) process.stderr.write('orgdesk: the core did not stop within 2 s of being asked; terminating it\n');
      await worker.terminate();
    },
  };
}
