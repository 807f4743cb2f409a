/**
 * `users.applyBatch`: the Portal's re-run of one chunk of a console's long mutation (an import, a
 * bulk action on thousands of users, a directory import; see sync/long-outbox.ts). Never a row
 * copy: each op is checked as users.create / users.update check a user (every field by the same
 * schema, organization and role exist, email unique in the main organization's tree, email login
 * allowed there, moves inside the tree) and written through the Writer in the push's replay mode,
 * which reuses the console's ids, merges field by field against its base versions (a field changed
 * on the Portal since becomes a conflict), refuses SCIM-managed fields and organizations outside
 * the caller's tree. A user whose email login this switches on gets the Portal's own welcome email,
 * as a short users.create would. A directory import's links (checked against their source and
 * user), its source's watermark and its run's final state are taken too; other entities of a bulk
 * change are refused by name (`not_syncable`), never dropped.
 *
 * Row by row: an op that breaks a rule is refused alone (its savepoint rolls back) and comes back
 * to the console as a `rejected` entry naming the user and the reason; the chunk's other ops apply.
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import { BATCH_DIRECTORY_OPS, BatchUserOp, type BatchOpWire } from '../../../shared/model/sync-batch.ts';
import { AppError, fromZodError } from '../errors.ts';
import { callScope, ReplayAbort, type ReplayConflict, type Row, type Writer } from '../mutations/pipeline.ts';
import { createOpApplier } from '../mutations/apply-op.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { createUserRules } from '../handlers/user-rules.ts';

/** The console mutations whose chunks this re-runs: the Portal's audit names the chunk after them. */
const ORIGINS = new Set(['users.import', 'users.setStatus', 'users.setEmailLogin', 'users.delete', 'directory.apply', 'directory.run.finish',
  'directory.pending.accept', 'auth.setEmailPassword', 'users.resetTwoFactor', 'users.setEmailCode']);

const codeOf = (e: AppError) => e.code === 'FORBIDDEN' ? 'forbidden' : e.code === 'BAD_INPUT' ? 'validation' : e.code === 'NOT_FOUND' ? 'not_found'
  : e.code === 'CONFLICT' ? 'conflict' : e.code.toLowerCase();

