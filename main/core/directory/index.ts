/** Every contract method of directory import from LDAP / Active Directory (issue #7) (shared/contract-directory.ts). */
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { JobContext, JobRegistry } from '../jobs/job-registry.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { DirectoryRun, DirectorySource, MappedPreview, RunCounts } from '../../../shared/model/directory.ts';
import { mapEntry } from '../../../shared/rules/directory.ts';
import { AppError, fieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { runLongMutation } from '../mutations/long-mutation.ts';
import { SHORT_MUTATION_OPS, writeOps } from '../mutations/write-ops.ts';
import { createOpApplier } from '../mutations/apply-op.ts';
import { callScope } from '../mutations/pipeline.ts';
import { travelAsData } from '../sync/long-outbox.ts';
import {
  classifyError, closeQuietly, connect, readUsers, testConnection, userFilterOf, type LdapSettings,
} from './ldap.ts';
import { readDirectoryInWorker } from './read-in-worker.ts';
import { createPlanStaging, type StagedItem } from './staging.ts';
import { loadSnapshot, planOpCount, planOpSource, Planner, roleResolver, toPlanItem, type DeltaState, type PlanEntry } from './plan.ts';

export const passwordKey = (sourceId: string) => `directory-bind:${sourceId}`;


interface SourceDbRow {
  id: string; org_id: string; name: string; kind: 'activeDirectory' | 'openldap'; host: string; port: number;
  security: 'ldaps' | 'startTls' | 'none'; ca_certificate: string; bind_dn: string; has_password: number; base_dn: string;
  user_filter: string; group_filter: string; page_size: number; connect_timeout_ms: number; timeout_ms: number; mapping: string;
  removal_threshold_count: number; removal_threshold_percent: number; schedule_minutes: number; group_roles: string; delta_state: string | null;
  last_run_at: string | null; version: number; updated_by: string | null; linked: number;
}

interface RunDbRow {
  id: string; source_id: string; org_id: string; mode: 'full' | 'delta'; trigger_kind: 'manual' | 'schedule'; state: DirectoryRun['state'];
  started_at: string; finished_at: string | null; counts: string; removals_skipped: number; removals_need_confirmation: number;
  error: string | null; entries_per_second: number;
}

const toSource = (r: SourceDbRow): DirectorySource => ({
  id: r.id, orgId: r.org_id, name: r.name, kind: r.kind, host: r.host, port: r.port, security: r.security, caCertificate: r.ca_certificate,
  bindDn: r.bind_dn, hasPassword: r.has_password === 1, baseDn: r.base_dn, userFilter: r.user_filter, groupFilter: r.group_filter,
  pageSize: r.page_size, connectTimeoutMs: r.connect_timeout_ms, timeoutMs: r.timeout_ms, mapping: JSON.parse(r.mapping) as DirectorySource['mapping'],
  removalThresholdCount: r.removal_threshold_count, removalThresholdPercent: r.removal_threshold_percent, scheduleMinutes: r.schedule_minutes,
  groupRoles: JSON.parse(r.group_roles) as DirectorySource['groupRoles'],
  lastRunAt: r.last_run_at, linkedUsers: r.linked, version: r.version,
});

const toRun = (r: RunDbRow): DirectoryRun => ({
  id: r.id, sourceId: r.source_id, orgId: r.org_id, mode: r.mode, trigger: r.trigger_kind, state: r.state, startedAt: r.started_at,
  finishedAt: r.finished_at, counts: JSON.parse(r.counts) as RunCounts, removalsSkipped: r.removals_skipped === 1,
  removalsNeedConfirmation: r.removals_need_confirmation === 1, error: r.error, entriesPerSecond: r.entries_per_second,
});

const EMPTY_COUNTS: RunCounts = { read: 0, creates: 0, updates: 0, disables: 0, enables: 0, removals: 0, unchanged: 0, errors: 0 };
/** Planned runs kept staged until applied or discarded: the oldest beyond these read as discarded. */
const KEEP_PLANS = 4;
/** Planned entries written per transaction while reading: fewer commits (fsyncs) on the core's thread, a few MB held. */
const STAGE_BATCH = 1000;
const FULL_RECONCILE_MS = 24 * 60 * 60_000;

function settingsOf(s: Omit<DirectorySource, 'id' | 'hasPassword' | 'lastRunAt' | 'linkedUsers' | 'version'>): LdapSettings {
  return {
    kind: s.kind, host: s.host, port: s.port, security: s.security, caCertificate: s.caCertificate, bindDn: s.bindDn, baseDn: s.baseDn,
    userFilter: s.userFilter, pageSize: s.pageSize, connectTimeoutMs: s.connectTimeoutMs, timeoutMs: s.timeoutMs, mapping: s.mapping,
  };
}

export function createDirectoryHandlers(deps: CoreDeps, jobs: JobRegistry) {
  const { db, mutations, secrets } = deps;
  const tree = createOrgTree(db);
  const q = {
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    role: db.prepare('SELECT id FROM roles WHERE id = ?'),
    sources: db.prepare(`SELECT s.*, (SELECT count(*) FROM directory_links l WHERE l.source_id = s.id AND l.missing = 0) AS linked
      FROM directory_sources s WHERE s.org_id = ? ORDER BY s.name COLLATE NOCASE`),
    source: db.prepare(`SELECT s.*, (SELECT count(*) FROM directory_links l WHERE l.source_id = s.id AND l.missing = 0) AS linked
      FROM directory_sources s WHERE s.id = ?`),
    scheduled: db.prepare('SELECT id, schedule_minutes, last_run_at, has_password FROM directory_sources WHERE schedule_minutes > 0'),
    run: db.prepare('SELECT * FROM directory_runs WHERE id = ?'),
    runs: db.prepare('SELECT * FROM directory_runs WHERE source_id = ? ORDER BY started_at DESC, id DESC LIMIT ?'),
    lastFullApplied: db.prepare("SELECT max(started_at) AS at FROM directory_runs WHERE source_id = ? AND mode = 'full' AND state = 'applied'"),
    linksOf: db.prepare('SELECT id FROM directory_links WHERE source_id = ?'),
    runsOf: db.prepare('SELECT id FROM directory_runs WHERE source_id = ?'),
    actor: db.prepare('SELECT id, name, email FROM actors WHERE id = ?'),
    // A source synced back from the Portal was last updated by the Portal's technician, unknown here:
    // its schedule then runs as whoever last changed it on this machine.
    lastLocalEditor: db.prepare(`SELECT a.id, a.name, a.email FROM changes c JOIN actors a ON a.id = c.actor_id
      WHERE c.entity = 'directorySource' AND c.entity_id = ? ORDER BY c.seq DESC LIMIT 1`),
    pendingCount: db.prepare("SELECT count(*) AS n FROM users WHERE status = 'pending' AND org_id IN (SELECT value FROM json_each(?))"),
    pending: db.prepare(`SELECT u.id, u.name, u.email, u.created_at, coalesce(l.dn, '') AS dn FROM users u
      LEFT JOIN directory_links l ON l.user_id = u.id
      WHERE u.status = 'pending' AND u.org_id IN (SELECT value FROM json_each(?)) ORDER BY u.name COLLATE NOCASE, u.id LIMIT ? OFFSET ?`),
    pendingIds: db.prepare("SELECT id FROM users WHERE status = 'pending' AND org_id IN (SELECT value FROM json_each(?))"),
    userStatus: db.prepare('SELECT id, status, org_id FROM users WHERE id IN (SELECT value FROM json_each(?))'),
    linkedAnchors: db.prepare('SELECT anchor FROM directory_links WHERE source_id = ? AND anchor IN (SELECT value FROM json_each(?))'),
    emailsTaken: db.prepare('SELECT email_fold FROM users WHERE email_fold IN (SELECT value FROM json_each(?)) AND org_id IN (SELECT value FROM json_each(?))'),
  };
  const staging = createPlanStaging(db);
  // Plans of runs that stopped waiting (a crash mid-read, or after their apply committed) are dead weight.
  staging.dropLeftovers();
  /**
   * Runs in progress in this process, by source. A run row left 'running' by a console that quit
   * or crashed blocks nothing and is shown as failed.
   */
  const inProgress = new Map<string, string>();
  const isRunning = (sourceId: string) => inProgress.has(sourceId);

  const getSource = (id: string): DirectorySource & { deltaState: DeltaState | null; updatedBy: string | null } => {
    const r = q.source.get(id) as SourceDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'directory.source_not_found');
    return { ...toSource(r), deltaState: r.delta_state ? (JSON.parse(r.delta_state) as DeltaState) : null, updatedBy: r.updated_by };
  };
  const getRun = (id: string): DirectoryRun => {
    const r = q.run.get(id) as RunDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'directory.run_not_found');
    return toRun(r);
  };
  const passwordFor = async (sourceId: string | undefined, given: string | undefined): Promise<string | null> => {
    if (given !== undefined && given !== '') return given;
    if (!sourceId) return null;
    return secrets.get(passwordKey(sourceId));
  };
  /** Writes outside a handler (a job's own bookkeeping) queue for the writer like any mutation. */
  const write = <T>(name: string, actor: Actor, apply: Parameters<typeof mutations.run<T>>[2]) =>
    deps.withWriter(() => mutations.run(name, actor, apply));

  const finishRun = (runId: string, actor: Actor, patch: Partial<Omit<DirectoryRun, 'id'>>) =>
    write('directory.run.finish', actor, (w) => w.update('directoryRun', runId, { finishedAt: deps.clock.now().toISOString(), ...patch }));

  /**
   * Read the directory and plan, then (for a scheduled run) apply. The LDAP side (connect, watermark,
   * groups, the paged read and the mapping) runs in the read worker; here each page of mapped
   * entries is planned as it arrives. Any read error fails the run: nothing is planned.
   */
  async function readAndPlan(runId: string, sourceId: string, mode: 'full' | 'delta', actor: Actor, apply: boolean, job: JobContext) {
    const source = getSource(sourceId);
    const started = Date.now();
    try {
      job.progress({ phase: 'connecting', done: 0, total: 0 });
      const reader = readDirectoryInWorker({
        settings: settingsOf(source), password: await secrets.get(passwordKey(sourceId)), requestedMode: mode,
        previousDeltaState: source.deltaState, groupDns: source.groupRoles.map((g) => g.groupDn),
      }, { signal: job.signal, workerUrl: deps.workers.directoryRead });
      let effectiveMode = mode;
      let nextState: DeltaState | null = null;
      let snapshot: ReturnType<typeof loadSnapshot> | null = null;
      let roleOf: ((dn: string) => string) | null = null;
      let planner: Planner | null = null;
      // Decided entries wait here as JSON (the objects die young), then go to the database STAGE_BATCH
      // at a time (one transaction, one fsync).
      const decided: StagedItem[] = [];
      const newPlanner = () => new Planner(snapshot!, source.mapping, effectiveMode, roleOf, (e) => decided.push({ kind: e.kind, entry: JSON.stringify(e) }));
      let staged: ReturnType<typeof staging.begin> | null = null;
      const stage = () => deps.withWriter(() => staged!.add(decided.splice(0)));
      let step = await reader.next();
      for (; !step.done; step = await reader.next()) {
        const event = step.value;
        if (event.type === 'mode') {
          effectiveMode = event.mode;
          nextState = event.nextState;
          if (effectiveMode !== mode) await write('directory.run.mode', actor, (w) => w.update('directoryRun', runId, { mode: effectiveMode }));
          staged = staging.begin(runId, sourceId, deps.clock.now().toISOString());
          snapshot = loadSnapshot(db, sourceId, tree.subtree(tree.mainOf(source.orgId)));
          if (source.groupRoles.length > 0) job.progress({ phase: 'groups', done: 0, total: source.groupRoles.length });
        } else if (event.type === 'groups') {
          // Roles come from the groups' own member lists, read whole before any user.
          roleOf = roleResolver(source.groupRoles.map((g, i) => ({ roleId: g.roleId, members: event.members[i] ?? [] })));
        } else {
          planner ??= newPlanner();
          for (const item of event.items) planner.addMapped(item);
          if (decided.length >= STAGE_BATCH) await stage();
          job.progress({ phase: 'reading', done: planner.counts.read, total: 0 });
        }
      }
      if (job.signal.aborted) throw new AppError('BAD_INPUT', 'directory.cancelled');
      // A read that matched nobody still plans (a full read of nobody removes nobody: Planner.finish).
      planner ??= newPlanner();
      const maxTimestamp = step.value;
      if (source.kind !== 'activeDirectory' && maxTimestamp && (nextState?.kind !== 'timestamp' || maxTimestamp > nextState.modifyTimestamp)) {
        nextState = { kind: 'timestamp', modifyTimestamp: maxTimestamp };
      }
      const plan = planner.finish(true, { count: source.removalThresholdCount, percent: source.removalThresholdPercent });
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const deltaState = nextState;
      staged ??= staging.begin(runId, sourceId, deps.clock.now().toISOString());
      const last = staged;
      await deps.withWriter(() => last.complete(decided.splice(0), deltaState, KEEP_PLANS));
      await finishRun(runId, actor, {
        state: plan.removalsNeedConfirmation && apply ? 'awaiting_confirmation' : 'previewed', counts: plan.counts,
        removalsSkipped: plan.removalsSkipped, removalsNeedConfirmation: plan.removalsNeedConfirmation,
        entriesPerSecond: Math.round(plan.counts.read / seconds), finishedAt: null,
      });
      if (apply && !plan.removalsNeedConfirmation) await applyPlan(runId, actor, false, job);
      return { runId, counts: plan.counts };
    } catch (e) {
      const cancelled = job.signal.aborted;
      const d = e instanceof AppError ? null : classifyError(e);
      // The run ends failed or cancelled: its plan (complete or not) is never shown nor applied.
      await deps.withWriter(() => staging.drop(runId)).catch(() => undefined);
      await finishRun(runId, actor, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : d ? `${d.problem}: ${d.detail}` : (e as Error).message })
        .catch(() => undefined);
      if (d) throw new AppError('BAD_INPUT', `directory.problem.${d.problem}`, { detail: d.detail });
      throw e;
    }
  }

  /** Apply a planned run as ONE long mutation (users, links, the watermark and the run's state): all or nothing. */
  async function applyPlan(runId: string, actor: Actor, confirmRemovals: boolean, job: JobContext) {
    return deps.withWriter(async () => {
      // The plan lives in this console's memory: its writes travel as data, not as a re-run.
      travelAsData();
      const run = getRun(runId);
      const held = staging.get(runId);
      if (!held || !['previewed', 'awaiting_confirmation'].includes(run.state)) throw new AppError('CONFLICT', 'directory.run_not_applicable');
      if (run.removalsNeedConfirmation && !confirmRemovals) throw new AppError('BAD_INPUT', 'directory.removals_need_confirmation', { count: run.counts.removals });
      const source = getSource(held.sourceId);
      // Someone may have created a user with the same email, or another run linked the anchor, since
      // the preview: each chunk of creates is checked as its writes are made (a conflict rolls back).
      const scope = JSON.stringify(tree.subtree(tree.mainOf(source.orgId)));
      const check = (creates: PlanEntry[]) => {
        if (creates.length === 0) return;
        const taken = q.emailsTaken.all(JSON.stringify(creates.map((e) => e.user!.email.toLowerCase())), scope);
        const linked = q.linkedAnchors.all(source.id, JSON.stringify(creates.map((e) => e.user!.anchor)));
        if (taken.length > 0 || linked.length > 0) throw new AppError('CONFLICT', 'directory.plan_stale');
      };
      function* checkedEntries(): Generator<PlanEntry> {
        for (const chunk of staging.chunks(runId)) {
          check(chunk.filter((e) => e.kind === 'create'));
          yield* chunk;
        }
      }
      function* others(): Generator<PlanEntry> {
        for (const chunk of staging.chunks(runId, { notKind: 'create' })) yield* chunk;
      }
      const now = deps.clock.now().toISOString();
      const ops = planOpSource(checkedEntries(), planOpCount(staging.count(runId, 'create'), others(), source, true), source, true, [
        { op: 'update', entity: 'directorySource', id: source.id, patch: { lastRunAt: now, ...(held.deltaState ? { deltaState: held.deltaState } : {}) } },
        { op: 'update', entity: 'directoryRun', id: runId, patch: { state: 'applied', finishedAt: now } },
      ]);
      job.progress({ phase: 'applying', done: 0, total: ops.total });
      // A cancel that came before the write starts must stop it (the worker only hears later ones).
      if (job.signal.aborted) throw new AppError('BAD_INPUT', 'directory.cancelled');
      try {
        if (ops.total <= SHORT_MUTATION_OPS) {
          // A few writes (a typical delta): one short transaction here, no worker to start.
          const applyOp = createOpApplier(db, () => deps.clock.now());
          mutations.run('directory.apply', actor, (w) => {
            for (const op of ops.take(ops.total)) applyOp(w, op);
            staging.drop(runId); // in the same transaction: one commit for a small run
          });
        } else {
          const summary = await runLongMutation({
            dataDir: deps.dataDir, name: 'directory.apply', actor, at: deps.clock.now(), ops, signal: job.signal, workerUrl: deps.workers.apply,
            onProgress: (done, total) => job.progress({ phase: 'applying', done, total }),
          });
          deps.committed(summary);
          // A crash before this leaves the plan of an applied run: dropped at the next start.
          staging.drop(runId);
        }
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFLICT') throw new AppError('CONFLICT', 'directory.plan_stale');
        throw e;
      }
      return { runId, counts: run.counts };
    });
  }

  function startRun(sourceId: string, mode: 'full' | 'delta', apply: boolean, trigger: 'manual' | 'schedule', actor: Actor) {
    const source = getSource(sourceId);
    if (isRunning(sourceId)) throw new AppError('CONFLICT', 'directory.run_in_progress');
    const runId = newId();
    mutations.run('directory.run.start', actor, (w) => w.create('directoryRun', runId, {
      sourceId, orgId: source.orgId, mode, trigger, state: 'running', startedAt: deps.clock.now().toISOString(), finishedAt: null,
      counts: EMPTY_COUNTS, removalsSkipped: false, removalsNeedConfirmation: false, error: null, entriesPerSecond: 0,
    }));
    // The Portal re-running a console's run records the run; the directory is read where its password is.
    if (callScope.getStore()?.replay) return { jobId: '', runId };
    // The job's writes (the run's outcome, a scheduled apply) travel as data: a re-run could not read them.
    travelAsData();
    inProgress.set(sourceId, runId);
    const job = jobs.start('directory.run', (ctx) => readAndPlan(runId, sourceId, mode, actor, apply, ctx).finally(() => inProgress.delete(sourceId)));
    return { jobId: job.id, runId };
  }

  // Scheduled runs while the console is open: read and apply (new users still wait as pending;
  // removals above the threshold wait for an administrator).
  // Only where the bind password is in this machine's keychain: a source synced to the Portal or to
  // another technician's console travels without its password, and those must not try (and fail)
  // to reach a directory inside the client's network.
  const scheduler = setInterval(() => void (async () => {
    if (!db.open) return clearInterval(scheduler);
    const now = deps.clock.now().getTime();
    for (const s of q.scheduled.all() as { id: string; schedule_minutes: number; last_run_at: string | null; has_password: number }[]) {
      if (s.last_run_at && Date.parse(s.last_run_at) + s.schedule_minutes * 60_000 > now) continue;
      if (isRunning(s.id)) continue;
      if (s.has_password === 1 && (await secrets.get(passwordKey(s.id)).catch(() => null)) === null) continue;
      if (!db.open) return;
      const source = getSource(s.id);
      const actor = ((source.updatedBy ? q.actor.get(source.updatedBy) : undefined) ?? q.lastLocalEditor.get(s.id)) as Actor | undefined;
      if (!actor) continue;
      // Deltas never see deletions: a full reconcile at least once a day finds them.
      const lastFull = (q.lastFullApplied.get(s.id) as { at: string | null }).at;
      const mode = lastFull && Date.parse(lastFull) + FULL_RECONCILE_MS > now ? 'delta' : 'full';
      // No call runs it: on a console connected to a Portal its writes travel as data (sync/long-outbox.ts).
      void callScope.run({ method: 'directory.schedule', input: { sourceId: s.id, mode }, state: { asData: true } },
        () => deps.withWriter(() => startRun(s.id, mode, true, 'schedule', actor))).catch(() => undefined);
    }
  })(), Number(process.env.ORGDESK_DIRECTORY_TICK_MS) || 30_000); // how often the schedule is looked at; tests shorten it
  scheduler.unref();

  const requireOrg = (orgId: string) => {
    if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
  };

  return {
    'directory.sources.list': (input: ParsedIn<'directory.sources.list'>): Out<'directory.sources.list'> =>
      (q.sources.all(input.orgId) as SourceDbRow[]).map(toSource),

    'directory.sources.save': async (input: ParsedIn<'directory.sources.save'>, ctx: CallContext): Promise<Out<'directory.sources.save'>> => {
      requireOrg(input.orgId);
      try {
        userFilterOf({ kind: input.kind, userFilter: input.userFilter });
      } catch {
        throw fieldError('userFilter', 'directory.filter_invalid');
      }
      input.groupRoles.forEach((g, i) => {
        if (!q.role.get(g.roleId)) throw fieldError(`groupRoles.${i}.roleId`, 'user.role_unknown');
      });
      const existing = input.id ? getSource(input.id) : null;
      if (existing && existing.orgId !== input.orgId) throw new AppError('NOT_FOUND', 'directory.source_not_found');
      const id = input.id ?? newId();
      const scope = callScope.getStore();
      const replaying = scope?.replay !== undefined;
      if (input.recorded && !replaying) throw new AppError('BAD_INPUT', 'common.bad_input');
      if (input.bindPassword !== undefined && !input.recorded) {
        if (input.bindPassword === '') await secrets.delete(passwordKey(id));
        else await secrets.set(passwordKey(id), input.bindPassword);
      }
      const hasPassword = input.recorded ? input.recorded.hasPassword
        : input.bindPassword !== undefined ? input.bindPassword !== '' : (existing?.hasPassword ?? false);
      const { id: _id, bindPassword: _pw, recorded: _rec, ...values } = input;
      void _id; void _pw; void _rec;
      // What sync records of this call (its outbox row, the Portal's re-run): whether a password is
      // stored, never the password, which stays in this machine's keychain.
      if (scope && !replaying) scope.input = { ...(input.id ? { id: input.id } : {}), ...values, recorded: { hasPassword } };
      // A changed server or base may be another directory: the next delta starts from a full read.
      const resetDelta = existing && (existing.host !== input.host || existing.baseDn !== input.baseDn || existing.kind !== input.kind);
      mutations.run('directory.sources.save', ctx.actor, (w) => {
        if (existing) w.update('directorySource', id, { ...values, hasPassword, ...(resetDelta ? { deltaState: null } : {}) });
        else w.create('directorySource', id, { ...values, hasPassword, deltaState: null, lastRunAt: null });
      });
      // Re-run by the Portal's sync, the Writer kept the console's id for the new source.
      const saved = getSource(callScope.getStore()?.replay?.idMap.get(id) ?? id);
      const { deltaState: _d, updatedBy: _u, ...view } = saved;
      void _d; void _u;
      return view;
    },

    'directory.sources.delete': async (input: ParsedIn<'directory.sources.delete'>, ctx: CallContext): Promise<Out<'directory.sources.delete'>> => {
      const source = getSource(input.id);
      if (input.confirm.trim() !== source.name) throw fieldError('confirm', 'directory.confirm_name');
      if (isRunning(source.id)) throw new AppError('CONFLICT', 'directory.run_in_progress');
      mutations.run('directory.sources.delete', ctx.actor, (w) => {
        for (const { id } of q.linksOf.all(source.id) as { id: string }[]) w.delete('directoryLink', id);
        for (const { id } of q.runsOf.all(source.id) as { id: string }[]) w.delete('directoryRun', id);
        w.delete('directorySource', source.id);
      });
      await secrets.delete(passwordKey(source.id));
      return { ok: true };
    },

    'directory.testConnection': async (input: ParsedIn<'directory.testConnection'>): Promise<Out<'directory.testConnection'>> =>
      testConnection(settingsOf(input), await passwordFor(input.sourceId, input.bindPassword)),

    'directory.previewMapping': async (input: ParsedIn<'directory.previewMapping'>): Promise<Out<'directory.previewMapping'>> => {
      const settings = settingsOf(input);
      let client: Awaited<ReturnType<typeof connect>> | null = null;
      const entries: MappedPreview[] = [];
      try {
        client = await connect(settings, await passwordFor(input.sourceId, input.bindPassword));
        for await (const page of readUsers(client, settings, { limit: input.limit })) {
          for (const entry of page) {
            const m = mapEntry(entry, input.mapping);
            entries.push('user' in m
              ? { ...m.user, problem: null }
              : { dn: entry.dn, anchor: entry.anchor, name: '', email: '', disabled: false, attributes: {}, problem: m.problem });
          }
        }
        return { ok: true, problem: null, detail: '', entries };
      } catch (e) {
        const d = classifyError(e);
        return { ok: false, problem: d.problem, detail: d.detail, entries };
      } finally {
        if (client) await closeQuietly(client);
      }
    },

    'directory.run.start': (input: ParsedIn<'directory.run.start'>, ctx: CallContext): Out<'directory.run.start'> =>
      startRun(input.sourceId, input.mode, input.apply, 'manual', ctx.actor),

    'directory.run.get': (input: ParsedIn<'directory.run.get'>): Out<'directory.run.get'> => getRun(input.runId),

    'directory.run.items': (input: ParsedIn<'directory.run.items'>): Out<'directory.run.items'> => {
      getRun(input.runId);
      if (!staging.has(input.runId)) return { items: [], total: 0 };
      const page = staging.items(input.runId, input.kind, input.offset, input.limit);
      return { items: page.entries.map(toPlanItem), total: page.total };
    },

    'directory.run.apply': (input: ParsedIn<'directory.run.apply'>, ctx: CallContext): Out<'directory.run.apply'> => {
      const run = getRun(input.runId);
      if (!staging.has(input.runId) || !['previewed', 'awaiting_confirmation'].includes(run.state)) throw new AppError('CONFLICT', 'directory.run_not_applicable');
      if (run.removalsNeedConfirmation && !input.confirmRemovals) {
        throw fieldError('confirmRemovals', 'directory.removals_need_confirmation', { count: run.counts.removals });
      }
      const job = jobs.start('directory.apply', (jobCtx) => applyPlan(input.runId, ctx.actor, input.confirmRemovals, jobCtx));
      return { jobId: job.id };
    },

    'directory.run.discard': (input: ParsedIn<'directory.run.discard'>, ctx: CallContext): Out<'directory.run.discard'> => {
      const run = getRun(input.runId);
      if (!['previewed', 'awaiting_confirmation'].includes(run.state)) throw new AppError('CONFLICT', 'directory.run_not_applicable');
      staging.drop(input.runId);
      mutations.run('directory.run.discard', ctx.actor, (w) => w.update('directoryRun', input.runId, { state: 'discarded', finishedAt: deps.clock.now().toISOString() }));
      return getRun(input.runId);
    },

    'directory.runs.list': (input: ParsedIn<'directory.runs.list'>): Out<'directory.runs.list'> => {
      getSource(input.sourceId);
      return (q.runs.all(input.sourceId, input.limit) as RunDbRow[]).map((r) => {
        const run = toRun(r);
        // A planned run whose plan is gone (made elsewhere and synced here, or one of more than KEEP_PLANS) can no longer be applied.
        if ((run.state === 'previewed' || run.state === 'awaiting_confirmation') && !staging.has(run.id)) return { ...run, state: 'discarded' as const };
        if (run.state === 'running' && inProgress.get(run.sourceId) !== run.id) return { ...run, state: 'failed' as const, error: run.error ?? 'interrupted' };
        return run;
      });
    },

    'directory.pending.list': (input: ParsedIn<'directory.pending.list'>): Out<'directory.pending.list'> => {
      const scope = JSON.stringify(tree.subtree(input.orgId));
      const total = (q.pendingCount.get(scope) as { n: number }).n;
      const rows = q.pending.all(scope, input.limit, input.offset) as { id: string; name: string; email: string; created_at: string; dn: string }[];
      return { total, items: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, dn: r.dn, createdAt: r.created_at })) };
    },

    'directory.pending.accept': async (input: ParsedIn<'directory.pending.accept'>, ctx: CallContext): Promise<Out<'directory.pending.accept'>> => {
      requireOrg(input.orgId);
      const treeIds = tree.subtree(input.orgId);
      const scope = new Set(treeIds);
      let ids: string[];
      if (input.all) ids = (q.pendingIds.all(JSON.stringify(treeIds)) as { id: string }[]).map((r) => r.id);
      else {
        const rows = q.userStatus.all(JSON.stringify(input.ids ?? [])) as { id: string; status: string; org_id: string }[];
        if (rows.length !== new Set(input.ids).size || rows.some((r) => !scope.has(r.org_id))) throw new AppError('NOT_FOUND', 'user.not_found');
        if (rows.some((r) => r.status !== 'pending')) throw fieldError('ids', 'directory.accept_not_pending');
        ids = rows.map((r) => r.id);
      }
      if (ids.length === 0) return { accepted: 0 };
      // All or nothing; thousands of users are written by the apply worker (writeOps decides).
      await writeOps(deps, 'directory.pending.accept', ctx.actor, ids.map((id) => ({ op: 'update', entity: 'user', id, patch: { status: 'active' } })));
      return { accepted: ids.length };
    },
  };
}
