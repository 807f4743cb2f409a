import type { AppErrorShape } from '../../../shared/model/errors.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { EntityName } from './entities.ts';
import type { Row } from './pipeline.ts';

/** One write of a long mutation, decided on the core's thread, applied by the apply worker. */
export type LongOp =
  | { op: 'create'; entity: EntityName; id: string; values: Row }
  | { op: 'update'; entity: EntityName; id: string; patch: Row; baseVersion?: number }
  | { op: 'delete'; entity: EntityName; id: string };

export interface ApplyWorkerData {
  dataDir: string;
  name: string;
  actor: Actor;
  /** The mutation's time, from the core's clock. */
  at: string;
}

export type ToApplyWorker = { type: 'ops'; ops: LongOp[] } | { type: 'end' } | { type: 'cancel' };

export type FromApplyWorker =
  | { type: 'progress'; done: number }
  | { type: 'committed'; orgIds: string[]; entities: string[] }
  | { type: 'cancelled' }
  | { type: 'failed'; error: AppErrorShape };
