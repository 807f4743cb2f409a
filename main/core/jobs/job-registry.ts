import { newId as uuidv7 } from '../ids.ts';
import type { Job, JobKind } from '../../../shared/model/job.ts';
import { AppError, toErrorShape } from '../errors.ts';

/**
 * Long work (imports, exports; later directory and Portal sync) runs as a job: it reports
 * progress as `job.progress` events (at most ~5 a second, plus the final state), can be cancelled
 * through its AbortSignal, and ends in exactly one of done / failed / cancelled.
 */
export interface JobContext {
  signal: AbortSignal;
  progress(update: { phase: string; done: number; total: number }): void;
}

/** Finished jobs kept for jobs.get (a window that reconnects asks for the outcome), newest first. */
const KEEP_FINISHED = 20;

export function createJobRegistry(emit: (job: Job) => void, now: () => Date) {
  const jobs = new Map<string, { job: Job; controller: AbortController; lastEmit: number; startedMs: number }>();
  const finished: string[] = [];
  const retire = (id: string) => {
    finished.push(id);
    // A result can be large (an import lists every row number): keep only the last few.
    while (finished.length > KEEP_FINISHED) jobs.delete(finished.shift()!);
  };

  function publish(id: string, force = false) {
    const entry = jobs.get(id)!;
    const t = Date.now();
    if (!force && t - entry.lastEmit < 200) return;
    entry.lastEmit = t;
    emit({ ...entry.job });
  }

  return {
    start(kind: JobKind, run: (ctx: JobContext) => Promise<unknown>): Job {
      const id = uuidv7();
      const controller = new AbortController();
      const job: Job = {
        id, kind, state: 'running', phase: 'starting', done: 0, total: 0, ratePerSecond: 0,
        startedAt: now().toISOString(), finishedAt: null, error: null, result: null,
      };
      const entry = { job, controller, lastEmit: 0, startedMs: Date.now(), phaseStartedMs: Date.now() };
      jobs.set(id, entry);
      const ctx: JobContext = {
        signal: controller.signal,
        progress({ phase, done, total }) {
          // The rate is per phase: bytes/s while reading a file, rows/s while applying.
          if (phase !== job.phase) entry.phaseStartedMs = Date.now();
          const elapsed = (Date.now() - entry.phaseStartedMs) / 1000;
          Object.assign(job, { phase, done, total, ratePerSecond: elapsed > 0 ? Math.round(done / elapsed) : 0 });
          publish(id);
        },
      };
      publish(id, true);
      // Run after this call returns, so the caller has the job id before the first event.
      setImmediate(() => {
        run(ctx).then(
          (result) => {
            Object.assign(job, controller.signal.aborted
              ? { state: 'cancelled', finishedAt: now().toISOString() }
              : { state: 'done', result, finishedAt: now().toISOString() });
            publish(id, true);
            retire(id);
          },
          (e: unknown) => {
            const cancelled = controller.signal.aborted;
            Object.assign(job, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : toErrorShape(e), finishedAt: now().toISOString() });
            publish(id, true);
            retire(id);
          },
        );
      });
      return { ...job };
    },
    get(id: string): Job {
      const entry = jobs.get(id);
      if (!entry) throw new AppError('NOT_FOUND', 'jobs.not_found');
      return { ...entry.job };
    },
    cancel(id: string): Job {
      const entry = jobs.get(id);
      if (!entry) throw new AppError('NOT_FOUND', 'jobs.not_found');
      if (entry.job.state === 'running') entry.controller.abort();
      return { ...entry.job };
    },
    /** Stop every running job (the core is closing). */
    cancelAll(): void {
      for (const { controller, job } of jobs.values()) if (job.state === 'running') controller.abort();
    },
  };
}
export type JobRegistry = ReturnType<typeof createJobRegistry>;
