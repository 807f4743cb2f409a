import { AsyncLocalStorage } from 'node:async_hooks';
import { newId as uuidv7 } from '../ids.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { REDACTED } from '../../../shared/model/audit-values.ts';
import { AppError } from '../errors.ts';
import { SCIM_MANAGED_FIELDS } from '../../../shared/rules/sync.ts';
import { ENTITIES, type EntityName, type EntitySpec, type FieldKind } from './entities.ts';

/**
 * The one write path. A mutation is named, runs in ONE transaction, and every entity it touches
 * appends a `changes` row (what sync ships: fields old -> new, base version, new version) and an
 * `audit` row (who, when, what, before -> after with secrets redacted). If anything throws, the
 * transaction rolls back and nothing of it remains.
 *
 * Validation happens before (zod at the boundary + the rules of each handler); authorization is
 * the `authorize` hook; the Writer is the only code that issues INSERT/UPDATE/DELETE on entities.
 */

export type Row = Record<string, unknown>;

export interface MutationContext {
  mutationId: string;
  name: string;
  actor: Actor;
  at: string;
}

export interface ChangeSummary {
  orgIds: Set<string>;
  entities: Set<string>;
}

/** An entity a run touched: its version before the run's first write to it, first old and last new values. */
export interface Touched {
  entity: EntityName;
  id: string;
  orgId: string | null;
  op: 'create' | 'update' | 'delete';
  base: number;
  old: Row;
  new: Row;
}

/** A conflict or notice found while the Portal re-runs a pushed change (shapes of shared/model/sync.ts). */
export interface ReplayConflict {
  kind: 'field' | 'deleted_remotely' | 'delete_over_edit' | 'edited_remotely' | 'rejected';
  entity: string;
  id: string;
  field: string | null;
  base: unknown;
  mine: unknown;
  theirs: unknown;
  theirsVersion: number | null;
  theirsBy: string | null;
  theirsAt: string | null;
  /** One op of a batch refused alone: its reason (otherwise the change's own code and message). */
  code?: string;
  message?: string;
}

/** A field someone else (not this console) changed after a base version. */
export interface ForeignChange { version: number; by: string | null; at: string | null }

/**
 * The Portal re-running a console's pushed change (main/core/sync): the same handler runs with the
 * same input, and the Writer (a) reuses the console's ids for what it creates, (b) merges field by
 * field against the console's base versions instead of the handler's (console-local) ones,
 * (c) refuses writes to organizations the pushing technician may not write.
 */
export interface SyncReplay {
  mutationId: string;
  /** "entity:id" -> the Portal version the console based its change on. */
  bases: Map<string, number>;
  /** "entity:id" -> field -> the value the console had before its change (for the conflict's base). */
  olds: Map<string, Row>;
  /** entity -> the console's created ids, in creation order. */
  created: Map<string, string[]>;
  /** "Keep mine": only these fields of these entities are written. */
  only?: Map<string, Set<string>>;
  canWrite(orgId: string): boolean;
  /** Fields of the entity changed after `base` by anyone but this console. */
  foreignChanges(entity: string, id: string, base: number): Map<string, ForeignChange>;
  idMap: Map<string, string>;
  conflicts: ReplayConflict[];
}

/** A replayed change the Portal could not apply as a whole (a deleted or edited organization, a reused id). */
export class ReplayAbort extends Error {
  readonly conflict: ReplayConflict | null;
  readonly code: string;
  constructor(code: string, message: string, conflict: ReplayConflict | null) {
    super(message);
    this.code = code;
    this.conflict = conflict;
  }
}

/** The contract call a mutation runs for (set by createCore's dispatcher): sync records or replays it. */
export interface CallScope {
  method: string;
  input: unknown;
  replay?: SyncReplay;
  /** Shared by the runs of one call (a handler may run more than one mutation). */
  state: Record<string, unknown>;
}
export const callScope = new AsyncLocalStorage<CallScope>();

/** What sync hangs on the write path: called inside each mutation's transaction, after its writes. */
export interface MutationHooks {
  /** Whether Writers should remember what they touched (a console connected to a Portal, or the Portal). */
  tracking(): boolean;
  beforeCommit(writer: Writer, scope: CallScope | undefined): void;
}
/** Set by the sync feature on its core's runner (each core has its own: tests run several in one process). */
export interface MutationHooksSlot { current: MutationHooks | null }

