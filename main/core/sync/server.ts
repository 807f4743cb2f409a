/**
 * The Portal's side of sync (research/sync.md §4.5-4.9): console tokens, the organizations a
 * technician may read and write (derived at every request from who they are on the Portal, never
 * from what the console claims), push (each change re-run through the same contract handler with
 * the console's ids and base versions; idempotent by mutation id and per-client seq) and pull (per
 * organization cursors over the change log; an initial download reads the tables themselves).
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { CoreDeps } from '../handlers/context.ts';
import { contract, isMethod } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import {
  SYNC_MIN_PROTOCOL_VERSION, SYNC_MIN_SCHEMA_VERSION, SYNC_PROTOCOL_VERSION, type HelloRequest, type PullOrg, type PullRequest, type PullResponse, type PushMutation,
  type PushRequest, type PushResult, type SignInRequest, type WireConflict, type WireRow,
} from '../../../shared/model/sync.ts';
import { AppError } from '../errors.ts';
import { randomToken, sameSecret, sha256 } from '../auth/secrets.ts';
import { newId } from '../ids.ts';
import {
  ReplayAbort, compactChangeLog, type CallScope, type ForeignChange, type MutationHooks, type SyncReplay, type Writer,
} from '../mutations/pipeline.ts';
import { currentRow, syncEntities, toWire } from './rows.ts';
import { createApiKeyStore } from '../api-keys/keys.ts';
import { API_KEY_PREFIX, ROLE_IDS } from '../../../shared/rules/api-keys.ts';
import { SHORT_MUTATION_OPS } from '../mutations/write-ops.ts';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LATEST_VERSION } from '../db/migrations.ts';
import { updateNeeded } from '../../../shared/rules/sync-versions.ts';
import { createConsoleSessions, type CredentialRow } from './sessions.ts';

/** How long a push keeps the Portal's thread before letting queries in (between two changes). */
const YIELD_AFTER_MS = 50;

/** The longest array anywhere in a value (a loop: inputs may hold 200,000 ids). */
export function largestArray(value: unknown): number {
  let largest = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      largest = Math.max(largest, v.length);
      for (const item of v) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const item of Object.values(v)) if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return largest;
}

export const READ_ONLY_ROLE = '00000000-0000-7000-8000-000000000003';

/** What a route answers: an HTTP status and a JSON body. */
export interface HttpAnswer { status: number; body: unknown; retryAfter?: number }

interface Caller {
  /** An API key of an organization below the top of its tree: the console could not hold its organization without the parent. */
  notTopLevel?: boolean;
  actor: Actor;
  userId: string;
  tokenId: string;
  homeOrg: string;
  writable: boolean;
}

/** State a replayed push keeps across the runs of one call (scope.state). */
interface PushState {
  clientId: string;
  seq: number;
  hash: string;
  logged?: boolean;
  touched: Map<string, { entity: string; id: string; orgId: string }>;
  replay: SyncReplay;
}

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};
export const payloadHash = (m: PushMutation) =>
  createHash('sha256').update(canonical({ method: m.method, input: m.input, targets: m.targets, created: m.created, only: m.only ?? null })).digest('hex');

