import type { AppErrorShape } from '../../../shared/model/errors.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { EntityName } from './entities.ts';
import type { Row } from './pipeline.ts';

/** One write of a long mutation, decided on the core's thread, applied by the apply worker. */
export type LongOp =
  | { op: 'create'; entity: EntityName; id: string; values: Row }
  | { op: 'update'; entity: EntityName; id: string; patch: Row; baseVersion?: number }
  | { op: 'delete'; entity: EntityName; id: string }
  /**
   * Email login was just switched on for this user (created or updated by an earlier op of the same
   * mutation): issue the welcome link and queue its email, in the same transaction.
   */
  | { op: 'welcome'; userId: string };

export interface ApplyWorkerData {
  dataDir: string;
}

/**
 * `begin` comes first: the worker may be started ahead of its mutation (startApplyWorker), loading
 * its modules and opening its connection meanwhile, and takes SQLite's write lock only then.
 */
export type ToApplyWorker =
  | { type: 'begin'; name: string; actor: Actor; /** The mutation's time, from the core's clock. */ at: string }
  | { type: 'ops'; ops: LongOp[] }
  | { type: 'end' }
  | { type: 'cancel' };

export type FromApplyWorker =
  | { type: 'progress'; done: number }
  | { type: 'committed'; orgIds: string[]; entities: string[] }
  | { type: 'cancelled' }
  | { type: 'failed'; error: AppErrorShape };
