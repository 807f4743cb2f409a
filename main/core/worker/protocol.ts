import type { RpcResult } from '../../../shared/model/errors.ts';

export interface CoreWorkerData {
  dataDir: string;
  seedSample: boolean;
  /** href of the folder of bundled worker entries, when not running from the TypeScript sources. */
  workerDir?: string;
}

export type ToWorker = { type: 'call'; id: number; method: string; input: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; result: RpcResult }
  | { type: 'event'; event: string; payload: unknown };
