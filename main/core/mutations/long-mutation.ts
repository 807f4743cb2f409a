/**
 * A mutation too large for one short transaction (a 100,000-row import, a bulk action on
 * thousands of users): still ONE transaction — all or nothing, a crash leaves nothing — but
 * applied by a worker thread on its own connection, so the core's thread keeps answering queries
 * (WAL readers never see the uncommitted rows). The caller decides every op first, holding the
 * core's writer (deps.withWriter) for the whole run, so nothing else writes in between.
 */
import { Worker } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Actor } from '../../../shared/model/organization.ts';
import { AppError } from '../errors.ts';
import type { ChangeSummary } from './pipeline.ts';
import type { ApplyWorkerData, FromApplyWorker, LongOp, ToApplyWorker } from './long-mutation-protocol.ts';

export type { LongOp };

/** Ops per message: each structured clone stays a few milliseconds of the core's time. */
const POST_BATCH = 2000;
/** Ops handed over but not yet applied, at most: the worker never holds the whole import. */
const IN_FLIGHT = 4 * POST_BATCH;

export interface LongMutationRequest {
  dataDir: string;
  name: string;
  actor: Actor;
  at: Date;
  /**
   * The writes, in order. An array is consumed (emptied) as it is handed over, to free memory; an
   * iterable is pulled a batch at a time, so a caller can make each op only when it is handed over
   * (an import of 100,000 rows then never holds 100,000 ops), and should give their `total`.
   * `{ batches }` are ops decided while the worker already applies the earlier ones (an import that
   * reads its file meanwhile); if that source throws, the worker rolls back and the promise rejects
   * with the source's error only once nothing of the mutation remains.
   */
  ops: LongOp[] | Iterable<LongOp> | LongOpSource | { batches: AsyncIterable<readonly LongOp[]> };
  /** How many ops there are (progress reports done of total); absent: an array's length, or the ops handed over so far. */
  total?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The worker entry; the Electron build passes its bundled apply-worker.js. */
  workerUrl?: URL;
  /** A worker started ahead (startApplyWorker); otherwise one is started now. */
  worker?: StartedApplyWorker;
}

/**
 * An apply worker started before its mutation is decided: its modules load and its connection
 * opens (~0.2 s) while the caller still waits for the writer or reads its first rows. Used by one
 * runLongMutation; `dispose` ends it if none took it. What it says before it is taken is kept.
 */
export interface StartedApplyWorker {
  /** The worker, its listeners attached (what it said meanwhile is replayed to them). */
  take(listeners: { message(m: FromApplyWorker): void; error(e: Error): void; exit(code: number): void }): Worker;
  /** Ends the worker if none took it: it closes its connection and exits by itself. */
  dispose(): void;
  /** The worker's exit code, once it has ended (0 when it ended by itself). */
  readonly exited: Promise<number>;
}

export function startApplyWorker(dataDir: string, workerUrl?: URL): StartedApplyWorker {
  const data: ApplyWorkerData = { dataDir };
  const worker = new Worker(workerUrl ?? new URL('./apply-worker.ts', import.meta.url), {
    workerData: data,
    // A small young generation and a capped old one: resident memory matters more than throughput
    // here (the ops arrive in bounded batches; without a cap V8 lets garbage pile up). 8 MB instead
    // of 16: the same CPU time for a 100,000-row import, ~25 MiB lower peak for the whole console.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
  });
  const said: { kind: 'message' | 'error' | 'exit'; value: unknown }[] = [];
  const keep = (kind: 'message' | 'error' | 'exit') => (value: unknown) => said.push({ kind, value });
  const early = { message: keep('message'), error: keep('error'), exit: keep('exit') };
  worker.on('message', early.message);
  worker.on('error', early.error);
  worker.on('exit', early.exit);
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  let taken = false;
  return {
    exited,
    take(listeners) {
      if (taken) throw new Error('this apply worker was already used');
      taken = true;
      worker.off('message', early.message);
      worker.off('error', early.error);
      worker.off('exit', early.exit);
      worker.on('message', listeners.message);
      worker.on('error', listeners.error);
      worker.on('exit', listeners.exit);
      for (const { kind, value } of said) {
        if (kind === 'message') listeners.message(value as FromApplyWorker);
        else if (kind === 'error') listeners.error(value as Error);
        else listeners.exit(value as number);
      }
      return worker;
    },
    dispose() {
      if (taken) return;
      taken = true;
      // Asked, not terminated: the worker may be inside a native call (loading better-sqlite3,
      // opening its connection), and terminating a thread there can abort the whole process
      // (better-sqlite3#1507). Told to cancel before `begin`, it closes its connection and ends.
      worker.postMessage({ type: 'cancel' } satisfies ToApplyWorker);
    },
  };
}

