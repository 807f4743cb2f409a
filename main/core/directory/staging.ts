/**
 * A run's plan staged in the database (schema 15: directory_plans, directory_plan_items) from the
 * moment it is decided until it is applied or discarded: a preview survives a restart of the
 * console, and a plan of 100,000 users costs disk, not the core's memory. Items are read back in
 * chunks by key (never one open iterator: better-sqlite3 would keep the connection busy).
 * Callers hold the core's writer for every write here (deps.withWriter or a mutation handler).
 */
import type { Db } from '../db/open-database.ts';
import type { PlanEntry, DeltaState } from './plan.ts';

const CHUNK = 1000;

/** One planned change as staged: its kind and the PlanEntry as JSON. */
export interface StagedItem {
  kind: PlanEntry['kind'];
  entry: string;
}

export function createPlanStaging(db: Db) {
  const q = {
    begin: db.prepare('INSERT INTO directory_plans (run_id, source_id, delta_state, complete, created_at) VALUES (?, ?, NULL, 0, ?)'),
    item: db.prepare('INSERT INTO directory_plan_items (run_id, seq, kind, entry) VALUES (?, ?, ?, ?)'),
    complete: db.prepare('UPDATE directory_plans SET complete = 1, delta_state = ? WHERE run_id = ?'),
    drop: db.prepare('DELETE FROM directory_plans WHERE run_id = ?'),
    get: db.prepare('SELECT source_id, delta_state FROM directory_plans WHERE run_id = ? AND complete = 1'),
    count: db.prepare('SELECT count(*) AS n FROM directory_plan_items WHERE run_id = ?'),
    countKind: db.prepare('SELECT count(*) AS n FROM directory_plan_items WHERE run_id = ? AND kind = ?'),
    page: db.prepare('SELECT entry FROM directory_plan_items WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
    pageKind: db.prepare('SELECT entry FROM directory_plan_items WHERE run_id = ? AND kind = ? ORDER BY seq LIMIT ? OFFSET ?'),
    after: db.prepare('SELECT seq, entry FROM directory_plan_items WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    afterKind: db.prepare('SELECT seq, entry FROM directory_plan_items WHERE run_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?'),
    afterNotKind: db.prepare('SELECT seq, entry FROM directory_plan_items WHERE run_id = ? AND kind <> ? AND seq > ? ORDER BY seq LIMIT ?'),
    keepNewest: db.prepare(`DELETE FROM directory_plans WHERE complete = 1 AND run_id NOT IN
      (SELECT run_id FROM directory_plans WHERE complete = 1 ORDER BY rowid DESC LIMIT ?)`),
    leftovers: db.prepare(`DELETE FROM directory_plans WHERE run_id NOT IN
      (SELECT id FROM directory_runs WHERE state IN ('previewed','awaiting_confirmation'))`),
  };
  return {
    /**
     * The plan of a run whose read starts. Nothing is written until the first add() or complete()
     * (each one transaction: one commit, one fsync, so a small delta costs few).
     */
    begin(runId: string, sourceId: string, at: string) {
      let seq = 0;
      let begun = false;
      const addItems = (items: StagedItem[]) => {
        if (!begun) q.begin.run(runId, sourceId, at);
        begun = true;
        for (const e of items) q.item.run(runId, seq++, e.kind, e.entry);
      };
      return {
        add: db.transaction((items: StagedItem[]) => {
          if (items.length > 0) addItems(items);
        }),
        /** The last items and the watermark; only the newest `keep` complete plans stay. */
        complete: db.transaction((items: StagedItem[], deltaState: DeltaState | null, keep: number) => {
          addItems(items);
          q.complete.run(deltaState ? JSON.stringify(deltaState) : null, runId);
          q.keepNewest.run(keep);
        }),
      };
    },
    /** The plan and its items (a failed, applied or discarded run). */
    drop(runId: string): void {
      q.drop.run(runId);
    },
    /** A complete plan: its source and the watermark it keeps; null when there is none. */
    get(runId: string): { sourceId: string; deltaState: DeltaState | null } | null {
      const r = q.get.get(runId) as { source_id: string; delta_state: string | null } | undefined;
      return r ? { sourceId: r.source_id, deltaState: r.delta_state ? (JSON.parse(r.delta_state) as DeltaState) : null } : null;
    },
    has(runId: string): boolean {
      return q.get.get(runId) !== undefined;
    },
    /** One page of items for the preview, with the total (of one kind, or all). */
    items(runId: string, kind: string | undefined, offset: number, limit: number): { entries: PlanEntry[]; total: number } {
      const total = (kind ? q.countKind.get(runId, kind) : q.count.get(runId)) as { n: number };
      const rows = (kind ? q.pageKind.all(runId, kind, limit, offset) : q.page.all(runId, limit, offset)) as { entry: string }[];
      return { entries: rows.map((r) => JSON.parse(r.entry) as PlanEntry), total: total.n };
    },
    count(runId: string, kind: string): number {
      return (q.countKind.get(runId, kind) as { n: number }).n;
    },
    /** Every item in order (or those of one kind, or all but one kind), a chunk at a time. */
    *chunks(runId: string, filter: { kind: string } | { notKind: string } | null = null): Generator<PlanEntry[]> {
      let after = -1;
      for (;;) {
        const rows = (filter === null ? q.after.all(runId, after, CHUNK)
          : 'kind' in filter ? q.afterKind.all(runId, filter.kind, after, CHUNK)
            : q.afterNotKind.all(runId, filter.notKind, after, CHUNK)) as { seq: number; entry: string }[];
        if (rows.length > 0) yield rows.map((r) => JSON.parse(r.entry) as PlanEntry);
        if (rows.length < CHUNK) return;
        after = rows[rows.length - 1]!.seq;
      }
    },
    /** At start: plans of runs that are no longer waiting (a crash during a read, or after an apply committed). */
    dropLeftovers(): void {
      q.leftovers.run();
    },
  };
}

export type PlanStaging = ReturnType<typeof createPlanStaging>;
