/**
 * The console's side of sync (research/sync.md §4.4): the outbox hook on the write path, and the
 * engine that pushes it (single flight, batches, backoff honouring Retry-After, resuming by itself)
 * and pulls per-organization cursors (initial download, then increments), applying every page with
 * its cursor in one transaction. A console that never connects has no sync_org rows: the hook finds
 * nothing to record and the engine never starts.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Db } from '../db/open-database.ts';
import {
  HelloResponse, PullResponse, PushResponse, SYNC_PROTOCOL_VERSION, SignInResponse, VersionRefusal, type ConflictView, type PushMutation, type PushResult, type SyncStatus,
  type SyncTarget, type WireConflict, type WireRow,
} from '../../../shared/model/sync.ts';
import { AppError } from '../errors.ts';
import { ENTITIES, type EntityName } from '../mutations/entities.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';
import { applyRemoteRow, type CallScope, type MutationHooks, type SyncReplay, type Writer } from '../mutations/pipeline.ts';
import { syncEntities, syncEntity } from './rows.ts';
import { openLongOutbox } from './long-outbox.ts';
import { largestArray } from './server.ts';
import { SHORT_MUTATION_OPS } from '../mutations/write-ops.ts';
import { backoffDelay, retryAfterMs } from '../../../shared/rules/sync.ts';
import { updateNeededForPortal, type UpdateSide } from '../../../shared/rules/sync-versions.ts';
import { LATEST_VERSION } from '../db/migrations.ts';
import { createPokeListener } from './poke.ts';

export interface SyncClientOptions {
  /** How often a connected console pulls when nothing else triggers it. */
  pollMs?: number;
  /** First retry delay after a failure (doubles up to maxBackoffMs, with jitter). */
  backoffMs?: number;
  maxBackoffMs?: number;
  pushBatch?: number;
  pullLimit?: number;
  requestTimeoutMs?: number;
}

/** Push answers acknowledged per transaction: ~100 keep it to a few milliseconds, whatever the batch. */
const ACK_CHUNK = 100;

class Transient extends Error {
  readonly retryAfterMs: number | null;
  readonly offline: boolean;
  constructor(message: string, retryAfter: number | null, offline: boolean) {
    super(message);
    this.retryAfterMs = retryAfter;
    this.offline = offline;
  }
}
/** Why syncing stopped until a person acts: signed out (sign in again), or outside the version window. */
type Problem = 'signed_out' | 'update_console' | 'update_portal';
class Fatal extends Error {
  readonly problem: Problem | null;
  constructor(message: string, problem: Problem | null = null) {
    super(message);
    this.problem = problem;
  }
}
/** This console's versions, stated in every request (shared/rules/sync-versions.ts). */
const CONSOLE_VERSIONS = { protocol: SYNC_PROTOCOL_VERSION, schema: LATEST_VERSION };
/** How often a connected console says hello again (the Portal may have been updated or rolled back). */
const HELLO_EVERY_MS = 10 * 60_000;
const updateProblem = (side: UpdateSide): Problem => (side === 'console' ? 'update_console' : 'update_portal');
const UPDATE_MESSAGE: Record<UpdateSide, string> = {
  console: 'This Orgdesk is too old for the Portal: update Orgdesk.',
  portal: 'The Portal runs an older Orgdesk than this console: the Portal must be updated.',
};

/**
 * Bytes of changes per push request (the Portal refuses bodies over 32 MB). The Portal holds its
 * writer for a whole request: 2 MB is about 3,000 users of a long mutation (~0.6 s of writes there).
 */
const PUSH_BYTES = 2 * 1024 * 1024;

/**
 * Fault points for the crash tests: ORGDESK_SYNC_FAULT=<point> kills this process (SIGKILL) the
 * first time it passes <point>; <point>@<n> the n-th time.
 */
const faultSpec = /^([\w-]+)(?:@(\d+))?$/.exec(process.env.ORGDESK_SYNC_FAULT ?? '');
let faultHits = 0;
const fault = (point: string) => {
  if (faultSpec?.[1] !== point) return;
  if (++faultHits >= Number(faultSpec[2] ?? 1)) process.kill(process.pid, 'SIGKILL');
};

/** The Portal's refusal of a sign-in, as the message a person reads (each cause its own). */
function signInRefusal(status: number, body: { error?: string; minutes?: number } | null): AppError {
  const field = (name: string, key: string) => new AppError('BAD_INPUT', key, undefined, { [name]: [{ key }] });
  switch (body?.error) {
    case 'signInFailed': return new AppError('UNAUTHORIZED', 'sync.sign_in_failed', undefined, { password: [{ key: 'sync.sign_in_failed' }] });
    case 'locked': return new AppError('FORBIDDEN', 'sync.locked', { minutes: body.minutes ?? 1 });
    case 'twoFactorRequired': return field('code', 'sync.two_factor_required');
    case 'twoFactorNotSetUp': return new AppError('FORBIDDEN', 'sync.two_factor_not_set_up');
    case 'codeWrong': return field('code', 'sync.code_wrong');
    case 'codeReused': return field('code', 'sync.code_reused');
    case 'versionNotSupported': return new AppError('BAD_INPUT', `sync.update_${(body as { update?: string }).update === 'portal' ? 'portal' : 'console'}`);
    default: return new AppError('BAD_INPUT', 'sync.not_a_portal', { status });
  }
}

interface OutboxRow {
  seq: number; mutation_id: string; method: string; input: string; targets: string; created: string; only_fields: string | null;
  org_ids: string; created_at: string;
}

