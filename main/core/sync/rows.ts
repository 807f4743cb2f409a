/**
 * Entities as sync ships them, derived from ENTITIES (never a list of names): an entity syncs when
 * it belongs to an organization and holds no secret (hashes, tokens and mail bodies stay on the
 * machine that made them). A row travels as its API fields (JSON values; bytes as {$b64}), its
 * version and field versions, and who created/updated it when.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database.ts';
import { ENTITIES, type EntityName, type EntitySpec } from '../mutations/entities.ts';
import type { WireRow } from '../../../shared/model/sync.ts';

export interface SyncEntity {
  name: EntityName;
  spec: EntitySpec;
  /** The column holding the organization a row belongs to. */
  orgColumn: string;
}

const PROBE = '\u0000probe';

function orgColumnOf(spec: EntitySpec): string | null {
  // An entity that is its own partition (an organization, its branding): its key is the org id.
  if (spec.orgIdOf({ id: PROBE }) === PROBE) return spec.key;
  return spec.fields.orgId?.column ?? null;
}

let cached: SyncEntity[] | null = null;
/** Synced entities in ENTITIES order (organizations first, so a parent row arrives before its children). */
export function syncEntities(): SyncEntity[] {
  if (cached) return cached;
  cached = [];
  for (const [name, spec] of Object.entries(ENTITIES) as [EntityName, EntitySpec][]) {
    if (Object.values(spec.fields).some((f) => f.kind === 'secret')) continue;
    const orgColumn = orgColumnOf(spec);
    if (orgColumn) cached.push({ name, spec, orgColumn });
  }
  return cached;
}

export function syncEntity(name: string): SyncEntity | undefined {
  return syncEntities().find((e) => e.name === name);
}

export const META_FIELDS = { '@createdAt': 'created_at', '@createdBy': 'created_by', '@updatedAt': 'updated_at', '@updatedBy': 'updated_by' } as const;

/** A stored row as it travels. */
export function toWire(entity: SyncEntity, raw: Record<string, unknown>): WireRow {
  const data: Record<string, unknown> = {};
  for (const [n, def] of Object.entries(entity.spec.fields)) {
    const v = raw[def.column];
    if (def.kind === 'bool') data[n] = v === 1;
    else if (def.kind === 'json') data[n] = v === null || v === undefined ? null : JSON.parse(v as string);
    else if (def.kind === 'binary') data[n] = v === null || v === undefined ? null : { $b64: Buffer.from(v as Uint8Array).toString('base64') };
    else data[n] = v ?? null;
  }
  for (const [n, column] of Object.entries(META_FIELDS)) data[n] = raw[column] ?? null;
  return {
    orgId: String(raw[entity.orgColumn]), entity: entity.name, id: String(raw[entity.spec.key]), op: 'put',
    version: raw.version as number, fieldVersions: JSON.parse(raw.field_versions as string) as Record<string, number>, data,
  };
}

export function readRaw(db: Db, entity: SyncEntity, id: string): Record<string, unknown> | undefined {
  let byEntity = rowStatements.get(db);
  if (!byEntity) rowStatements.set(db, (byEntity = new Map()));
  let stmt = byEntity.get(entity.name);
  if (!stmt) byEntity.set(entity.name, (stmt = db.prepare(`SELECT * FROM ${entity.spec.table} WHERE ${entity.spec.key} = ?`)));
  return stmt.get(id) as Record<string, unknown> | undefined;
}
/** One prepared read per entity and connection: preparing it for each row (each pushed change's answer, each changed row of a pull) cost more than the read. */
const rowStatements = new WeakMap<Db, Map<string, Statement>>();

/** The Portal's current state of one entity (a delete when it is gone or left the readable orgs). */
export function currentRow(db: Db, entityName: string, id: string, orgId: string, readable?: (orgId: string) => boolean): WireRow | null {
  const entity = syncEntity(entityName);
  if (!entity) return null;
  const raw = readRaw(db, entity, id);
  if (!raw || (readable && !readable(String(raw[entity.orgColumn])))) return { orgId, entity: entity.name, id, op: 'delete', version: 0 };
  return toWire(entity, raw);
}
