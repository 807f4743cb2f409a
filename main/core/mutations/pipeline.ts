import { newId as uuidv7 } from '../ids.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { REDACTED } from '../../../shared/model/audit.ts';
import { AppError } from '../errors.ts';
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
  if (kind === 'secret') return value === null || value === undefined ? null : REDACTED;
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

/** INSERT statements by entity and field list: bulk creates reuse one prepared statement. */
const insertSqlCache = new Map<string, string>();
/** Prepared statements live as long as their connection, not one mutation. */
const statementsByDb = new WeakMap<Db, Map<string, Statement<unknown[]>>>();

export class Writer {
  private readonly statements: Map<string, Statement<unknown[]>>;
  readonly summary: ChangeSummary = { orgIds: new Set(), entities: new Set() };

  private readonly db: Db;
  readonly ctx: MutationContext;

  constructor(db: Db, ctx: MutationContext) {
    this.db = db;
    this.ctx = ctx;
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
    const names = Object.keys(values).filter((n) => n in spec.fields);
    const fieldVersions = Object.fromEntries(names.map((n) => [n, 1]));
    const derived = Object.entries(spec.derived ?? {}).filter(([, d]) => values[d.from] !== undefined);
    const cacheKey = `${spec.table}|${names.join(',')}|${derived.map(([c]) => c).join(',')}`;
    let sql = insertSqlCache.get(cacheKey);
    if (!sql) {
      const columns = [spec.key, ...names.map((n) => spec.fields[n]!.column), ...derived.map(([c]) => c), 'version',
        'field_versions', 'created_at', 'created_by', 'updated_at', 'updated_by'];
      sql = `INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      insertSqlCache.set(cacheKey, sql);
    }
    const params = [id, ...names.map((n) => toColumn(spec.fields[n]!.kind, values[n])),
      ...derived.map(([, d]) => d.compute(values[d.from])), 1,
      JSON.stringify(fieldVersions), this.ctx.at, this.ctx.actor.id, this.ctx.at, this.ctx.actor.id];
    this.stmt(sql).run(...params);
    const after: Row = { id, ...values };
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
  }

  /**
   * Apply a patch. With `baseVersion`, a field someone else changed after that version (to a
   * different value than ours) is a conflict: nothing is written and CONFLICT names the fields.
   * Returns the fields that actually changed (none = no write, no log).
   */
  update(entity: EntityName, id: string, patch: Row, baseVersion?: number): string[] {
    const spec: EntitySpec = ENTITIES[entity];
    const current = this.read(entity, id);
    if (!current) throw new AppError('NOT_FOUND', 'common.not_found');
    const changed = Object.keys(patch).filter((n) => n in spec.fields && !sameValue(current[n], patch[n]));
    if (baseVersion !== undefined) {
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
    return changed;
  }

  delete(entity: EntityName, id: string, baseVersion?: number): void {
    const spec: EntitySpec = ENTITIES[entity];
    const current = this.read(entity, id);
    if (!current) throw new AppError('NOT_FOUND', 'common.not_found');
    if (baseVersion !== undefined && current.version > baseVersion) {
      throw new AppError('CONFLICT', 'common.conflict', { fields: Object.keys(current.fieldVersions).join(', ') });
    }
    this.stmt(`DELETE FROM ${spec.table} WHERE ${spec.key} = ?`).run(id);
    const before: Row = {};
    for (const [n, def] of Object.entries(spec.fields)) {
      if (def.kind !== 'binary') before[n] = loggable(def.kind, current[n]);
    }
    this.record(spec, current, 'delete', current.version, current.version + 1, {}, before, null);
  }

  private record(spec: EntitySpec, row: Row, op: 'create' | 'update' | 'delete', baseVersion: number, version: number,
    fields: Record<string, unknown>, before: Row | null, after: Row | null): void {
    const orgId = spec.orgIdOf(row);
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

export interface MutationRunner {
  run<T>(name: string, actor: Actor, apply: (w: Writer) => T, authorize?: (actor: Actor) => void): T;
}

/**
 * Run a named mutation: authorize -> apply -> changes + audit, all in one transaction.
 * `onCommitted` hears about it only after the commit (to tell windows what to refetch).
 */
export function createMutationRunner(db: Db, now: () => Date, onCommitted: (s: ChangeSummary) => void): MutationRunner {
  const upsertActor = db.prepare(
    'INSERT INTO actors (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email',
  );
  return {
    run(name, actor, apply, authorize) {
      authorize?.(actor);
      const writer = new Writer(db, { mutationId: uuidv7(), name, actor, at: now().toISOString() });
      const result = db.transaction(() => {
        upsertActor.run(actor.id, actor.name, actor.email);
        return apply(writer);
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

export function beginLongMutation(db: Db, name: string, actor: Actor, now: () => Date): LongMutation {
  db.prepare('BEGIN IMMEDIATE').run();
  let open = true;
  try {
    db.prepare('INSERT INTO actors (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email')
      .run(actor.id, actor.name, actor.email);
  } catch (e) {
    db.prepare('ROLLBACK').run();
    throw e;
  }
  const writer = new Writer(db, { mutationId: uuidv7(), name, actor, at: now().toISOString() });
  return {
    writer,
    commit() {
      if (!open) throw new Error('long mutation already ended');
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