export function createSyncServer(deps: CoreDeps) {
  const { db } = deps;
  const q = {
    token: db.prepare(`SELECT t.id, t.token_hash, t.kind, t.revoked_at, t.expires_at, t.renewed_at, t.created_at,
        u.id AS user_id, u.name, u.email, u.org_id, u.role_id, u.status
      FROM sync_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`),
    subtreeAll: db.prepare(`WITH RECURSIVE down(id, depth) AS (
        SELECT id, 0 FROM organizations WHERE id = ?
        UNION ALL SELECT o.id, down.depth + 1 FROM organizations o JOIN down ON o.parent_id = down.id)
      SELECT down.id, o.name, o.parent_id FROM down JOIN organizations o ON o.id = down.id ORDER BY down.depth, down.id`),
    parent: db.prepare('SELECT parent_id FROM organizations WHERE id = ?'),
    client: db.prepare('SELECT client_id, user_id, last_mutation_seq FROM sync_clients WHERE client_id = ?'),
    addClient: db.prepare('INSERT INTO sync_clients (client_id, user_id, last_mutation_seq, created_at, last_seen_at) VALUES (?, ?, 0, ?, ?)'),
    seenClient: db.prepare('UPDATE sync_clients SET last_seen_at = ? WHERE client_id = ?'),
    advance: db.prepare('UPDATE sync_clients SET last_mutation_seq = max(last_mutation_seq, ?) WHERE client_id = ?'),
    logged: db.prepare('SELECT client_id, seq, payload_hash, status, result FROM sync_push_log WHERE mutation_id = ?'),
    log: db.prepare(`INSERT INTO sync_push_log (mutation_id, client_id, seq, payload_hash, status, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (mutation_id) DO UPDATE SET status = excluded.status, result = excluded.result`),
    foreign: db.prepare(`SELECT c.fields, c.version, c.actor_id, c.at, c.op, a.name AS actor_name FROM changes c
        LEFT JOIN actors a ON a.id = c.actor_id
      WHERE c.entity = ? AND c.entity_id = ? AND c.version > ?
        AND NOT EXISTS (SELECT 1 FROM sync_push_log p WHERE p.mutation_id = c.mutation_id AND p.client_id = ?)
      ORDER BY c.version`),
    deletedHere: db.prepare("SELECT 1 FROM changes WHERE entity = ? AND entity_id = ? AND op = 'delete' LIMIT 1"),
    horizon: db.prepare('SELECT purged_through FROM sync_horizon WHERE org_id = ?'),
    setHorizon: db.prepare(`INSERT INTO sync_horizon (org_id, purged_through) VALUES (?, ?)
      ON CONFLICT (org_id) DO UPDATE SET purged_through = max(purged_through, excluded.purged_through)`),
    // AUTOINCREMENT's counter: the change log's end even when compaction emptied it.
    maxSeq: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0) AS m"),
    changedSince: db.prepare(`SELECT entity, entity_id, max(seq) AS m FROM changes WHERE org_id = ? AND seq > ?
      GROUP BY entity, entity_id ORDER BY m LIMIT ?`),
    orgIds: db.prepare('SELECT DISTINCT org_id FROM changes WHERE org_id IS NOT NULL'),
    changedOrgs: db.prepare(`SELECT DISTINCT org_id FROM changes WHERE seq > ? AND org_id IS NOT NULL
      AND entity IN (SELECT value FROM json_each(?))`),
    latestByOrg: db.prepare('SELECT org_id, max(seq) AS m FROM changes WHERE seq > ? AND org_id IS NOT NULL GROUP BY org_id'),
  };

  const statements = new Map<string, Statement<unknown[]>>();
  const cachedStatement = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare<unknown[]>(sql)));
    return stmt;
  };

  const apiKeys = createApiKeyStore(deps);
  const sessions = createConsoleSessions(deps);

  /**
   * The caller of a sync request, from its bearer token; null = 401. Two kinds of credential: a
   * console token issued to a technician (sync.issueToken), or an API key of the API Keys tab. A
   * key reaches its organization and everything below it, as on the REST API; only an Organization
   * Administrator key may push (a sync push may run any console mutation, which an Operator or
   * Read-only key may not).
   */
  function authenticate(token: string): Caller | null {
    if (token.startsWith(API_KEY_PREFIX)) {
      try {
        const grant = apiKeys.authenticate(token, 'organizations.read');
        const parent = (q.parent.get(grant.orgId) as { parent_id: string | null } | undefined)?.parent_id ?? null;
        return {
          actor: grant.actor, userId: grant.actor.id, tokenId: grant.id, homeOrg: grant.orgId, writable: grant.roleId === ROLE_IDS.administrator,
          ...(parent !== null ? { notTopLevel: true } : {}),
        };
      } catch {
        return null;
      }
    }
    if (!sessions.prefixes.some((p) => token.startsWith(p))) return null;
    const hash = sha256(token);
    const row = q.token.get(hash) as CredentialRow | undefined;
    if (!row || !sameSecret(row.token_hash, hash) || row.revoked_at !== null || row.status !== 'active') return null;
    // A signed-in session also ends with its expiry and when the user may no longer sign in.
    if (row.kind === 'session' && !sessions.usable(row)) return null;
    return {
      actor: { id: row.user_id, name: row.name, email: row.email }, userId: row.user_id, tokenId: row.id, homeOrg: row.org_id,
      writable: row.role_id !== READ_ONLY_ROLE,
    };
  }

  /** The organizations a technician may see: their organization and everything below it, parents first. */
  function readable(caller: Caller): { id: string; name: string; parent_id: string | null }[] {
    return q.subtreeAll.all(caller.homeOrg) as { id: string; name: string; parent_id: string | null }[];
  }

  /** Whether `orgId` lies in the caller's tree (walking up from it: it may have been created in this transaction). */
  function inTree(caller: Caller, orgId: string): boolean {
    let id: string | null = orgId;
    for (let depth = 0; id !== null && depth < 20; depth++) {
      if (id === caller.homeOrg) return true;
      id = (q.parent.get(id) as { parent_id: string | null } | undefined)?.parent_id ?? null;
    }
    return false;
  }

  function foreignChanges(clientId: string, entity: string, id: string, base: number, orgId: string | null): Map<string, ForeignChange> {
    const out = new Map<string, ForeignChange>();
    for (const row of q.foreign.all(entity, id, base, clientId) as { fields: string; version: number; actor_name: string | null; at: string }[]) {
      for (const field of Object.keys(JSON.parse(row.fields) as Record<string, unknown>)) {
        out.set(field, { version: row.version, by: row.actor_name, at: row.at });
      }
    }
    // A base older than the compacted log: what changed since cannot be told apart, so every field
    // changed after it counts as someone else's (a conflict to look at rather than a silent overwrite).
    const purged = orgId ? (q.horizon.get(orgId) as { purged_through: number } | undefined)?.purged_through ?? 0 : 0;
    if (purged > 0) {
      const spec = syncEntities().find((e) => e.name === entity);
      const raw = spec ? db.prepare(`SELECT field_versions FROM ${spec.spec.table} WHERE ${spec.spec.key} = ?`).get(id) as { field_versions: string } | undefined : undefined;
      if (raw) {
        for (const [field, v] of Object.entries(JSON.parse(raw.field_versions) as Record<string, number>)) {
          if (v > base && !out.has(field)) out.set(field, { version: v, by: null, at: null });
        }
      }
    }
    return out;
  }

  /** The Portal's hook on the write path: a replayed change's outcome commits with its effects. */
  const hooks: MutationHooks = {
    tracking: () => false,
    beforeCommit(writer: Writer, scope: CallScope | undefined) {
      const state = scope?.state.push as PushState | undefined;
      if (!scope?.replay || !state) return;
      for (const t of writer.touched.values()) state.touched.set(`${t.entity}:${t.id}`, { entity: t.entity, id: t.id, orgId: t.orgId ?? '' });
      if (process.env.ORGDESK_SYNC_FAULT === 'server-push-inside-tx') process.kill(process.pid, 'SIGKILL');
      const status = state.replay.conflicts.length > 0 ? 'conflict' : 'applied';
      q.log.run(scope.replay.mutationId, state.clientId, state.seq, state.hash, status,
        JSON.stringify({ status, conflicts: state.replay.conflicts }), deps.clock.now().toISOString());
      q.advance.run(state.seq, state.clientId);
      state.logged = true;
    },
  };

  /** The version window (shared/rules/sync-versions.ts): outside it, 426 naming the side to update. */
  function versionCheck(protocolVersion: number | undefined, schemaVersion: number | undefined): HttpAnswer | null {
    const update = updateNeeded({ protocol: protocolVersion, schema: schemaVersion },
      { protocol: SYNC_PROTOCOL_VERSION, minProtocol: SYNC_MIN_PROTOCOL_VERSION, schema: LATEST_VERSION, minSchema: SYNC_MIN_SCHEMA_VERSION });
    if (update === null) return null;
    return {
      status: 426,
      body: {
        error: 'versionNotSupported', update, minProtocolVersion: SYNC_MIN_PROTOCOL_VERSION, maxProtocolVersion: SYNC_PROTOCOL_VERSION,
        minSchemaVersion: SYNC_MIN_SCHEMA_VERSION, maxSchemaVersion: LATEST_VERSION,
      },
    };
  }

  /** Find or register the console; a client id another technician uses is refused. */
  function clientOf(caller: Caller, clientId: string): { last: number } | HttpAnswer {
    const at = deps.clock.now().toISOString();
    let row = q.client.get(clientId) as { user_id: string; last_mutation_seq: number } | undefined;
    if (!row) {
      q.addClient.run(clientId, caller.userId, at, at);
      row = { user_id: caller.userId, last_mutation_seq: 0 };
    }
    if (row.user_id !== caller.userId) return { status: 409, body: { error: 'clientIdTaken' } };
    return { last: row.last_mutation_seq };
  }

  function rowsFor(caller: Caller, keys: Iterable<{ entity: string; id: string; orgId: string }>): WireRow[] {
    const rows: WireRow[] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      const key = `${k.entity}:${k.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = currentRow(db, k.entity, k.id, k.orgId, (orgId) => inTree(caller, orgId));
      if (row) rows.push(row);
    }
    return rows;
  }

  /** Re-run one pushed change; returns its result (already logged, with its effects when applied). */
  async function applyOne(caller: Caller, clientId: string, m: PushMutation, hash: string): Promise<PushResult> {
    const at = deps.clock.now().toISOString();
    const created = new Map<string, string[]>();
    const writableOrgs = new Set<string>();
    for (const c of m.created) (created.get(c.entity) ?? created.set(c.entity, []).get(c.entity)!).push(c.id);
    const replay: SyncReplay = {
      mutationId: m.mutationId,
      bases: new Map(m.targets.filter((t) => t.op !== 'create').map((t) => [`${t.entity}:${t.id}`, t.base])),
      olds: new Map(m.targets.map((t) => [`${t.entity}:${t.id}`, t.old])),
      created,
      ...(m.only ? { only: new Map(Object.entries(m.only).map(([k, v]) => [k, new Set(v)])) } : {}),
      // Remembered for the change (a chunk of 1,000 users asks about the same few organizations);
      // only a yes: an organization this change creates is not in the tree until it exists.
      canWrite: (orgId) => caller.writable && (writableOrgs.has(orgId) || (inTree(caller, orgId) && writableOrgs.add(orgId) !== undefined)),
      foreignChanges: (entity, id, base) => foreignChanges(clientId, entity, id, base,
        m.targets.find((t) => t.entity === entity && t.id === id)?.new.orgId as string ?? null),
      idMap: new Map(),
      conflicts: [],
    };
    const state: PushState = { clientId, seq: m.seq, hash, touched: new Map(), replay };
    const targetKeys = m.targets.map((t) => ({ entity: t.entity, id: t.id, orgId: String(t.new.orgId ?? t.old.orgId ?? '') }));
    const reject = (code: string, message: string, conflicts: WireConflict[] = []): PushResult => {
      const body = { status: 'rejected' as const, code, message, conflicts };
      db.transaction(() => {
        q.log.run(m.mutationId, clientId, m.seq, hash, 'rejected', JSON.stringify(body), at);
        q.advance.run(m.seq, clientId);
      })();
      return { seq: m.seq, mutationId: m.mutationId, ...body, rows: rowsFor(caller, targetKeys) };
    };
    const method = m.method;
    if (!isMethod(method) || contract[method].kind !== 'mutation' || method.startsWith('sync.') || method.startsWith('portal.')) {
      return reject('not_syncable', `${method} is not a change the Portal accepts from a console.`);
    }
    if (!caller.writable) return reject('forbidden', 'Your role on the Portal is read-only.');
    // A re-run stays a short transaction: the Portal takes changes of at most SHORT_MUTATION_OPS items.
    // A console records larger ones as data in chunks (users.applyBatch), so only an older console sends them.
    if (largestArray(m.input) > SHORT_MUTATION_OPS) {
      return reject('too_large', `This change lists more than ${SHORT_MUTATION_OPS} items, more than the Portal re-runs at once. An up-to-date Orgdesk sends such changes in parts: update Orgdesk and make it again.`);
    }
    try {
      await deps.dispatch(method, m.input, { actor: caller.actor }, { replay, state: { push: state } });
    } catch (e) {
      if (e instanceof ReplayAbort) {
        return reject(e.code, e.message, e.conflict ? [{ ...e.conflict }] : []);
      }
      if (e instanceof AppError) {
        if (e.code === 'NOT_FOUND') {
          const gone = m.targets.find((t) => t.op !== 'create' && q.deletedHere.get(t.entity, t.id));
          if (gone) {
            return reject('deleted_remotely', 'It was deleted on the Portal.', [{
              kind: 'deleted_remotely', entity: gone.entity, id: gone.id, field: null, base: gone.old, mine: gone.new, theirs: null,
              theirsVersion: null, theirsBy: null, theirsAt: null,
            }]);
          }
        }
        const code = e.code === 'FORBIDDEN' ? 'forbidden' : e.code === 'BAD_INPUT' ? 'validation' : e.code === 'NOT_FOUND' ? 'not_found'
          : e.code === 'CONFLICT' ? 'conflict' : e.code.toLowerCase();
        return reject(code, e.message);
      }
      const sqliteCode = (e as { code?: unknown }).code;
      if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) return reject('validation', 'The change breaks a rule of the data.');
      if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_')) throw e; // infrastructure: the request fails, the console retries
      // A change that makes the handler fail is poison: refused for good, so the queue moves on.
      return reject('internal', 'The Portal could not apply this change.');
    }
    if (!state.logged) {
      // The handler changed nothing (already as asked): still one final outcome.
      db.transaction(() => {
        q.log.run(m.mutationId, clientId, m.seq, hash, 'applied', JSON.stringify({ status: 'applied', conflicts: [] }), at);
        q.advance.run(m.seq, clientId);
      })();
    }
    const status = replay.conflicts.length > 0 ? 'conflict' : 'applied';
    return { seq: m.seq, mutationId: m.mutationId, status, conflicts: replay.conflicts, rows: rowsFor(caller, [...targetKeys, ...state.touched.values()]) };
  }


  /** The changes of one push request, in seq order (the caller holds the writer). */
  async function pushBatch(caller: Caller, request: PushRequest, lastSeq: number, results: PushResult[]): Promise<HttpAnswer> {
    let last = lastSeq;
    let lastYield = performance.now();
    for (const m of request.mutations) {
      const hash = payloadHash(m);
      const logged = q.logged.get(m.mutationId) as { client_id: string; seq: number; payload_hash: string; status: string; result: string } | undefined;
      if (logged) {
        if (logged.payload_hash !== hash) return { status: 409, body: { error: 'mutationIdReused', seq: m.seq } };
        const stored = JSON.parse(logged.result) as { status: PushResult['status']; code?: string; message?: string; conflicts: WireConflict[] };
        const keys = m.targets.map((t) => ({ entity: t.entity, id: t.id, orgId: String(t.new.orgId ?? t.old.orgId ?? '') }));
        results.push({ seq: m.seq, mutationId: m.mutationId, ...stored, duplicate: true, rows: rowsFor(caller, keys) });
        continue;
      }
      if (m.seq <= last) return { status: 409, body: { error: 'mutationIdReused', seq: m.seq } };
      if (m.seq > last + 1) {
        if (results.length > 0) break;
        return { status: 409, body: { error: 'outOfOrder', expectedSeq: last + 1 } };
      }
      results.push(await applyOne(caller, request.clientId, m, hash));
      last = m.seq;
      // A chunk of a long mutation is up to 1,000 writes (a few hundred ms): between changes, queries
      // (SCIM, the REST API, sign-in pages) get the thread back once in a while; the writer stays held.
      if (performance.now() - lastYield > YIELD_AFTER_MS) {
        await nextTurn();
        lastYield = performance.now();
      }
    }
    if (process.env.ORGDESK_SYNC_FAULT === 'server-push-after-commit') process.kill(process.pid, 'SIGKILL');
    return { status: 200, body: { lastMutationSeq: last, results, serverTime: deps.clock.now().toISOString() } };
  }

  return {
    hooks,
    authenticate,

    hello(token: string, request: HelloRequest): HttpAnswer {
      const caller = authenticate(token);
      if (!caller) return { status: 401, body: { error: 'unauthorized' } };
      if (caller.notTopLevel) return { status: 403, body: { error: 'key_not_top_level' } };
      const bad = versionCheck(request.protocolVersion, request.schemaVersion);
      if (bad) return bad;
      return {
        status: 200,
        body: {
          protocolVersion: SYNC_PROTOCOL_VERSION, minProtocolVersion: SYNC_MIN_PROTOCOL_VERSION,
          schemaVersion: LATEST_VERSION, minSchemaVersion: SYNC_MIN_SCHEMA_VERSION, user: caller.actor,
          organizations: readable(caller).length, serverTime: deps.clock.now().toISOString(),
        },
      };
    },

    /** Runs holding the core's writer (a mutation-kind method): pushes are serialized. */
    async push(token: string, request: PushRequest): Promise<HttpAnswer> {
      const caller = authenticate(token);
      if (!caller) return { status: 401, body: { error: 'unauthorized' } };
      if (caller.notTopLevel) return { status: 403, body: { error: 'key_not_top_level' } };
      const bad = versionCheck(request.protocolVersion, request.schemaVersion);
      if (bad) return bad;
      const client = clientOf(caller, request.clientId);
      if ('status' in client) return client;
      const last = client.last;
      const results: PushResult[] = [];
      // Each change commits on its own (with its log row), but without its own fsync: one FULL commit
      // at the end of the batch makes the whole WAL durable before the console hears anything.
      db.pragma('synchronous = NORMAL');
      try {
        return await pushBatch(caller, request, last, results);
      } finally {
        db.pragma('synchronous = FULL');
        db.transaction(() => q.seenClient.run(deps.clock.now().toISOString(), request.clientId))();
      }
    },

    pull(token: string, request: PullRequest): HttpAnswer {
      const caller = authenticate(token);
      if (!caller) return { status: 401, body: { error: 'unauthorized' } };
      if (caller.notTopLevel) return { status: 403, body: { error: 'key_not_top_level' } };
      const bad = versionCheck(request.protocolVersion, request.schemaVersion);
      if (bad) return bad;
      const client = clientOf(caller, request.clientId);
      if ('status' in client) return client;
      // One read transaction: every org's page comes from the same snapshot of the database.
      return db.transaction((): HttpAnswer => {
        const visible = readable(caller);
        const visibleIds = new Set(visible.map((o) => o.id));
        const orgs: Record<string, PullOrg> = {};
        const changes: WireRow[] = [];
        for (const orgId of Object.keys(request.cursors)) if (!visibleIds.has(orgId)) orgs[orgId] = { status: 'revoked' };
        let budget = request.limit;
        const inView = (orgId: string) => visibleIds.has(orgId);
        let more = false;
        // Which organizations changed after the oldest cursor asked about: one query instead of one per org.
        const asked = visible.filter((o) => o.id in request.cursors && !(o.id in request.snapshots)).map((o) => request.cursors[o.id]!);
        const since = asked.length > 0 ? Math.min(...asked) : 0;
        const latest = new Map((q.latestByOrg.all(since) as { org_id: string; m: number }[]).map((r) => [r.org_id, r.m]));
        for (const org of visible) {
          // The page is full: the orgs after this one are left out (unchanged); the console asks again.
          if (budget <= 0) {
            more = true;
            break;
          }
          const cursor = request.cursors[org.id] ?? 0;
          // A download from scratch: an organization new to this console, or one it is resetting.
          const downloading = !(org.id in request.cursors) || org.id in request.snapshots;
          const meta = { name: org.name, parentId: org.parent_id, writable: caller.writable };
          const purged = (q.horizon.get(org.id) as { purged_through: number } | undefined)?.purged_through ?? 0;
          if (!downloading && cursor < purged) {
            orgs[org.id] = { status: 'reset', ...meta };
            continue;
          }
          if (downloading) {
            const page = snapshotPage(org.id, request.snapshots[org.id] || null, budget);
            changes.push(...page.rows);
            budget -= page.rows.length;
            orgs[org.id] = page.done
              ? { status: 'ok', cursor: page.upTo, snapshot: null, hasMore: false, ...meta }
              : { status: 'ok', cursor: 0, snapshot: page.next, hasMore: true, ...meta };
            continue;
          }
          if ((latest.get(org.id) ?? 0) <= cursor) continue; // nothing new: the console keeps its cursor
          const rows = q.changedSince.all(org.id, cursor, budget + 1) as { entity: string; entity_id: string; m: number }[];
          const hasMore = rows.length > budget;
          const page = hasMore ? rows.slice(0, budget) : rows;
          let next = cursor;
          for (const r of page) {
            next = r.m;
            const row = currentRow(db, r.entity, r.entity_id, org.id, inView);
            if (row) changes.push(row);
          }
          budget -= page.length;
          orgs[org.id] = { status: 'ok', cursor: next, snapshot: null, hasMore, ...meta };
        }
        return {
          status: 200,
          body: {
            orgs, order: visible.map((o) => o.id), changes, more, lastMutationSeq: client.last, serverTime: deps.clock.now().toISOString(),
          } satisfies PullResponse,
        };
      })();
    },

    /** A console signs in with a Portal account (sessions.ts); inside the version window only. */
    async signIn(request: SignInRequest, ip: string): Promise<HttpAnswer> {
      const bad = versionCheck(request.protocolVersion, request.schemaVersion);
      if (bad) return bad;
      return sessions.signIn(request, ip);
    },
    signOut: (token: string): HttpAnswer => sessions.signOut(token),

    /**
     * The poke's check (main/portal/sync-api/poke-route.ts): whether a synced entity of the caller's
     * organizations changed after `since` (a change-log seq this answer gave before). `since` null =
     * a console starting to listen: no scan, just where the log ends now.
     */
    poke(token: string, since: number | null): HttpAnswer {
      const caller = authenticate(token);
      if (!caller) return { status: 401, body: { error: 'unauthorized' } };
      if (caller.notTopLevel) return { status: 403, body: { error: 'key_not_top_level' } };
      const seq = (q.maxSeq.get() as { m: number }).m;
      const visible = readable(caller).map((o) => o.id);
      // `orgIds` is for the route (it skips change events of other trees), not for the console.
      if (since === null || since >= seq) return { status: 200, body: { changed: false, seq, orgIds: visible } };
      const inTree = new Set(visible);
      const changed = (q.changedOrgs.all(since, JSON.stringify(syncEntities().map((e) => e.name))) as { org_id: string }[]).some((r) => inTree.has(r.org_id));
      return { status: 200, body: changed ? { changed, seq } : { changed, seq, orgIds: visible } };
    },
    credentials: (userId: string | undefined, includeEnded: boolean) => sessions.list(userId, includeEnded),

    /** Issue a console token for a Portal user: shown once, only its SHA-256 is kept. */
    issueToken(actor: Actor, userId: string, label: string): { id: string; token: string } {
      const user = db.prepare('SELECT id, org_id FROM users WHERE id = ?').get(userId) as { id: string; org_id: string } | undefined;
      if (!user) throw new AppError('NOT_FOUND', 'user.not_found');
      const token = `odsync_${randomToken()}`;
      const id = newId();
      deps.mutations.run('sync.issueToken', actor, (w) => {
        w.create('syncToken', id, { userId, orgId: user.org_id, label, tokenHash: sha256(token), revokedAt: null, lastUsedAt: null });
      });
      return { id, token };
    },

    revokeToken(actor: Actor, id: string): void {
      deps.mutations.run('sync.revokeToken', actor, (w) => {
        w.update('syncToken', id, { revokedAt: deps.clock.now().toISOString() });
      });
    },

    /** Forget change log (tombstones included) older than `olderThan`; consoles behind it reset. */
    compact(olderThan: Date): { purged: number } {
      const cutoff = olderThan.toISOString();
      let purged = 0;
      db.transaction(() => {
        for (const { org_id } of q.orgIds.all() as { org_id: string }[]) {
          const row = db.prepare('SELECT max(seq) AS m FROM changes WHERE org_id = ? AND at < ?').get(org_id, cutoff) as { m: number | null };
          if (row.m === null) continue;
          purged += compactChangeLog(db, org_id, row.m);
          q.setHorizon.run(org_id, row.m);
        }
      })();
      return { purged };
    },
  };

  /**
   * One page of an initial download: every synced entity of the organization, table by table in
   * key order, resumable from `from` ("<upTo>|<entity index>|<last key>"). upTo is the change log's
   * end when the download began; the incremental pulls after it catch what changed meanwhile.
   */
  function snapshotPage(orgId: string, from: string | null, budget: number): { rows: WireRow[]; done: boolean; next: string; upTo: number } {
    let upTo: number;
    let index = 0;
    let after = '';
    if (from) {
      const [u, i, ...k] = from.split('|');
      upTo = Number(u);
      index = Number(i);
      after = k.join('|');
    } else {
      upTo = (q.maxSeq.get() as { m: number }).m;
    }
    const entities = syncEntities();
    const rows: WireRow[] = [];
    while (index < entities.length && rows.length < budget) {
      const e = entities[index]!;
      const want = budget - rows.length;
      const raws = cachedStatement(`SELECT * FROM ${e.spec.table} WHERE ${e.orgColumn} = ? AND ${e.spec.key} > ? ORDER BY ${e.spec.key} LIMIT ?`)
        .all(orgId, after, want) as Record<string, unknown>[];
      for (const raw of raws) rows.push(toWire(e, raw));
      if (raws.length < want) {
        index++;
        after = '';
      } else {
        after = String(raws[raws.length - 1]![e.spec.key]);
      }
    }
    const done = index >= entities.length;
    return { rows, done, next: `${upTo}|${index}|${after}`, upTo };
  }
}

export type SyncServer = ReturnType<typeof createSyncServer>;