export function createSyncClient(deps: CoreDeps, options: SyncClientOptions = {}) {
  const { db } = deps;
  const pollMs = options.pollMs ?? Number(process.env.ORGDESK_SYNC_POLL_MS ?? 30_000);
  const baseBackoff = options.backoffMs ?? Number(process.env.ORGDESK_SYNC_BACKOFF_MS ?? 1000);
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  // Changes per push request (research/sync.md §6, P4): a request costs a round trip and a durable
  // commit on the Portal whatever its size; 500 took the fixed cost of 10,000 changes from 100 requests to 20.
  const pushBatch = options.pushBatch ?? 500;
  const pullLimit = options.pullLimit ?? Number(process.env.ORGDESK_SYNC_PULL_LIMIT ?? 500);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  const q = {
    meta: db.prepare('SELECT value FROM sync_meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    delMeta: db.prepare('DELETE FROM sync_meta WHERE key = ?'),
    orgSynced: db.prepare("SELECT state FROM sync_org WHERE org_id = ? AND state != 'revoked'"),
    pendingBase: db.prepare('SELECT base FROM sync_outbox_target WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT 1'),
    hasPending: db.prepare('SELECT 1 FROM sync_outbox_target WHERE entity = ? AND entity_id = ? LIMIT 1'),
    anyPending: db.prepare('SELECT 1 FROM sync_outbox_target LIMIT 1'),
    addOutbox: db.prepare(`INSERT INTO sync_outbox (mutation_id, method, input, targets, created, only_fields, org_ids, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    outboxBySeq: db.prepare('SELECT targets, created, org_ids FROM sync_outbox WHERE seq = ?'),
    extendOutbox: db.prepare('UPDATE sync_outbox SET targets = ?, created = ?, org_ids = ? WHERE seq = ?'),
    addTarget: db.prepare('INSERT OR IGNORE INTO sync_outbox_target (seq, entity, entity_id, base) VALUES (?, ?, ?, ?)'),
    addOrg: db.prepare("INSERT OR IGNORE INTO sync_org (org_id, cursor, state) VALUES (?, 0, 'initial')"),
    pendingBatch: db.prepare("SELECT * FROM sync_outbox WHERE state IN ('pending','inflight') ORDER BY seq LIMIT ?"),
    // Rows stay 'pending' while a batch is on the wire (marking them costs a commit per batch and buys
    // nothing: the Portal answers a resent change from its log); a failed try is counted on them.
    failedTry: db.prepare("UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE state != 'done' AND seq BETWEEN ? AND ?"),
    backToPending: db.prepare("UPDATE sync_outbox SET state = 'pending', last_error = ? WHERE state = 'inflight'"),
    finish: db.prepare("UPDATE sync_outbox SET state = 'done', outcome = ?, last_error = ?, done_at = ? WHERE mutation_id = ? AND state != 'done'"),
    outboxByMutation: db.prepare('SELECT seq, method, org_ids, targets FROM sync_outbox WHERE mutation_id = ?'),
    dropTargets: db.prepare('DELETE FROM sync_outbox_target WHERE seq = ?'),
    addConflict: db.prepare(`INSERT INTO sync_conflict (mutation_id, method, org_id, entity, entity_id, kind, field, base_value, mine_value,
      theirs_value, theirs_version, theirs_by, theirs_at, code, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    orgs: db.prepare('SELECT org_id, cursor, snapshot, state, last_pull_at FROM sync_org ORDER BY rowid'),
    org: db.prepare('SELECT cursor, snapshot, state FROM sync_org WHERE org_id = ?'),
    saveOrg: db.prepare(`INSERT INTO sync_org (org_id, cursor, snapshot, state, last_pull_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (org_id) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, state = excluded.state,
      last_pull_at = excluded.last_pull_at, last_error = NULL`),
    pendingCount: db.prepare("SELECT count(*) AS n FROM sync_outbox WHERE state != 'done'"),
    pendingByOrg: db.prepare("SELECT value AS org_id, count(*) AS n FROM sync_outbox, json_each(sync_outbox.org_ids) WHERE state != 'done' GROUP BY value"),
    openConflicts: db.prepare('SELECT count(*) AS n FROM sync_conflict WHERE resolved_at IS NULL'),
    minOpenSeq: db.prepare("SELECT min(seq) AS s FROM sync_outbox WHERE state != 'done'"),
    conflict: db.prepare('SELECT * FROM sync_conflict WHERE id = ?'),
    resolve: db.prepare('UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL'),
    outboxInput: db.prepare('SELECT method, input FROM sync_outbox WHERE mutation_id = ?'),
    pendingOfOrg: db.prepare("SELECT mutation_id, method, targets FROM sync_outbox, json_each(sync_outbox.org_ids) WHERE state != 'done' AND value = ?"),
  };

  const meta = (key: string): string | null => (q.meta.get(key) as { value: string } | undefined)?.value ?? null;
  let connected = meta('portal_url') !== null;
  let token: string | null = null;

  // ---- the outbox: recorded in the transaction of the local change ----

  let kickSoon: () => void = () => undefined;

  const hooks: MutationHooks = {
    tracking: () => connected,
    beforeCommit(writer: Writer, scope: CallScope | undefined) {
      if (!connected || !scope || (scope.replay && !scope.state.keepMine)) return;
      const targets: SyncTarget[] = [];
      const orgIds = new Set<string>();
      for (const t of writer.touched.values()) {
        if (!syncEntity(t.entity) || t.orgId === null) continue;
        let synced = q.orgSynced.get(t.orgId) !== undefined;
        // A new organization below a synced one is synced from its first change.
        const parentId = t.new.parentId;
        if (!synced && t.op === 'create' && t.orgId === t.id && typeof parentId === 'string' && q.orgSynced.get(parentId)) {
          q.addOrg.run(t.orgId);
          db.prepare("UPDATE sync_org SET state = 'ready' WHERE org_id = ?").run(t.orgId);
          synced = true;
        }
        if (!synced) continue;
        const pending = q.pendingBase.get(t.entity, t.id) as { base: number } | undefined;
        const base = t.op === 'create' ? 0 : pending?.base ?? t.base;
        targets.push({ entity: t.entity, id: t.id, op: t.op, base, old: t.old, new: { ...t.new, orgId: t.orgId } });
        orgIds.add(t.orgId);
      }
      if (targets.length === 0) return;
      const state = scope.state as { outboxSeq?: number; only?: Record<string, string[]>; asData?: boolean };
      // The call asked for its writes to travel as data (long-outbox.ts travelAsData), or its input is
      // larger than the Portal re-runs (a bulk action on 1,500 users of which a few hundred changed).
      if (state.asData || largestArray(scope.input) > SHORT_MUTATION_OPS) {
        openLongOutbox(db, writer.ctx.name, writer.ctx.at)?.flush(writer);
        setImmediate(() => kickSoon());
        return;
      }
      const created = writer.created.filter((c) => syncEntity(c.entity)).map((c) => ({ entity: c.entity, id: c.id }));
      let seq = state.outboxSeq;
      if (seq === undefined) {
        seq = Number(q.addOutbox.run(writer.ctx.mutationId, scope.method, JSON.stringify(scope.input ?? {}), JSON.stringify(targets),
          JSON.stringify(created), state.only ? JSON.stringify(state.only) : null, JSON.stringify([...orgIds]), deps.clock.now().toISOString()).lastInsertRowid);
        state.outboxSeq = seq;
      } else {
        // A second run of the same call (a handler that commits twice): one outbox entry for the call.
        const row = q.outboxBySeq.get(seq) as { targets: string; created: string; org_ids: string };
        q.extendOutbox.run(JSON.stringify([...JSON.parse(row.targets) as SyncTarget[], ...targets]),
          JSON.stringify([...JSON.parse(row.created) as unknown[], ...created]),
          JSON.stringify([...new Set([...JSON.parse(row.org_ids) as string[], ...orgIds])]), seq);
      }
      for (const t of targets) q.addTarget.run(seq, t.entity, t.id, t.base);
      setImmediate(() => kickSoon());
    },
  };

  /**
   * A long mutation (an import, a bulk action on thousands of users) committed in the apply worker,
   * which wrote its outbox entries in the same transaction (sync/long-outbox.ts): send them.
   */
  function longCommitted(): void {
    if (connected) kickSoon();
  }

  // ---- applying the Portal's rows ----

  /**
   * The Portal's rows arrive in its order, not in this database's foreign-key order: checks wait for
   * the commit. Once per transaction, never per row or per answer: SQLite compiles the pragma where it
   * is prepared and expires every prepared statement of the connection when it runs (each then
   * compiles again at its next use), which cost ~0.25 ms for each acknowledged change.
   */
  const deferForeignKeys = () => db.pragma('defer_foreign_keys = ON');

  /** Write the Portal's rows (within a transaction that deferred foreign keys), leaving alone entities this console changed and has not heard back about. */
  function applyRows(rows: WireRow[], touched: { orgIds: Set<string>; entities: Set<string> }): void {
    // Usually nothing waits to be pushed while pulling: then no row needs the per-row check.
    const anyPending = q.anyPending.get() !== undefined;
    for (const row of rows) {
      const entity = syncEntity(row.entity);
      if (!entity || (anyPending && q.hasPending.get(row.entity, row.id))) continue;
      if (row.op === 'delete') {
        applyRemoteRow(db, entity.spec, row.id, null, 0, {});
      } else {
        applyRemoteRow(db, entity.spec, row.id, row.data ?? {}, row.version, row.fieldVersions ?? {});
      }
      touched.orgIds.add(row.orgId);
      touched.entities.add(entity.spec.type);
    }
  }

  /**
   * A transaction of the Portal's rows (a pull page with its cursors, a push's answers) commits
   * without waiting for the disk (synchronous=NORMAL). WAL keeps it atomic and an app crash cannot
   * undo it; a power cut can, and then the page is downloaded again or the changes are sent again
   * (the Portal answers those from its log). The next durable commit (a local edit) makes it durable
   * too. An fsync per page was a third of the time of an initial download.
   */
  function relaxedTransaction(fn: () => void): void {
    // The level is set where the pragma is compiled (outside a transaction): no prepared statement for it.
    const level = Number(db.pragma('synchronous', { simple: true }));
    db.pragma('synchronous = NORMAL');
    try {
      db.transaction(() => {
        deferForeignKeys();
        fn();
      })();
    } finally {
      db.pragma(`synchronous = ${level}`);
    }
  }

  /** Remove an organization's synced rows here (a reset or a revoked permission), children first; foreign keys deferred. */
  function dropOrgRows(orgId: string, keepPending: boolean, keepPartitionRows = false): void {
    for (const e of [...syncEntities()].reverse()) {
      // A reset keeps the organization's own rows (other organizations hang below it); the download rewrites them.
      if (keepPartitionRows && e.orgColumn === e.spec.key) continue;
      const ids = db.prepare(`SELECT ${e.spec.key} AS id FROM ${e.spec.table} WHERE ${e.orgColumn} = ?`).all(orgId) as { id: string }[];
      for (const { id } of ids) {
        if (keepPending && q.hasPending.get(e.name, id)) continue;
        applyRemoteRow(db, e.spec, id, null, 0, {});
      }
    }
  }

  const notify = (touched: { orgIds: Set<string>; entities: Set<string> }) => {
    if (touched.entities.size > 0 || touched.orgIds.size > 0) deps.emit('data.changed', { orgIds: [...touched.orgIds], entities: [...touched.entities] });
  };

  // ---- HTTP ----

  async function request(path: string, body: unknown): Promise<{ status: number; json: unknown; retryAfter: number | null }> {
    const url = meta('portal_url');
    if (!url) throw new Fatal('not connected');
    token ??= await deps.secrets.get(`sync-token:${meta('credential_ref') ?? ''}`);
    // Without its credential the console is as good as signed out: the person enters one again (outbox kept).
    if (!token) throw new Fatal('The Portal credential is missing from the keychain: sign in or connect again.', 'signed_out');
    let res: Response | null = null;
    // A kept-alive connection the Portal closed while idle fails at once: one immediate second try
    // (safe: push and pull are idempotent); a second failure is the network's.
    for (let attempt = 1; res === null; attempt++) {
      try {
        res = await fetch(new URL(path, url), {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          // Every request states this console's data schema: the Portal refuses one outside its window.
          body: JSON.stringify({ ...(body as object), schemaVersion: CONSOLE_VERSIONS.schema }), signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        if (attempt === 1 && (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET')) continue;
        const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
        throw new Transient(`The Portal cannot be reached (${why}).`, null, true);
      }
    }
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      if (res.status === 200) throw new Transient('The Portal sent an incomplete answer.', null, true);
    }
    const retryAfter = retryAfterMs(res.headers.get('retry-after'), Date.now());
    if (res.status === 429 || res.status >= 500) throw new Transient(`The Portal answered ${res.status}.`, retryAfter, false);
    if (res.status === 401) {
      throw new Fatal(meta('auth') === 'session' ? 'Signed out: sign in again.' : 'The Portal refused the credential: connect again.', 'signed_out');
    }
    if (res.status === 426) {
      const side = VersionRefusal.safeParse(json).data?.update ?? 'console';
      throw new Fatal(UPDATE_MESSAGE[side], updateProblem(side));
    }
    return { status: res.status, json, retryAfter };
  }

  // ---- push ----

  function rotateClientId(): void {
    // A copied database (or the Portal forgot us): continue as a new client; unanswered changes keep
    // their mutation ids, so the Portal still applies each at most once.
    db.transaction(() => {
      const min = (q.minOpenSeq.get() as { s: number | null }).s;
      const top = (db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0) AS s").get() as { s: number }).s;
      q.setMeta.run('client_id', randomUUID());
      q.setMeta.run('seq_base', String((min ?? top + 1) - 1));
      q.backToPending.run('client id rotated');
    })();
  }

  /**
   * A long mutation's entries are large (up to 1,000 ops each, with their targets): a request takes
   * entries up to PUSH_BYTES (always at least one), well below the Portal's body limit, rather than
   * learning it from a 413.
   */
  function withinBytes(rows: OutboxRow[]): OutboxRow[] {
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      bytes += rows[i]!.input.length + rows[i]!.targets.length + rows[i]!.created.length;
      if (bytes > PUSH_BYTES && i > 0) return rows.slice(0, i);
    }
    return rows;
  }

  async function pushAll(): Promise<void> {
    let batch = pushBatch;
    for (let round = 0; round < 10_000; round++) {
      const rows = withinBytes(q.pendingBatch.all(batch) as OutboxRow[]);
      if (rows.length === 0) return;
      const seqBase = Number(meta('seq_base') ?? '0');
      const clientId = meta('client_id')!;
      const first = rows[0]!.seq;
      const lastSeq = rows[rows.length - 1]!.seq;
      const failed = (why: string) => deps.withWriter(() => q.failedTry.run(why, first, lastSeq));
      fault('client-push-before-request');
      const mutations: PushMutation[] = rows.map((r) => ({
        seq: r.seq - seqBase, mutationId: r.mutation_id, method: r.method, input: JSON.parse(r.input) as unknown,
        targets: JSON.parse(r.targets) as SyncTarget[], created: JSON.parse(r.created) as PushMutation['created'],
        ...(r.only_fields ? { only: JSON.parse(r.only_fields) as Record<string, string[]> } : {}), clientTime: r.created_at,
      }));
      let res;
      try {
        res = await request('/sync/v1/push', { protocolVersion: SYNC_PROTOCOL_VERSION, clientId, mutations });
      } catch (e) {
        await failed(e instanceof Error ? e.message : String(e));
        throw e;
      }
      if (res.status === 413) {
        await failed('batch too large');
        batch = Math.max(1, Math.floor(batch / 2));
        continue;
      }
      if (res.status === 409) {
        const error = (res.json as { error?: string }).error;
        await failed(error ?? 'conflict');
        if (error === 'mutationIdReused' || error === 'clientIdTaken') {
          await deps.withWriter(() => rotateClientId());
          continue;
        }
        throw new Transient(`The Portal refused the batch (${error ?? res.status}).`, null, false);
      }
      if (res.status !== 200) {
        await failed(`HTTP ${res.status}`);
        throw new Transient(`The Portal answered ${res.status}.`, null, false);
      }
      const parsed = PushResponse.safeParse(res.json);
      if (!parsed.success) {
        await failed('bad answer');
        throw new Transient('The Portal sent an answer this console does not understand.', null, false);
      }
      fault('client-push-after-response');
      const touched = { orgIds: new Set<string>(), entities: new Set<string>() };
      // Answers are taken ACK_CHUNK at a time, each chunk in its own short transaction: each answer
      // stands alone (one unacknowledged after a crash is sent again and answered from the Portal's log).
      const results = parsed.data.results;
      for (let from = 0; from < results.length; from += ACK_CHUNK) {
        await deps.withWriter(() => relaxedTransaction(() => {
          for (const result of results.slice(from, from + ACK_CHUNK)) acknowledge(result, touched);
          fault('client-push-inside-ack');
        }));
      }
      notify(touched);
    }
  }

  function acknowledge(result: PushResult, touched: { orgIds: Set<string>; entities: Set<string> }): void {
    const row = q.outboxByMutation.get(result.mutationId) as { seq: number; method: string; org_ids: string; targets: string } | undefined;
    if (!row) return;
    const changed = q.finish.run(result.status, result.code ? `${result.code}: ${result.message ?? ''}` : null, deps.clock.now().toISOString(), result.mutationId);
    if (changed.changes === 0) return; // already answered (a replayed answer)
    q.dropTargets.run(row.seq);
    const targets = JSON.parse(row.targets) as SyncTarget[];
    const orgOf = (entity: string, id: string) => String(targets.find((t) => t.entity === entity && t.id === id)?.new.orgId
      ?? (JSON.parse(row.org_ids) as string[])[0] ?? '');
    const at = deps.clock.now().toISOString();
    const record = (c: WireConflict, code: string | null, message: string | null) => q.addConflict.run(result.mutationId, row.method,
      orgOf(c.entity, c.id), c.entity, c.id, c.kind, c.field, JSON.stringify(c.base ?? null), JSON.stringify(c.mine ?? null),
      JSON.stringify(c.theirs ?? null), c.theirsVersion, c.theirsBy, c.theirsAt, code, message, at);
    // A batch refuses op by op: such an entry carries its own reason.
    for (const c of result.conflicts) record(c, c.code ?? result.code ?? null, c.message ?? result.message ?? null);
    if (result.status === 'rejected' && result.conflicts.length === 0) {
      const first = targets[0];
      record({ kind: 'rejected', entity: first?.entity ?? '', id: first?.id ?? '', field: null, base: null, mine: first?.new ?? null,
        theirs: null, theirsVersion: null, theirsBy: null, theirsAt: null }, result.code ?? 'rejected', result.message ?? null);
    }
    applyRows(result.rows, touched);
  }

  // ---- pull ----

  async function pullAll(): Promise<void> {
    // Started at the first page of a pull that has more: a one-page pull keeps SQLite's own checkpoints.
    let checkpointer = null as WalCheckpointer | null;
    try {
      await pullPages(() => (checkpointer ??= startWalCheckpointer(db, { workerUrl: deps.workers.syncCheckpoint })));
    } finally {
      await checkpointer?.end();
    }
  }

  async function pullPages(checkpointer: () => WalCheckpointer): Promise<void> {
    for (let round = 0; round < 100_000; round++) {
      const orgs = q.orgs.all() as { org_id: string; cursor: number; snapshot: string | null; state: string }[];
      const cursors: Record<string, number> = {};
      const snapshots: Record<string, string> = {};
      for (const o of orgs) {
        if (o.state === 'revoked') continue;
        cursors[o.org_id] = o.cursor;
        if (o.state === 'initial' || o.state === 'reset') snapshots[o.org_id] = o.snapshot ?? '';
      }
      const res = await request('/sync/v1/pull', {
        protocolVersion: SYNC_PROTOCOL_VERSION, clientId: meta('client_id'), cursors, snapshots, limit: pullLimit,
      });
      if (res.status === 409 && (res.json as { error?: string }).error === 'clientIdTaken') {
        await deps.withWriter(() => rotateClientId());
        continue;
      }
      if (res.status !== 200) throw new Transient(`The Portal answered ${res.status}.`, null, false);
      const parsed = PullResponse.safeParse(res.json);
      if (!parsed.success) throw new Transient('The Portal sent an answer this console does not understand.', null, false);
      const page = parsed.data;
      let more = page.more;
      const byOrg = new Map<string, WireRow[]>();
      for (const c of page.changes) (byOrg.get(c.orgId) ?? byOrg.set(c.orgId, []).get(c.orgId)!).push(c);
      const ordered = [...page.order, ...Object.keys(page.orgs).filter((id) => !page.order.includes(id))];
      const touched = { orgIds: new Set<string>(), entities: new Set<string>() };
      // One transaction per page: its rows and every organization's cursor commit together (one fsync).
      await deps.withWriter(() => relaxedTransaction(() => {
        const now = deps.clock.now().toISOString();
        for (const orgId of ordered) {
          const org = page.orgs[orgId];
          if (!org) continue;
          const stored = q.org.get(orgId) as { cursor: number; snapshot: string | null; state: string } | undefined;
          if (org.status === 'revoked') {
            if (stored && stored.state !== 'revoked') revoke(orgId, touched);
            continue;
          }
          if (org.status === 'reset') {
            dropOrgRows(orgId, true, true);
            q.saveOrg.run(orgId, 0, null, 'reset', now);
            touched.orgIds.add(orgId);
            more = true;
            continue;
          }
          const downloading = !stored || stored.state === 'initial' || stored.state === 'reset';
          // An answer older than what we have (a delayed or replayed response): ignore it.
          if (stored && !downloading && (org.cursor ?? 0) < stored.cursor) continue;
          const rows = byOrg.get(orgId) ?? [];
          if (rows.length > 0) applyRows(rows, touched);
          fault('client-pull-inside-page');
          const done = !org.snapshot && !org.hasMore;
          const state = !downloading || done ? 'ready' : stored?.state === 'reset' ? 'reset' : 'initial';
          const cursor = org.cursor ?? stored?.cursor ?? 0;
          const snapshot = org.snapshot ?? null;
          if (org.hasMore) more = true;
          // Nothing new for this organization: no write.
          if (stored && rows.length === 0 && stored.cursor === cursor && stored.snapshot === snapshot && stored.state === state) continue;
          q.saveOrg.run(orgId, cursor, snapshot, state, now);
        }
      }));
      if (more) checkpointer().afterCommit();
      notify(touched);
      fault('client-pull-between-pages');
      if (!more) return;
    }
  }

  function revoke(orgId: string, touched: { orgIds: Set<string>; entities: Set<string> }): void {
    // Its waiting changes can no longer land: each becomes a rejected entry a person sees.
    const at = deps.clock.now().toISOString();
    for (const p of q.pendingOfOrg.all(orgId) as { mutation_id: string; method: string; targets: string }[]) {
      const row = q.outboxByMutation.get(p.mutation_id) as { seq: number };
      q.finish.run('rejected', 'forbidden: access to the organization was removed', at, p.mutation_id);
      q.dropTargets.run(row.seq);
      const first = (JSON.parse(p.targets) as SyncTarget[])[0];
      q.addConflict.run(p.mutation_id, p.method, orgId, first?.entity ?? '', first?.id ?? '', 'rejected', null, null,
        JSON.stringify(first?.new ?? null), null, null, null, null, 'forbidden', 'Your access to this organization was removed on the Portal.', at);
    }
    dropOrgRows(orgId, false);
    q.saveOrg.run(orgId, 0, null, 'revoked', at);
    touched.entities.add('organization');
  }

  // ---- the engine ----

  let stopped = true;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let poller: NodeJS.Timeout | null = null;
  let failures = 0;
  let paused = false;
  let last: { error: string | null; offline: boolean; fatal: boolean; nextRetryAt: number | null; problem?: Problem | null } = { error: null, offline: false, fatal: false, nextRetryAt: null };
  /** When this console last heard the Portal's hello inside the version window (0 = say hello first). */
  let helloAt = 0;

  /** Hello at engine start and every HELLO_EVERY_MS: stop (outbox kept) when the Portal is outside the window. */
  async function helloIfDue(): Promise<void> {
    if (Date.now() - helloAt < HELLO_EVERY_MS) return;
    const res = await request('/sync/v1/hello', { protocolVersion: CONSOLE_VERSIONS.protocol });
    const hello = HelloResponse.safeParse(res.json);
    if (res.status !== 200 || !hello.success) throw new Transient(`The Portal answered ${res.status} to hello.`, res.retryAfter, false);
    const side = updateNeededForPortal(CONSOLE_VERSIONS, hello.data);
    if (side) throw new Fatal(UPDATE_MESSAGE[side], updateProblem(side));
    helloAt = Date.now();
  }

  function schedule(delay: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void cycle();
    }, delay);
    timer.unref?.();
  }

  function cycle(): Promise<void> {
    if (stopped || paused) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        await helloIfDue();
        await pushAll();
        await pullAll();
        // Changes made while pulling go right away.
        if ((q.pendingCount.get() as { n: number }).n > 0) await pushAll();
        failures = 0;
        last = { error: null, offline: false, fatal: false, nextRetryAt: null };
        q.setMeta.run('last_sync_at', deps.clock.now().toISOString());
      } catch (e) {
        if (e instanceof Fatal) {
          last = { error: e.message, offline: false, fatal: true, nextRetryAt: null, problem: e.problem };
          helloAt = 0;
        } else {
          failures++;
          const delay = e instanceof Transient && e.retryAfterMs !== null
            ? Math.min(e.retryAfterMs, 10 * maxBackoff)
            : backoffDelay(failures, baseBackoff, maxBackoff, Math.random());
          last = { error: e instanceof Error ? e.message : String(e), offline: e instanceof Transient && e.offline, fatal: false, nextRetryAt: Date.now() + delay };
          schedule(delay);
        }
      } finally {
        running = null;
        if (again && !stopped) {
          again = false;
          if (last.nextRetryAt === null) schedule(0);
        }
      }
    })();
    return running;
  }

  kickSoon = () => {
    if (!stopped && last.nextRetryAt === null) schedule(20);
  };

  // The Portal pokes this console when its organizations change: sync at once rather than at the next poll.
  const poke = createPokeListener({
    url: () => meta('portal_url'),
    credential: async () => (token ??= await deps.secrets.get(`sync-token:${meta('credential_ref') ?? ''}`)),
    paused: () => paused || last.fatal,
    onPoke: () => kickSoon(),
  });

  function startEngine(): void {
    if (!connected || !stopped) return;
    stopped = false;
    if (process.env.ORGDESK_SYNC_POKE !== 'off') poke.start();
    // Anything left in flight by a crash goes again (the Portal answers replays from its log).
    db.prepare("UPDATE sync_outbox SET state = 'pending' WHERE state = 'inflight'").run();
    // Answered changes and resolved entries are kept 30 days (what happened to my change?), then dropped.
    const horizon = new Date(deps.clock.now().getTime() - 30 * 86_400_000).toISOString();
    db.transaction(() => {
      db.prepare(`DELETE FROM sync_outbox WHERE state = 'done' AND done_at < ?
        AND mutation_id NOT IN (SELECT mutation_id FROM sync_conflict WHERE resolved_at IS NULL)`).run(horizon);
      db.prepare('DELETE FROM sync_conflict WHERE resolved_at < ?').run(horizon);
    })();
    poller = setInterval(() => { if (!running && last.nextRetryAt === null) void cycle(); }, pollMs);
    poller.unref?.();
    schedule(0);
  }

  function stopEngine(): void {
    stopped = true;
    poke.stop();
    if (timer) clearTimeout(timer);
    if (poller) clearInterval(poller);
    timer = null;
    poller = null;
  }

  function status(): SyncStatus {
    const url = meta('portal_url');
    const pendingByOrg = new Map((q.pendingByOrg.all() as { org_id: string; n: number }[]).map((r) => [r.org_id, r.n]));
    const problem = url && last.fatal ? last.problem ?? null : null;
    const state: SyncStatus['state'] = !url ? 'standalone' : problem === 'signed_out' ? 'signed_out' : problem ? 'incompatible'
      : paused ? 'offline' : running ? 'syncing' : last.fatal ? 'error'
      : last.error ? (last.offline ? 'offline' : 'error') : 'online';
    return {
      state, portalUrl: url, user: meta('user'), clientId: meta('client_id'),
      pending: (q.pendingCount.get() as { n: number }).n,
      conflicts: (q.openConflicts.get() as { n: number }).n,
      lastSyncAt: meta('last_sync_at'), lastError: last.error,
      nextRetryAt: last.nextRetryAt === null ? null : new Date(last.nextRetryAt).toISOString(),
      orgs: (q.orgs.all() as { org_id: string; cursor: number; state: SyncStatus['orgs'][number]['state']; last_pull_at: string | null }[])
        .map((o) => ({ orgId: o.org_id, state: o.state, cursor: o.cursor, lastPullAt: o.last_pull_at, pending: pendingByOrg.get(o.org_id) ?? 0 })),
      auth: !url ? null : meta('auth') === 'session' ? 'session' : 'token',
      updateNeeded: problem === 'update_console' ? 'console' : problem === 'update_portal' ? 'portal' : null,
    };
  }

  /** Connected already: only to the same Portal (a new credential resumes; another Portal needs a disconnect). */
  function assertSamePortal(url: string): void {
    const current = meta('portal_url');
    if (current && current !== new URL(url).origin) throw new AppError('CONFLICT', 'sync.other_portal', { url: current });
  }

  /** Hello with a credential not stored yet: who it is, and whether the two sides are inside the version window. */
  async function helloWith(url: string, credential: string, refusedKey: string): Promise<HelloResponse> {
    assertSamePortal(url);
    let res: Response;
    try {
      res = await fetch(new URL('/sync/v1/hello', url), {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({ protocolVersion: CONSOLE_VERSIONS.protocol, schemaVersion: CONSOLE_VERSIONS.schema }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new AppError('BAD_INPUT', 'sync.unreachable', { url });
    }
    const json = await res.json().catch(() => null) as unknown;
    if (res.status === 401) throw new AppError('UNAUTHORIZED', refusedKey);
    if (res.status === 403) throw new AppError('FORBIDDEN', 'sync.key_not_top_level');
    if (res.status === 426) throw new AppError('BAD_INPUT', `sync.update_${VersionRefusal.safeParse(json).data?.update ?? 'console'}`);
    const parsed = HelloResponse.safeParse(json);
    if (res.status !== 200 || !parsed.success) throw new AppError('BAD_INPUT', 'sync.not_a_portal', { status: res.status });
    const side = updateNeededForPortal(CONSOLE_VERSIONS, parsed.data);
    if (side) throw new AppError('BAD_INPUT', `sync.update_${side}`);
    return parsed.data;
  }

  /** Keep the credential in the keychain and (re)start syncing; the outbox is never touched here. */
  async function establish(url: string, credential: string, auth: 'token' | 'session', hello: HelloResponse): Promise<SyncStatus> {
    const userId = meta('user_id');
    if (meta('portal_url') && userId !== null && userId !== hello.user.id) {
      throw new AppError('CONFLICT', 'sync.other_user', { user: meta('user') ?? userId });
    }
    const ref = meta('credential_ref') ?? randomUUID();
    await deps.secrets.set(`sync-token:${ref}`, credential);
    token = credential;
    db.transaction(() => {
      q.setMeta.run('credential_ref', ref);
      q.setMeta.run('portal_url', new URL(url).origin);
      q.setMeta.run('user', `${hello.user.name} <${hello.user.email}>`);
      q.setMeta.run('user_id', hello.user.id);
      q.setMeta.run('auth', auth);
      if (!meta('client_id')) q.setMeta.run('client_id', randomUUID());
      if (!meta('seq_base')) {
        // Changes made before connecting are not pushed: wire seqs start after them.
        const s = (db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0) AS s").get() as { s: number }).s;
        q.setMeta.run('seq_base', String(s));
      }
    })();
    connected = true;
    last = { error: null, offline: false, fatal: false, nextRetryAt: null };
    helloAt = Date.now();
    if (stopped) startEngine();
    else schedule(0);
    return status();
  }

  /** Best effort: end a console session on the Portal (an unreachable Portal lets it expire). */
  async function signOutOnPortal(url: string, credential: string): Promise<void> {
    try {
      await fetch(new URL('/sync/v1/sign-out', url), {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: '{}',
        signal: AbortSignal.timeout(Math.min(timeoutMs, 5000)),
      });
    } catch {
      // Offline: the session expires on its own, and the keychain entry is deleted anyway.
    }
  }

  return {
    hooks,
    longCommitted,
    start: startEngine,
    stop: stopEngine,
    status,

    /** Connect with a console token or an API key; while connected, a new credential for the same Portal and user resumes. */
    async connect(url: string, newToken: string): Promise<SyncStatus> {
      const hello = await helloWith(url, newToken, 'sync.bad_token');
      return establish(url, newToken, 'token', hello);
    },

    /**
     * Sign in with a Portal account: the Portal checks it with the rules of its sign-in pages and
     * answers a console session. While connected (signed out, say), only the same user may sign in:
     * the outbox holds their changes.
     */
    async signIn(url: string, email: string, password: string, code: string | undefined): Promise<SyncStatus & { newRecoveryCode: string | null }> {
      assertSamePortal(url);
      let res: Response;
      try {
        res = await fetch(new URL('/sync/v1/sign-in', url), {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email, password, ...(code ? { code } : {}), label: `Orgdesk on ${hostname()}`.slice(0, 100),
            protocolVersion: CONSOLE_VERSIONS.protocol, schemaVersion: CONSOLE_VERSIONS.schema,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        throw new AppError('BAD_INPUT', 'sync.unreachable', { url });
      }
      const json = await res.json().catch(() => null) as { error?: string; minutes?: number } | null;
      if (res.status !== 200) throw signInRefusal(res.status, json);
      const answer = SignInResponse.safeParse(json);
      if (!answer.success) throw new AppError('BAD_INPUT', 'sync.not_a_portal', { status: res.status });
      const hello = await helloWith(url, answer.data.token, 'sync.bad_token');
      try {
        return { ...(await establish(url, answer.data.token, 'session', hello)), newRecoveryCode: answer.data.newRecoveryCode };
      } catch (e) {
        // Refused here (another user's console): the session just made must not stay valid on the Portal.
        await signOutOnPortal(url, answer.data.token);
        throw e;
      }
    },

    async disconnect(discardPending: boolean): Promise<SyncStatus> {
      const pending = (q.pendingCount.get() as { n: number }).n;
      if (pending > 0 && !discardPending) throw new AppError('CONFLICT', 'sync.pending_on_disconnect', { count: pending });
      stopEngine();
      const ref = meta('credential_ref');
      const url = meta('portal_url');
      // A signed-in session ends on the Portal too, when it can be reached (tokens and keys are an administrator's).
      if (ref && url && meta('auth') === 'session') {
        const credential = token ?? await deps.secrets.get(`sync-token:${ref}`);
        if (credential) await signOutOnPortal(url, credential);
      }
      if (ref) await deps.secrets.delete(`sync-token:${ref}`);
      token = null;
      db.transaction(() => {
        // The organizations stay here as local ones; what was waiting is dropped (the person confirmed).
        db.prepare("UPDATE sync_outbox SET state = 'done', outcome = 'rejected', last_error = 'disconnected' WHERE state != 'done'").run();
        db.prepare('DELETE FROM sync_outbox_target').run();
        db.prepare('DELETE FROM sync_org').run();
        for (const key of ['portal_url', 'user', 'user_id', 'auth', 'last_sync_at', 'credential_ref']) q.delMeta.run(key);
      })();
      connected = false;
      last = { error: null, offline: false, fatal: false, nextRetryAt: null };
      helloAt = 0;
      return status();
    },

    /** Sync now (a button, window focus, a test); `wait` resolves after the cycle. */
    async syncNow(wait: boolean): Promise<SyncStatus> {
      if (!connected) return status();
      last = { ...last, fatal: false, nextRetryAt: null };
      if (timer) clearTimeout(timer);
      timer = null;
      if (stopped) startEngine();
      const run = cycle();
      if (wait) {
        await run;
        while (running) await running;
      }
      return status();
    },

    setPaused(value: boolean): SyncStatus {
      paused = value;
      if (!value) schedule(0);
      return status();
    },

    conflicts(orgId: string | undefined, includeResolved: boolean): ConflictView[] {
      const rows = db.prepare(`SELECT c.*, o.name AS org_name FROM sync_conflict c LEFT JOIN organizations o ON o.id = c.org_id
        WHERE (? IS NULL OR c.org_id = ?) AND (? = 1 OR c.resolved_at IS NULL) ORDER BY c.id DESC LIMIT 500`)
        .all(orgId ?? null, orgId ?? null, includeResolved ? 1 : 0) as Record<string, unknown>[];
      const parse = (v: unknown) => (v === null || v === undefined ? null : JSON.parse(v as string) as unknown);
      return rows.map((r) => {
        const entity = syncEntity(String(r.entity));
        const current = entity ? db.prepare(`SELECT * FROM ${entity.spec.table} WHERE ${entity.spec.key} = ?`).get(r.entity_id) as Record<string, unknown> | undefined : undefined;
        let label: string | null = null;
        const mine = parse(r.mine_value);
        if (entity && current) {
          const row: Record<string, unknown> = { id: r.entity_id };
          for (const [n, def] of Object.entries(entity.spec.fields)) row[n] = current[def.column];
          label = entity.spec.label(row);
        } else if (entity && mine !== null && typeof mine === 'object' && !Array.isArray(mine)) {
          // Gone here (a refused create of a batch): named by the values this console sent.
          label = entity.spec.label({ id: r.entity_id, ...(mine as Record<string, unknown>) });
        }
        return {
          id: r.id as number, kind: r.kind as ConflictView['kind'], orgId: String(r.org_id), orgName: (r.org_name as string | null) ?? null,
          entity: String(r.entity), entityId: String(r.entity_id), label, method: String(r.method), field: (r.field as string | null) ?? null,
          base: parse(r.base_value), mine: parse(r.mine_value), theirs: parse(r.theirs_value), theirsBy: (r.theirs_by as string | null) ?? null,
          theirsAt: (r.theirs_at as string | null) ?? null, code: (r.code as string | null) ?? null, message: (r.message as string | null) ?? null,
          createdAt: String(r.created_at),
        };
      });
    },

    /**
     * Keep mine: run the original change again, limited to the conflicting field, based on the
     * Portal's version now here; it goes through the same rules here and on the Portal (and may
     * conflict again if someone changed it meanwhile). Keep theirs / dismiss: the Portal's value is
     * already shown; the entry is closed.
     */
    async resolve(id: number, resolution: 'kept_mine' | 'kept_theirs' | 'dismissed', ctx: CallContext): Promise<void> {
      const row = q.conflict.get(id) as { mutation_id: string; kind: string; entity: string; entity_id: string; field: string | null; resolved_at: string | null } | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'sync.conflict_not_found');
      if (row.resolved_at) throw new AppError('CONFLICT', 'sync.conflict_already_resolved');
      if (resolution === 'kept_mine') {
        if (row.kind !== 'field' || !row.field) throw new AppError('BAD_INPUT', 'sync.keep_mine_not_possible');
        const original = q.outboxInput.get(row.mutation_id) as { method: string; input: string } | undefined;
        if (!original) throw new AppError('NOT_FOUND', 'sync.conflict_not_found');
        const key = `${row.entity}:${row.entity_id}`;
        const only = { [key]: [row.field] };
        // A local replay: the handler's own (stale) base version is ignored, only the kept field is written.
        const replay: SyncReplay = {
          mutationId: randomUUID(), bases: new Map(), olds: new Map(), created: new Map(), only: new Map([[key, new Set([row.field])]]),
          canWrite: () => true, foreignChanges: () => new Map(), idMap: new Map(), conflicts: [],
        };
        await deps.dispatch(original.method, JSON.parse(original.input), ctx, { replay, state: { keepMine: true, only } });
      }
      // (sync.resolve is a mutation: the caller already holds the writer.)
      q.resolve.run(deps.clock.now().toISOString(), resolution, id);
      kickSoon();
    },
  };
}

export type SyncClient = ReturnType<typeof createSyncClient>;

/** For tests and the CLI: entity names sync ships. */
export const syncedEntityNames = (): EntityName[] => syncEntities().map((e) => e.name).filter((n) => n in ENTITIES);
export type { Db };
