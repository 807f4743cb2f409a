/**
 * Long work in the core (imports, exports) runs as a job: started by a method that answers
 * { jobId } at once, followed through the `job.progress` event, cancelled with jobs.cancel.
 * Events are the fast path; a slow poll of jobs.get covers a lagging or reconnecting event stream.
 */
import type { Job } from '../../shared/model/job.ts';
import { api } from './client.ts';
import { getTransport } from './transport.ts';

const POLL_MS = 1000;
const listeners = new Set<(job: Job) => void>();
/** The last state seen of recent jobs: an event can arrive before the start call has answered. */
const recent = new Map<string, Job>();
let subscribed = false;

function ensureSubscribed() {
  if (subscribed) return;
  subscribed = true;
  getTransport().subscribe('job.progress', (payload) => {
    const job = payload as Job;
    if (!job || typeof job.id !== 'string') return;
    recent.set(job.id, job);
    if (recent.size > 50) recent.delete(recent.keys().next().value!);
    for (const cb of listeners) cb(job);
  });
}

export const isFinished = (job: Job) => job.state !== 'running';

export interface RunJobOptions {
  /** Every state seen while it runs, and the final one. */
  onUpdate?(job: Job): void;
  /** Called with the id as soon as the job exists (to offer Cancel). */
  onStart?(jobId: string): void;
}

/** Start a job and resolve with its final state (done, failed or cancelled). */
export async function runJob(start: () => Promise<{ jobId: string }>, options: RunJobOptions = {}): Promise<Job> {
  ensureSubscribed();
  const pending: Job[] = [];
  let jobId: string | null = null;
  let finish: ((job: Job) => void) | null = null;
  let final: Job | null = null;

  const accept = (job: Job) => {
    if (final) return;
    if (jobId === null) {
      pending.push(job);
      return;
    }
    if (job.id !== jobId) return;
    options.onUpdate?.(job);
    if (isFinished(job)) {
      final = job;
      finish?.(job);
    }
  };
  listeners.add(accept);
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const started = await start();
    jobId = started.jobId;
    options.onStart?.(jobId);
    const done = new Promise<Job>((resolve) => {
      finish = resolve;
    });
    for (const job of [...pending, ...(recent.has(jobId) ? [recent.get(jobId)!] : [])]) accept(job);
    if (final) return final;
    timer = setInterval(() => {
      void api.call('jobs.get', { jobId: jobId! }).then(accept, () => undefined);
    }, POLL_MS);
    return await done;
  } finally {
    listeners.delete(accept);
    if (timer) clearInterval(timer);
  }
}

export async function cancelJob(jobId: string): Promise<void> {
  await api.call('jobs.cancel', { jobId });
}

/**
 * Rows (or bytes) per second within the current phase, measured here from successive updates:
 * the core's ratePerSecond counts from the job's start, across phases.
 */
export function createRateMeter() {
  let phase = '';
  let t0 = 0;
  let d0 = 0;
  return (job: Job): number => {
    const now = performance.now();
    if (job.phase !== phase) {
      phase = job.phase;
      t0 = now;
      d0 = job.done;
      return 0;
    }
    const seconds = (now - t0) / 1000;
    return seconds > 0.2 ? Math.max(0, Math.round((job.done - d0) / seconds)) : 0;
  };
}
