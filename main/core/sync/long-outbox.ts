/**
 * The outbox of a long mutation (issue #6, "nothing lost"). An import or a bulk action of thousands
 * of writes is applied by the apply worker on its own connection, outside the pipeline's
 * beforeCommit hook (sync/client.ts); on a console connected to a Portal the worker records it here,
 * IN ITS OWN TRANSACTION, so a cancel or a crash leaves neither rows nor outbox entries.
 *
 * The record mirrors beforeCommit's (method, input, targets with Portal base versions and old/new
 * values, created ids), but one entry carries at most SYNC_CHUNK_OPS ops: each Portal push stays a
 * short transaction. Every entry names `users.applyBatch`, which the Portal re-runs with each op
 * checked by the users rules (sync/users-batch.ts). Ops on entities that method does not take
 * travel too, so the Portal refuses them visibly and the console converges, instead of being lost.
 */
import type { Db } from '../db/open-database.ts';
import { callScope, type Writer } from '../mutations/pipeline.ts';
import type { SyncTarget } from '../../../shared/model/sync.ts';
import type { BatchOpWire } from '../../../shared/model/sync-batch.ts';
import { SYNC_CHUNK_OPS } from '../../../shared/model/sync-batch-values.ts';
import { newId } from '../ids.ts';
import { syncEntity } from './rows.ts';

export const BATCH_METHOD = 'users.applyBatch';

export interface LongOutbox {
  /** Record what the writer touched since the last flush (as entries of at most SYNC_CHUNK_OPS ops), then forget it. */
  flush(writer: Writer): void;
  /** Entries written so far (for tests and the log). */
  readonly entries: number;
}

/** The recorder of a long mutation named `origin`, or null when this database is not a console connected to a Portal. */
export function openLongOutbox(db: Db, origin: string, at: string): LongOutbox | null {
  const connected = db.prepare("SELECT 1 FROM sync_meta WHERE key = 'portal_url'").get() !== undefined;
  if (!connected) return null;
  const q = {
    orgSynced: db.prepare("SELECT 1 FROM sync_org WHERE org_id = ? AND state != 'revoked'"),
    pendingBase: db.prepare('SELECT base FROM sync_outbox_target WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT 1'),
    addOutbox: db.prepare(`INSERT INTO sync_outbox (mutation_id, method, input, targets, created, only_fields, org_ids, created_at)
      VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`),
    addTarget: db.prepare('INSERT OR IGNORE INTO sync_outbox_target (seq, entity, entity_id, base) VALUES (?, ?, ?, ?)'),
  };
  const synced = new Map<string, boolean>();
  const isSynced = (orgId: string) => {
    let s = synced.get(orgId);
    if (s === undefined) synced.set(orgId, (s = q.orgSynced.get(orgId) !== undefined));
    return s;
  };
  let part = 0;

  function write(ops: BatchOpWire[], targets: SyncTarget[], created: { entity: string; id: string }[]): void {
    const orgIds = [...new Set(targets.map((t) => String(t.new.orgId)))];
    const input = { origin, part: ++part, ops };
    const seq = Number(q.addOutbox.run(newId(), BATCH_METHOD, JSON.stringify(input), JSON.stringify(targets), JSON.stringify(created),
      JSON.stringify(orgIds), at).lastInsertRowid);
    for (const t of targets) q.addTarget.run(seq, t.entity, t.id, t.base);
    // The crash test: ORGDESK_SYNC_FAULT=long-outbox-after-chunk@<n> kills the process once n entries are
    // written, before the commit (the worker runs in the console's process).
    const fault = /^long-outbox-after-chunk(?:@(\d+))?$/.exec(process.env.ORGDESK_SYNC_FAULT ?? '');
    if (fault && part >= Number(fault[1] ?? 1)) process.kill(process.pid, 'SIGKILL');
  }

  return {
    get entries() { return part; },
    flush(writer: Writer) {
      let ops: BatchOpWire[] = [];
      let targets: SyncTarget[] = [];
      const createdNow = new Set(writer.created.map((c) => `${c.entity}:${c.id}`));
      for (const t of writer.touched.values()) {
        if (!syncEntity(t.entity) || t.orgId === null || !isSynced(t.orgId)) continue;
        const pending = q.pendingBase.get(t.entity, t.id) as { base: number } | undefined;
        const base = t.op === 'create' ? 0 : pending?.base ?? t.base;
        targets.push({ entity: t.entity, id: t.id, op: t.op, base, old: t.old, new: { ...t.new, orgId: t.orgId } });
        ops.push(t.op === 'create' ? { entity: t.entity, op: 'create', id: t.id, values: t.new }
          : t.op === 'update' ? { entity: t.entity, op: 'update', id: t.id, changes: t.new }
            : { entity: t.entity, op: 'delete', id: t.id });
        if (ops.length === SYNC_CHUNK_OPS) {
          write(ops, targets, createdOf(ops, createdNow));
          ops = [];
          targets = [];
        }
      }
      if (ops.length > 0) write(ops, targets, createdOf(ops, createdNow));
      // What was recorded is forgotten: the worker never holds more than one chunk of it.
      writer.touched.clear();
      writer.created.length = 0;
    },
  };
}

/** The ids an entry creates, in creation order (the Portal's Writer reuses them). */
function createdOf(ops: BatchOpWire[], createdNow: Set<string>): { entity: string; id: string }[] {
  return ops.filter((o) => o.op === 'create' && createdNow.has(`${o.entity}:${o.id}`)).map((o) => ({ entity: o.entity, id: o.id }));
}

/**
 * For a handler whose re-run on the Portal could not reproduce its writes (it applies a plan held in
 * this console's memory, or writes later from a job, after its call was sent): from now on the
 * writes of the current call travel as data, checked op by op by users.applyBatch, instead of as a
 * re-run of the call. Outside a call (a timer) there is nothing to mark.
 */
export function travelAsData(): void {
  const scope = callScope.getStore();
  if (scope) scope.state.asData = true;
}
