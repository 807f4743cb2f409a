import { z } from 'zod';
import { AppErrorShape } from './errors.ts';

export const JOB_KINDS = ['users.import', 'users.export', 'directory.run', 'directory.apply'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const Job = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** What it is doing now: reading, validating, applying, writing ... */
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  /** Of the current phase: bytes/s while reading a file, rows/s while applying or writing. */
  ratePerSecond: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: AppErrorShape.nullable(),
  /** The kind's result once done (users.import: ImportResult; users.export: the file to read). */
  result: z.unknown(),
});
export type Job = z.output<typeof Job>;