export function createUsersBatchHandlers(deps: CoreDeps) {
  const { db } = deps;
  const orgTree = createOrgTree(db);
  // Per call: the tree answers memoized (a chunk of 1,000 users asks about the same few organizations;
  // a batch creates no organization, so the answers hold for the whole call).
  let tree = orgTree;
  let rules = createUserRules(db, tree);
  const memo = <T>(fn: (id: string) => T) => {
    const known = new Map<string, T>();
    return (id: string): T => {
      if (!known.has(id)) known.set(id, fn(id));
      return known.get(id)!;
    };
  };
  // Per call too: the welcome emails' link base (the Portal's public URL) is read when first needed.
  let applyOp = createOpApplier(db, () => deps.clock.now());
  const q = {
    user: db.prepare('SELECT org_id, email_login_enabled FROM users WHERE id = ?'),
    deletedHere: db.prepare("SELECT 1 FROM changes WHERE entity = ? AND entity_id = ? AND op = 'delete' LIMIT 1"),
    source: db.prepare('SELECT org_id FROM directory_sources WHERE id = ?'),
    link: db.prepare('SELECT 1 FROM directory_links WHERE id = ?'),
    run: db.prepare('SELECT 1 FROM directory_runs WHERE id = ?'),
  };
  const gone = (entity: string, id: string, key: string) => q.deletedHere.get(entity, id)
    ? new ReplayAbort('deleted_remotely', 'It was deleted on the Portal.', null)
    : new AppError('NOT_FOUND', key);

  /** One user op, checked and written; throws (AppError, ReplayAbort) to refuse it. */
  function applyUserOp(w: Writer, raw: BatchOpWire): void {
    const parsed = BatchUserOp.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const op = parsed.data;
    if (op.op === 'create') {
      const v = op.values;
      rules.requireOrg(v.orgId);
      rules.requireRole(v.roleId);
      rules.assertEmailFree(v.email, v.orgId, null);
      if (v.emailLoginEnabled) rules.assertEmailLoginAllowed(v.orgId);
      w.create('user', op.id, v as Row);
      if (v.emailLoginEnabled) applyOp(w, { op: 'welcome', userId: op.id });
      return;
    }
    const current = q.user.get(op.id) as { org_id: string; email_login_enabled: number } | undefined;
    if (op.op === 'delete') {
      if (current) w.delete('user', op.id);
      return; // already gone here: the console's wish holds
    }
    if (!current) throw gone('user', op.id, 'user.not_found');
    const c = op.changes;
    const targetOrg = c.orgId ?? current.org_id;
    if (c.roleId !== undefined) rules.requireRole(c.roleId);
    if (c.orgId !== undefined && c.orgId !== current.org_id) {
      rules.requireOrg(c.orgId);
      rules.assertMoveInsideTree(current.org_id, c.orgId);
    }
    if (c.email !== undefined) rules.assertEmailFree(c.email, targetOrg, op.id);
    const switchingOn = c.emailLoginEnabled === true && current.email_login_enabled !== 1;
    if (switchingOn) rules.assertEmailLoginAllowed(targetOrg);
    const changed = w.update('user', op.id, c as Row);
    if (switchingOn && changed.includes('emailLoginEnabled')) applyOp(w, { op: 'welcome', userId: op.id });
  }

  /**
   * A directory import's other writes: a link joins a user of the source's main organization to
   * its entry in the source's directory; the source's watermark and the run's final state.
   */
  function applyDirectoryOp(w: Writer, raw: BatchOpWire, schema: (typeof BATCH_DIRECTORY_OPS)[keyof typeof BATCH_DIRECTORY_OPS]): void {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const op = parsed.data;
    if (op.entity === 'directoryLink' && op.op === 'create') {
      const v = op.values;
      const source = q.source.get(v.sourceId) as { org_id: string } | undefined;
      if (!source || source.org_id !== v.orgId) throw new AppError('NOT_FOUND', 'directory.source_not_found');
      const user = q.user.get(v.userId) as { org_id: string } | undefined;
      if (!user || tree.mainOf(user.org_id) !== tree.mainOf(v.orgId)) throw new AppError('NOT_FOUND', 'user.not_found');
      w.create('directoryLink', op.id, v as Row);
    } else if (op.entity === 'directoryLink') {
      if (!q.link.get(op.id)) {
        if (op.op === 'delete') return; // already gone here
        throw gone('directoryLink', op.id, 'common.not_found');
      }
      if (op.op === 'delete') w.delete('directoryLink', op.id);
      else w.update('directoryLink', op.id, op.changes as Row);
    } else if (op.entity === 'directoryRun' && op.op === 'create') {
      const source = q.source.get(op.values.sourceId) as { org_id: string } | undefined;
      if (!source || source.org_id !== op.values.orgId) throw new AppError('NOT_FOUND', 'directory.source_not_found');
      w.create('directoryRun', op.id, op.values as Row);
    } else if (op.entity === 'directorySource') {
      if (!q.source.get(op.id)) throw gone('directorySource', op.id, 'directory.source_not_found');
      w.update('directorySource', op.id, op.changes as Row);
    } else {
      if (!q.run.get(op.id)) throw gone('directoryRun', op.id, 'directory.run_not_found');
      w.update('directoryRun', op.id, op.changes as Row);
    }
  }

  function refusal(raw: BatchOpWire, e: unknown): ReplayConflict {
    const mine = (raw.values ?? raw.changes ?? null) as unknown;
    const base = { entity: String(raw.entity), id: String(raw.id), base: null, mine, theirs: null, theirsVersion: null, theirsBy: null, theirsAt: null };
    if (e instanceof ReplayAbort) {
      return e.conflict
        ? { ...e.conflict, code: e.code, message: e.message }
        : { kind: e.code === 'deleted_remotely' ? 'deleted_remotely' : 'rejected', field: null, ...base, code: e.code, message: e.message };
    }
    if (e instanceof AppError) {
      const fields = Object.keys(e.fields ?? {});
      return { kind: 'rejected', field: fields.length > 0 ? fields.join(', ') : null, ...base, code: codeOf(e), message: e.message };
    }
    const sqliteCode = (e as { code?: unknown }).code;
    if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
      return { kind: 'rejected', field: null, ...base, code: 'validation', message: 'The change breaks a rule of the data.' };
    }
    // A fault of the Portal's own code on this op: refused for good (a poison op must not block the queue).
    return { kind: 'rejected', field: null, ...base, code: 'internal', message: 'The Portal could not apply this change.' };
  }

  return {
    'users.applyBatch': (input: ParsedIn<'users.applyBatch'>, ctx: CallContext): Out<'users.applyBatch'> => {
      const replay = callScope.getStore()?.replay;
      // Only the Portal's re-run of a console's change (or "keep mine" of one of its conflicts) runs it.
      if (!replay) throw new AppError('FORBIDDEN', 'sync.batch_replay_only');
      // The ids travel in the ops: an op refused before its create must not shift the ids of the next ones.
      replay.created.clear();
      tree = { ...orgTree, mainOf: memo((id) => orgTree.mainOf(id)), subtree: memo((id) => orgTree.subtree(id)) };
      rules = createUserRules(db, tree);
      applyOp = createOpApplier(db, () => deps.clock.now());
      let applied = 0;
      const refused: ReplayConflict[] = [];
      const notTaken = new Map<string, number>();
      const name = ORIGINS.has(input.origin) ? input.origin : 'users.applyBatch';
      deps.mutations.run(name, ctx.actor, (w) => {
        for (const raw of input.ops) {
          // "Keep mine" of one conflict: only that entity is written again.
          if (replay.only && !replay.only.has(`${raw.entity}:${raw.id}`)) continue;
          const directorySchema = BATCH_DIRECTORY_OPS[`${raw.entity}.${raw.op}` as keyof typeof BATCH_DIRECTORY_OPS];
          if (raw.entity !== 'user' && !directorySchema) {
            notTaken.set(raw.entity, (notTaken.get(raw.entity) ?? 0) + 1);
            continue;
          }
          const mark = replay.conflicts.length;
          try {
            // A savepoint per op: a refused op leaves nothing behind, the others stay.
            db.transaction(() => (directorySchema ? applyDirectoryOp(w, raw, directorySchema) : applyUserOp(w, raw)))();
            applied++;
          } catch (e) {
            const sqliteCode = (e as { code?: unknown }).code;
            // Infrastructure (disk, lock): the whole push fails and the console sends it again.
            if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_') && !sqliteCode.startsWith('SQLITE_CONSTRAINT')) throw e;
            replay.conflicts.length = mark;
            refused.push(refusal(raw, e));
          }
        }
        for (const [entity, count] of notTaken) {
          const first = input.ops.find((o) => o.entity === entity)!;
          refused.push({
            kind: 'rejected', entity, id: first.id, field: null, base: null, mine: null, theirs: null, theirsVersion: null, theirsBy: null,
            theirsAt: null, code: 'not_syncable',
            message: `${count} ${entity} change(s) of this bulk change were refused: the Portal takes users and directory links from bulk changes, not ${entity} rows. They were undone here.`,
          });
        }
        replay.conflicts.push(...refused);
      });
      deps.mail.kick(); // welcome emails were queued with the users
      return { applied, rejected: refused.length };
    },
  };
}
