/** Messages between the core and the WAL checkpoint thread (checkpoint-worker.ts). */
export interface CheckpointWorkerData {
  /** The database file of the core's connection. */
  file: string;
}
export type ToCheckpointWorker = { type: 'checkpoint' } | { type: 'close' };
export type FromCheckpointWorker =
  | { type: 'done'; walFrames: number; checkpointed: number }
  | { type: 'failed'; message: string };