/** Ops made on demand: `take(max)` returns the next ones (about max; none when there are no more). */
export interface LongOpSource {
  total: number;
  take(max: number): LongOp[];
}

export function runLongMutation(req: LongMutationRequest): Promise<ChangeSummary> {
  const started = req.worker ?? startApplyWorker(req.dataDir, req.workerUrl);
  let worker!: Worker;
  const send = (m: ToApplyWorker) => worker.postMessage(m);
  const ops = req.ops;
  const batches = 'batches' in ops ? ops.batches : null;
  // Not `'take' in ops`: Node's iterator helpers have a take() too.
  const made = Array.isArray(ops) || 'batches' in ops || Symbol.iterator in ops ? null : ops;
  const source = Array.isArray(ops) || 'batches' in ops || !(Symbol.iterator in ops) ? null : ops[Symbol.iterator]();
  // An array is emptied as it is handed over: its length counts now, not as it shrinks.
  const arrayTotal = Array.isArray(ops) ? ops.length : null;
  const take = (max: number): LongOp[] => {
    if (made) return made.take(max);
    if (!source) return (ops as LongOp[]).splice(0, max);
    const batch: LongOp[] = [];
    for (let next = source.next(); !next.done; next = source.next()) {
      batch.push(next.value);
      if (batch.length >= max) break;
    }
    return batch;
  };
  const total = () => req.total ?? made?.total ?? arrayTotal ?? sent;
  let sent = 0;
  let applied = 0;
  let pump: (() => void) | null = null;
  let sourceFailed: { error: unknown } | null = null;
  return new Promise<ChangeSummary>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      pump?.(); // release the hand-over loop if it waits for the worker
      req.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => send({ type: 'cancel' });
    req.signal?.addEventListener('abort', onAbort);
    const onMessage = (m: FromApplyWorker) => {
      if (m.type === 'progress') {
        applied = m.done;
        req.onProgress?.(m.done, total());
        pump?.();
        pump = null;
      }
      else if (m.type === 'committed') settle(() => resolve({ orgIds: new Set(m.orgIds), entities: new Set(m.entities) }));
      else if (m.type === 'cancelled') settle(() => reject(sourceFailed ? sourceFailed.error : new AppError('BAD_INPUT', 'import.cancelled')));
      else settle(() => reject(new AppError(m.error.code, m.error.key ?? 'common.internal', m.error.params)));
    };
    worker = started.take({
      message: onMessage,
      error: (e) => settle(() => reject(e)),
      exit: () => settle(() => reject(new AppError('INTERNAL', 'common.internal'))),
    });
    send({ type: 'begin', name: req.name, actor: req.actor, at: req.at.toISOString() });
    // Hand the ops over a batch per turn (cloning them all at once would hold the core's thread),
    // and only as fast as the worker applies them.
    void (async () => {
      try {
        if (batches) await handOverBatches(batches);
        else await handOver();
      } catch (e) {
        // The caller's op source failed: the worker rolls back, and says so ('cancelled') once done.
        sourceFailed = { error: e };
        send({ type: 'cancel' });
      }
    })();
    async function handOverBatches(source: AsyncIterable<readonly LongOp[]>) {
      const batches = source[Symbol.asyncIterator]();
      for (;;) {
        // Room first, then the next batch: the source decides its ops only when they can be sent at
        // once, so they die young instead of waiting (and being promoted to the old generation).
        while (sent - applied >= IN_FLIGHT && !settled) await new Promise<void>((r) => (pump = r));
        if (settled) {
          await batches.return?.(); // ends the source (its finally blocks run)
          return;
        }
        const next = await batches.next();
        if (next.done) break;
        for (let start = 0; start < next.value.length && !settled; start += POST_BATCH) {
          const part = next.value.slice(start, start + POST_BATCH);
          send({ type: 'ops', ops: part });
          sent += part.length;
        }
        await nextTurn();
      }
      if (!settled) send({ type: 'end' });
    }
    async function handOver() {
      while (!settled) {
        if (sent - applied >= IN_FLIGHT) {
          await new Promise<void>((r) => (pump = r));
          continue;
        }
        const batch = take(POST_BATCH);
        if (batch.length === 0) break;
        send({ type: 'ops', ops: batch });
        sent += batch.length;
        await nextTurn();
      }
      if (!settled) send({ type: 'end' });
    }
  });
}
