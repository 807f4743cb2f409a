/**
 * Messages between the core and the directory read worker (read-worker.ts). The worker does the
 * LDAP side of a run (connect, root DSE, groups, the paged user read) and maps each entry, so the
 * LDAP decoding garbage stays in its own small heap; the core only receives mapped users.
 */
import type { ConnectionProblem } from '../../../shared/model/directory.ts';
import type { LdapSettings } from './ldap.ts';
import type { DeltaState, MappedItem } from './plan.ts';

export interface ReadWorkerData {
  settings: LdapSettings;
  password: string | null;
  requestedMode: 'full' | 'delta';
  /** The source's stored watermark: the worker decides full or delta (chooseDelta) after reading the DC's. */
  previousDeltaState: DeltaState | null;
  /** Groups mapped to roles, in the administrator's order; their members come back whole. */
  groupDns: string[];
}

export type ReadItem = MappedItem;

export type ToReadWorker = { type: 'ack' } | { type: 'cancel' };

export type FromReadWorker =
  /** The run's effective mode and the watermark to keep if it is applied (before any entry). */
  | { type: 'mode'; mode: 'full' | 'delta'; nextState: DeltaState | null }
  | { type: 'groups'; members: string[][] }
  /** Mapped entries of one page as a JSON array of ReadItem (a page may take several): one string clones far cheaper than many objects. */
  | { type: 'page'; json: string; count: number }
  /** The read is complete; maxModifyTimestamp is the newest modifyTimestamp seen (OpenLDAP's next watermark). */
  | { type: 'done'; maxModifyTimestamp: string }
  | { type: 'cancelled' }
  | { type: 'failed'; problem: ConnectionProblem; detail: string };