const keyOf = (entity: string, id: string) => `${entity}:${id}`;

function remapIds(value: unknown, ids: Map<string, string>): unknown {
  if (ids.size === 0) return value;
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remapIds(v, ids));
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remapIds(v, ids)]));
  }
  return value;
}

interface StoredRow extends Row {
  id: string;
  version: number;
  fieldVersions: Record<string, number>;
}

const toColumn = (kind: FieldKind, value: unknown): unknown => {
  if (value === undefined) return null;
  if (kind === 'bool') return value ? 1 : 0;
  if (kind === 'json') return value === null ? null : JSON.stringify(value);
  return value;
};

const fromColumn = (kind: FieldKind, value: unknown): unknown => {
  if (kind === 'bool') return value === 1;
  if (kind === 'json') return value === null || value === undefined ? null : JSON.parse(value as string);
  return value;
};

/** What changes/audit may hold for a value: secrets redacted, bytes left out. */
function loggable(kind: FieldKind, value: unknown): unknown {
  if (kind === 'secret' || kind === 'hash') return value === null || value === undefined ? null : REDACTED;
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const INSERT_CHANGE = `INSERT INTO changes (mutation_id, mutation, org_id, entity, entity_id, op, base_version, version, fields, actor_id, at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_AUDIT = `INSERT INTO audit (mutation_id, at, actor_id, actor_name, actor_email, org_id, action, target_type, target_id, target_label, before, after)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** How creates of one shape (entity, fields given, derived columns) are written: bulk creates reuse it all. */
interface CreateShape {
  names: string[];
  kinds: FieldKind[];
  derived: NonNullable<EntitySpec['derived']>[string][];
  sql: string;
  /** Every given field at version 1, as stored. */
  fieldVersions: string;
}
const createShapes = new Map<string, CreateShape>();
/** Prepared statements live as long as their connection, not one mutation. */
const statementsByDb = new WeakMap<Db, Map<string, Statement<unknown[]>>>();

export class Writer {
  private readonly statements: Map<string, Statement<unknown[]>>;
  readonly summary: ChangeSummary = { orgIds: new Set(), entities: new Set() };
  /** What this run touched, by "entity:id" (only when sync tracks: see MutationHooks). */
  readonly touched = new Map<string, Touched>();
  /** Ids this run created, in order (with touched). */
  readonly created: { entity: EntityName; id: string }[] = [];

  private readonly db: Db;
  readonly ctx: MutationContext;
  readonly replay: SyncReplay | undefined;
  private readonly track: boolean;
  /** Whether runs of creates may have their changes and audit rows written at once (see deferCreateLog). */
  private readonly bulkLog: boolean;
  /** The run of same-shape creates whose changes and audit rows are not written yet: rows first..last of its table. */
  private pendingLog: { spec: EntitySpec; sql: BulkLogSql; first: number; last: number } | null = null;

  constructor(db: Db, ctx: MutationContext, replay?: SyncReplay, track = false, bulkLog = false) {
    this.db = db;
    this.ctx = ctx;
    this.replay = replay;
    this.track = track || replay !== undefined;
    this.bulkLog = bulkLog && replay === undefined;
    let statements = statementsByDb.get(db);
    if (!statements) statementsByDb.set(db, (statements = new Map()));
    this.statements = statements;
  }

  private stmt(sql: string) {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  read(entity: EntityName, id: string): StoredRow | null {
    const spec: EntitySpec = ENTITIES[entity];
    if (this.replay) id = this.replay.idMap.get(id) ?? id;
    const raw = this.stmt(`SELECT * FROM ${spec.table} WHERE ${spec.key} = ?`).get(id) as Row | undefined;
    if (!raw) return null;
    const row: StoredRow = {
      id,
      version: raw.version as number,
      fieldVersions: JSON.parse(raw.field_versions as string) as Record<string, number>,
    };
    for (const [name, def] of Object.entries(spec.fields)) row[name] = fromColumn(def.kind, raw[def.column]);
    return row;
  }

  /**
   * Insert a new entity. `impliedBefore` is for entities that exist implicitly with defaults before
   * their first save (an organization's branding): the log then shows default -> new for the fields
   * that differ, rather than nothing -> everything.
   */
  create(entity: EntityName, id: string, values: Row, impliedBefore?: Row): void {
    const spec: EntitySpec = ENTITIES[entity];
    if (this.replay) {
      // The console made this id: the Portal's run reuses it, and everything that names our fresh id.
      const theirs = this.replay.created.get(entity)?.shift();
      if (theirs !== undefined && theirs !== id) this.replay.idMap.set(id, theirs);
      id = this.replay.idMap.get(id) ?? id;
      values = remapIds(values, this.replay.idMap) as Row;
      if (this.stmt(`SELECT 1 FROM ${spec.table} WHERE ${spec.key} = ?`).get(id)) {
        throw new ReplayAbort('duplicate_id', `An entity with id ${id} already exists.`, null);
      }
    }
    // The shape (which fields are given, which derived columns follow) is worked out once per shape:
    // an import creates 100,000 users of one shape.
    let cacheKey = `${spec.table}|`;
    for (const n in values) if (n in spec.fields) cacheKey += `${n},`;
    if (spec.derived) for (const c in spec.derived) if (values[spec.derived[c]!.from] !== undefined) cacheKey += `=${c},`;
    let shape = createShapes.get(cacheKey);
    if (!shape) {
      const names = Object.keys(values).filter((n) => n in spec.fields);
      const derived = Object.entries(spec.derived ?? {}).filter(([, d]) => values[d.from] !== undefined);
      const columns = [spec.key, ...names.map((n) => spec.fields[n]!.column), ...derived.map(([c]) => c), 'version',
        'field_versions', 'created_at', 'created_by', 'updated_at', 'updated_by'];
      shape = {
        names, kinds: names.map((n) => spec.fields[n]!.kind), derived: derived.map(([, d]) => d),
        sql: `INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        fieldVersions: JSON.stringify(Object.fromEntries(names.map((n) => [n, 1]))),
      };
      createShapes.set(cacheKey, shape);
    }
    const { names, kinds } = shape;
    const params: unknown[] = [id];
    for (let i = 0; i < names.length; i++) params.push(toColumn(kinds[i]!, values[names[i]!]));
    for (const d of shape.derived) params.push(d.compute(values[d.from]));
    params.push(1, shape.fieldVersions, this.ctx.at, this.ctx.actor.id, this.ctx.at, this.ctx.actor.id);
    const deferred = this.bulkLog && !impliedBefore && spec.logSql !== undefined && logsAsStored(spec, names, values);
    if (!deferred) this.flushLog();
    const rowid = Number(this.stmt(shape.sql).run(params).lastInsertRowid);
    const after: Row = { id, ...values };
    if (deferred) {
      this.deferCreateLog(spec, cacheKey, names, rowid, after);
      if (this.track) {
        this.created.push({ entity, id });
        this.touch(entity, spec, after, 'create', 0, {}, values);
      }
      return;
    }
    const fields: Record<string, { old: unknown; new: unknown }> = {};
    const auditBefore: Row = {};
    const auditAfter: Row = {};
    for (const n of names) {
      const kind = spec.fields[n]!.kind;
      if (kind === 'binary') continue;
      const old = impliedBefore ? (impliedBefore[n] ?? null) : null;
      fields[n] = { old: loggable(kind, old), new: loggable(kind, values[n]) };
      if (impliedBefore && sameValue(old, values[n])) continue;
      if (impliedBefore) auditBefore[n] = loggable(kind, old);
      auditAfter[n] = loggable(kind, values[n]);
    }
    this.record(spec, after, 'create', 0, 1, fields, impliedBefore ? auditBefore : null, auditAfter);
    if (this.track) {
      this.created.push({ entity, id });
      this.touch(entity, spec, after, 'create', 0, impliedBefore ?? {}, values);
    }
  }

  private touch(entity: EntityName, spec: EntitySpec, row: Row, op: Touched['op'], base: number, old: Row, now: Row): void {
    const id = row.id as string;
    const key = keyOf(entity, id);
    const seen = this.touched.get(key);
    const loggableOnly = (values: Row) => Object.fromEntries(Object.entries(values)
      .filter(([n]) => spec.fields[n] !== undefined && !['secret', 'hash', 'binary'].includes(spec.fields[n]!.kind)));
    if (!seen) {
      this.touched.set(key, { entity, id, orgId: spec.orgIdOf(row), op, base, old: loggableOnly(old), new: loggableOnly(now) });
      return;
    }
    for (const [n, v] of Object.entries(loggableOnly(old))) if (!(n in seen.old)) seen.old[n] = v;
    Object.assign(seen.new, loggableOnly(now));
    if (op === 'delete') seen.op = seen.op === 'create' ? 'create' : 'delete';
  }

  /**
   * Apply a patch. With `baseVersion`, a field someone else changed after that version (to a
   * different value than ours) is a conflict: nothing is written and CONFLICT names the fields.
   * Returns the fields that actually changed (none = no write, no log).
   */
  update(entity: EntityName, id: string, patch: Row, baseVersion?: number): string[] {
    this.flushLog();
    const spec: EntitySpec = ENTITIES[entity];
    if (this.replay) {
      id = this.replay.idMap.get(id) ?? id;
      patch = remapIds(patch, this.replay.idMap) as Row;
    }
    const current = this.read(entity, id);
    if (!current) throw new AppError('NOT_FOUND', 'common.not_found');
    let changed = Object.keys(patch).filter((n) => n in spec.fields && !sameValue(current[n], patch[n]));
    if (this.replay) {
      changed = this.mergeReplayed(entity, current, patch, changed);
    } else if (baseVersion !== undefined) {
      const conflicts = changed.filter((n) => (current.fieldVersions[n] ?? 0) > baseVersion);
      if (conflicts.length > 0) {
        throw new AppError('CONFLICT', 'common.conflict', { fields: conflicts.join(', ') });
      }
    }
    if (changed.length === 0) return [];
    const version = current.version + 1;
    const fieldVersions = { ...current.fieldVersions };
    for (const n of changed) fieldVersions[n] = version;
    const derived = Object.entries(spec.derived ?? {}).filter(([, d]) => changed.includes(d.from));
    const sets = [...changed.map((n) => `${spec.fields[n]!.column} = ?`), ...derived.map(([c]) => `${c} = ?`)];
    this.stmt(`UPDATE ${spec.table} SET ${sets.join(', ')}, version = ?, field_versions = ?, updated_at = ?, updated_by = ? WHERE ${spec.key} = ?`)
      .run(...changed.map((n) => toColumn(spec.fields[n]!.kind, patch[n])), ...derived.map(([, d]) => d.compute(patch[d.from])),
        version, JSON.stringify(fieldVersions), this.ctx.at, this.ctx.actor.id, id);
    const fields: Record<string, { old: unknown; new: unknown }> = {};
    const before: Row = {};
    const after: Row = {};
    for (const n of changed) {
      const kind = spec.fields[n]!.kind;
      if (kind === 'binary') continue;
      fields[n] = { old: loggable(kind, current[n]), new: loggable(kind, patch[n]) };
      before[n] = loggable(kind, current[n]);
      after[n] = loggable(kind, patch[n]);
    }
    this.record(spec, { ...current, ...patch }, 'update', current.version, version, fields, before, after);
    if (this.track) {
      const oldValues: Row = {};
      const newValues: Row = {};
      for (const n of changed) { oldValues[n] = current[n]; newValues[n] = patch[n]; }
      this.touch(entity, spec, { ...current, ...patch }, 'update', current.version, oldValues, newValues);
    }
    return changed;
  }

  /**
   * The per-field rule of a replayed update (research/sync.md §4.7): a field someone else changed
   * after the console's base keeps their value and becomes a conflict; the other fields apply.
   */
  private mergeReplayed(entity: EntityName, current: StoredRow, patch: Row, changed: string[]): string[] {
    const replay = this.replay!;
    const key = keyOf(entity, current.id);
    const only = replay.only?.get(key);
    if (replay.only && !only) return [];
    let fields = only ? changed.filter((n) => only.has(n)) : changed;
    const scimManaged = current.source === 'scim' ? fields.filter((n) => SCIM_MANAGED_FIELDS.includes(n)) : [];
    if (scimManaged.length > 0) {
      throw new ReplayAbort('scim_managed', `The identity provider manages ${scimManaged.join(', ')} of this ${entity}.`, {
        kind: 'rejected', entity, id: current.id, field: scimManaged.join(', '), base: replay.olds.get(key)?.[scimManaged[0]!] ?? null,
        mine: patch[scimManaged[0]!] ?? null, theirs: current[scimManaged[0]!] ?? null, theirsVersion: current.version, theirsBy: null, theirsAt: null,
      });
    }
    const base = replay.bases.get(key);
    if (base === undefined || fields.length === 0) return fields;
    const foreign = replay.foreignChanges(entity, current.id, base);
    const olds = replay.olds.get(key) ?? {};
    fields = fields.filter((n) => {
      const theirs = foreign.get(n);
      if (!theirs) return true;
      replay.conflicts.push({
        kind: 'field', entity, id: current.id, field: n, base: olds[n] ?? null, mine: patch[n] ?? null, theirs: current[n] ?? null,
        theirsVersion: theirs.version, theirsBy: theirs.by, theirsAt: theirs.at,
      });
      return false;
    });
    return fields;
  }

  delete(entity: EntityName, id: string, baseVersion?: number): void {
    this.flushLog();
    const spec: EntitySpec = ENTITIES[entity];
    if (this.replay) id = this.replay.idMap.get(id) ?? id;
    const current = this.read(entity, id);
    if (!current) throw new AppError('NOT_FOUND', 'common.not_found');
    if (this.replay) {
      this.checkReplayedDelete(entity, spec, current);
    } else if (baseVersion !== undefined && current.version > baseVersion) {
      throw new AppError('CONFLICT', 'common.conflict', { fields: Object.keys(current.fieldVersions).join(', ') });
    }
    this.stmt(`DELETE FROM ${spec.table} WHERE ${spec.key} = ?`).run(id);
    const before: Row = {};
    for (const [n, def] of Object.entries(spec.fields)) {
      if (def.kind !== 'binary') before[n] = loggable(def.kind, current[n]);
    }
    this.record(spec, current, 'delete', current.version, current.version + 1, {}, before, null);
    if (this.track) this.touch(entity, spec, current, 'delete', current.version, before, {});
  }

  /**
   * Delete versus someone else's edit: an organization (an entity that is its own partition) is not
   * deleted, the console is told it was edited; anything else is deleted (security-relevant rows:
   * a removed user or key must go) and the console gets a notice of the edits it overrode.
   */
  private checkReplayedDelete(entity: EntityName, spec: EntitySpec, current: StoredRow): void {
    const replay = this.replay!;
    const base = replay.bases.get(keyOf(entity, current.id));
    if (base === undefined || current.version <= base) return;
    const foreign = replay.foreignChanges(entity, current.id, base);
    if (foreign.size === 0) return;
    const latest = [...foreign.values()].sort((a, b) => b.version - a.version)[0]!;
    const conflict: ReplayConflict = {
      kind: 'delete_over_edit', entity, id: current.id, field: [...foreign.keys()].join(', '), base: null, mine: null,
      theirs: Object.fromEntries([...foreign.keys()].map((n) => [n, current[n] ?? null])), theirsVersion: latest.version,
      theirsBy: latest.by, theirsAt: latest.at,
    };
    // An entity that is its own partition (orgIdOf(row) is its id) is an organization.
    if (spec.orgIdOf(current) === current.id && spec.key === 'id') {
      throw new ReplayAbort('edited_remotely', 'The organization was changed on the Portal after you deleted it here.', { ...conflict, kind: 'edited_remotely' });
    }
    replay.conflicts.push(conflict);
  }

  /**
   * A create of a long mutation whose changes and audit rows can be told from the stored row alone
   * (logsAsStored): they are written later, for the whole run of same-shape creates at once, by one
   * INSERT .. SELECT into each log from rows first..last of the table. Two statements per run instead
   * of two per row: for a 100,000-user import about a third of the apply worker's time. The log keeps
   * the order of the writes: any other write (and the commit) writes the pending run's rows first.
   */
  private deferCreateLog(spec: EntitySpec, shapeKey: string, names: string[], rowid: number, row: Row): void {
    const pending = this.pendingLog;
    if (pending && (pending.spec !== spec || pending.sql.shapeKey !== shapeKey || pending.last + 1 !== rowid || pending.last - pending.first + 1 >= LOG_RUN_MAX)) {
      this.flushLog();
    }
    if (this.pendingLog) this.pendingLog.last = rowid;
    else this.pendingLog = { spec, sql: bulkLogSql(spec, shapeKey, names), first: rowid, last: rowid };
    const orgId = spec.orgIdOf(row);
    if (orgId) this.summary.orgIds.add(orgId);
    this.summary.entities.add(spec.type);
  }

  /** Write the changes and audit rows of the pending run of creates, if any (before any other write, and before the commit). */
  flushLog(): void {
    const pending = this.pendingLog;
    if (!pending) return;
    this.pendingLog = null;
    const { mutationId, name, actor, at } = this.ctx;
    const params = { mutationId, name, actorId: actor.id, actorName: actor.name, actorEmail: actor.email, at, type: pending.spec.type,
      first: pending.first, last: pending.last };
    this.stmt(pending.sql.changes).run(params);
    this.stmt(pending.sql.audit).run(params);
  }

  private record(spec: EntitySpec, row: Row, op: 'create' | 'update' | 'delete', baseVersion: number, version: number,
    fields: Record<string, unknown>, before: Row | null, after: Row | null): void {
    const orgId = spec.orgIdOf(row);
    if (this.replay && orgId !== null && !this.replay.canWrite(orgId)) throw new AppError('FORBIDDEN', 'sync.forbidden_org');
    const { mutationId, name, actor, at } = this.ctx;
    this.stmt(INSERT_CHANGE)
      .run(mutationId, name, orgId, spec.type, row.id as string, op, baseVersion, version, JSON.stringify(fields), actor.id, at);
    this.stmt(INSERT_AUDIT)
      .run(mutationId, at, actor.id, actor.name, actor.email, orgId, name, spec.type, row.id as string,
        spec.label(row), before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null);
    if (orgId) this.summary.orgIds.add(orgId);
    this.summary.entities.add(spec.type);
  }
}

/** Creates per INSERT .. SELECT of their log rows: bounds the statement's work, not its count. */
const LOG_RUN_MAX = 1000;

/** Whether the stored row says exactly what the per-row log would (values of the kinds and JS types SQL renders alike). */
function logsAsStored(spec: EntitySpec, names: string[], values: Row): boolean {
  for (const n of names) {
    const kind = spec.fields[n]!.kind;
    const v = values[n];
    if (kind === 'bool') {
      if (typeof v !== 'boolean') return false;
    } else if (kind === 'binary') {
      continue;
    } else if (kind === 'json' || (v !== null && typeof v !== 'string')) {
      return false;
    }
  }
  return true;
}

interface BulkLogSql { shapeKey: string; changes: string; audit: string }
const bulkLogSqlCache = new Map<string, BulkLogSql>();

/**
 * The two INSERT .. SELECT of a run of creates of one shape (entity + fields given), building in SQL
 * the JSON the per-row path builds in JS: changes.fields {field: {old: null, new}}, audit.after
 * {field: value}, secrets redacted, binary fields left out, in the same field order.
 */
function bulkLogSql(spec: EntitySpec, shapeKey: string, names: string[]): BulkLogSql {
  let sql = bulkLogSqlCache.get(shapeKey);
  if (sql) return sql;
  const logSql = spec.logSql!;
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const logged = names.filter((n) => spec.fields[n]!.kind !== 'binary');
  const value = (n: string) => {
    const { column, kind } = spec.fields[n]!;
    if (kind === 'bool') return `CASE ${column} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END`;
    if (kind === 'secret' || kind === 'hash') return `CASE WHEN ${column} IS NULL THEN NULL ELSE ${quote(REDACTED)} END`;
    return column;
  };
  const fields = `json_object(${logged.map((n) => `${quote(n)}, json_object('old', NULL, 'new', ${value(n)})`).join(', ')})`;
  const after = `json_object(${logged.map((n) => `${quote(n)}, ${value(n)}`).join(', ')})`;
  const rows = `FROM ${spec.table} WHERE rowid BETWEEN @first AND @last ORDER BY rowid`;
  sql = {
    shapeKey,
    changes: `INSERT INTO changes (mutation_id, mutation, org_id, entity, entity_id, op, base_version, version, fields, actor_id, at)
      SELECT @mutationId, @name, ${logSql.orgId}, @type, ${spec.key}, 'create', 0, 1, ${fields}, @actorId, @at ${rows}`,
    audit: `INSERT INTO audit (mutation_id, at, actor_id, actor_name, actor_email, org_id, action, target_type, target_id, target_label, before, after)
      SELECT @mutationId, @at, @actorId, @actorName, @actorEmail, ${logSql.orgId}, @name, @type, ${spec.key}, ${logSql.label}, NULL, ${after} ${rows}`,
  };
  bulkLogSqlCache.set(shapeKey, sql);
  return sql;
}

export interface MutationRunner {
  run<T>(name: string, actor: Actor, apply: (w: Writer) => T, authorize?: (actor: Actor) => void): T;
  /** Where sync hangs its hooks (main/core/sync); empty in a core that never syncs. */
  readonly hooks?: MutationHooksSlot;
}

/**
 * Run a named mutation: authorize -> apply -> changes + audit, all in one transaction.
 * `onCommitted` hears about it only after the commit (to tell windows what to refetch).
 */
export function createMutationRunner(db: Db, now: () => Date, onCommitted: (s: ChangeSummary) => void,
  hooksSlot: MutationHooksSlot = { current: null }): MutationRunner {
  const upsertActor = db.prepare(
    'INSERT INTO actors (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email',
  );
  return {
    hooks: hooksSlot,
    run(name, actor, apply, authorize) {
      authorize?.(actor);
      const scope = callScope.getStore();
      const hooks = hooksSlot.current;
      const replay = scope?.replay;
      const writer = new Writer(db, { mutationId: replay?.mutationId ?? uuidv7(), name, actor, at: now().toISOString() },
        replay, hooks?.tracking() ?? false);
      const result = db.transaction(() => {
        upsertActor.run(actor.id, actor.name, actor.email);
        const value = apply(writer);
        // Sync's outbox entry (a console) or push log (the Portal) commits with the writes or not at all.
        hooks?.beforeCommit(writer, scope);
        return value;
      })();
      if (writer.summary.entities.size > 0) onCommitted(writer.summary);
      return result;
    },
  };
}

/**
 * A mutation too large for one short transaction (a 100,000-row import): it runs on its own
 * connection, BEGIN IMMEDIATE .. COMMIT, with the caller yielding to the event loop between
 * chunks so queries keep answering (WAL readers never see the uncommitted rows). All or nothing:
 * rollback() — or a crash — leaves the database as it was. Callers hold the core's writer
 * (deps.withWriter) for its whole life, so no other write interleaves.
 */
export interface LongMutation {
  writer: Writer;
  commit(): ChangeSummary;
  rollback(): void;
}

export function beginLongMutation(db: Db, name: string, actor: Actor, now: () => Date, track = false): LongMutation {
  db.prepare('BEGIN IMMEDIATE').run();
  let open = true;
  try {
    db.prepare('INSERT INTO actors (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email')
      .run(actor.id, actor.name, actor.email);
  } catch (e) {
    db.prepare('ROLLBACK').run();
    throw e;
  }
  // track: a console connected to a Portal records what the run touched for its outbox (main/core/sync/long-outbox.ts).
  const writer = new Writer(db, { mutationId: uuidv7(), name, actor, at: now().toISOString() }, undefined, track, true);
  return {
    writer,
    commit() {
      if (!open) throw new Error('long mutation already ended');
      writer.flushLog();
      db.prepare('COMMIT').run();
      open = false;
      return writer.summary;
    },
    rollback() {
      if (!open) return;
      open = false;
      if (db.inTransaction) db.prepare('ROLLBACK').run();
    },
  };
}

/**
 * Sync's console side: write the Portal's state of an entity as it is (its version and field
 * versions included). Not a local mutation: no changes, audit or outbox row — the Portal audited it.
 * Runs inside the caller's transaction (one pull page, one push acknowledgement).
 */
export function applyRemoteRow(db: Db, spec: EntitySpec, id: string, data: Row | null, version: number,
  fieldVersions: Record<string, number>): void {
  if (data === null) {
    remoteStatement(db, `DELETE FROM ${spec.table} WHERE ${spec.key} = ?`).run(id);
    return;
  }
  const shape = remoteShape(spec, data);
  const { names, kinds, derived } = shape;
  const params: unknown[] = [id];
  for (let i = 0; i < names.length; i++) {
    const kind = kinds[i]!;
    const v = data[names[i]!];
    if (kind === 'binary') {
      const b64 = (v as { $b64?: string } | null)?.$b64;
      params.push(b64 === undefined ? null : Buffer.from(b64, 'base64'));
    } else {
      params.push(toColumn(kind, v));
    }
  }
  for (const [, d] of derived) params.push(d.compute(data[d.from]));
  params.push(version, JSON.stringify(fieldVersions), data['@createdAt'] ?? EPOCH, data['@createdBy'] ?? null,
    data['@updatedAt'] ?? EPOCH, data['@updatedBy'] ?? null);
  // Most rows of a download are new: a plain insert (an upsert costs 2-3x as much here); an existing
  // row is then updated. OR IGNORE would also swallow a broken CHECK, so "neither" is an error.
  if (remoteStatement(db, shape.insert).run(...params).changes > 0) return;
  // An existing row is often exactly the Portal's already (a row the push's answer brought, pulled
  // again): comparing costs a read, while rewriting it rewrites every index entry of the row.
  const stored = remoteStatement(db, shape.select, true).get(id) as unknown[] | undefined;
  if (stored && stored.every((v, i) => sameColumn(v, params[i + 1]))) return;
  if (remoteStatement(db, shape.update).run(...params.slice(1), id).changes === 0) {
    throw new Error(`sync: the Portal's ${spec.type} ${id} breaks a rule of this database`);
  }
}
const EPOCH = new Date(0).toISOString();

const sameColumn = (a: unknown, b: unknown): boolean =>
  a === b || (a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0);

/** How a remote row of one entity and one set of present fields is written: decided once per shape, not per row. */
interface RemoteShape {
  names: string[];
  kinds: FieldKind[];
  derived: [string, NonNullable<EntitySpec['derived']>[string]][];
  insert: string;
  update: string;
  /** The stored row's columns, in the order of insert's parameters after the key. */
  select: string;
}
const remoteShapes = new Map<string, RemoteShape>();

function remoteShape(spec: EntitySpec, data: Row): RemoteShape {
  let key = spec.table;
  for (const n in spec.fields) if (n in data && spec.fields[n]!.kind !== 'secret') key += `|${n}`;
  if (spec.derived) for (const c in spec.derived) if (data[spec.derived[c]!.from] !== undefined && data[spec.derived[c]!.from] !== null) key += `|=${c}`;
  let shape = remoteShapes.get(key);
  if (!shape) {
    const names = Object.keys(spec.fields).filter((n) => n in data && spec.fields[n]!.kind !== 'secret');
    const derived = Object.entries(spec.derived ?? {}).filter(([, d]) => data[d.from] !== undefined && data[d.from] !== null);
    const columns = [spec.key, ...names.map((n) => spec.fields[n]!.column), ...derived.map(([c]) => c), 'version', 'field_versions',
      'created_at', 'created_by', 'updated_at', 'updated_by'];
    shape = {
      names, kinds: names.map((n) => spec.fields[n]!.kind), derived,
      insert: `INSERT OR IGNORE INTO ${spec.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      update: `UPDATE ${spec.table} SET ${columns.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE ${spec.key} = ?`,
      select: `SELECT ${columns.slice(1).join(', ')} FROM ${spec.table} WHERE ${spec.key} = ?`,
    };
    remoteShapes.set(key, shape);
  }
  return shape;
}

function remoteStatement(db: Db, sql: string, raw = false): Statement<unknown[]> {
  let byDb = remoteSqlCache.get(db);
  if (!byDb) remoteSqlCache.set(db, (byDb = new Map()));
  const key = raw ? `raw:${sql}` : sql;
  let stmt = byDb.get(key);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    if (raw) stmt.raw(true);
    byDb.set(key, stmt);
  }
  return stmt;
}
const remoteSqlCache = new WeakMap<Db, Map<string, Statement<unknown[]>>>();

/**
 * Sync's compaction on the Portal: forget the change log of one organization up to `throughSeq`
 * (tombstones included). A console whose cursor is older must then download the organization again.
 */
export function compactChangeLog(db: Db, orgId: string, throughSeq: number): number {
  return db.prepare('DELETE FROM changes WHERE org_id = ? AND seq <= ?').run(orgId, throughSeq).changes;
}
