/** What the mutation pipeline knows of an entity: its table, fields and how each is treated. */

export type FieldKind =
  | 'text'
  | 'bool' // stored 0/1
  | 'json' // stored as JSON text
  | 'binary' // bytes: never copied into changes or audit; a sibling 'json' field describes them
  | 'secret' // redacted in changes and audit; stays on the machine that made it (sync never ships the entity)
  | 'hash'; // a one-way hash of a secret (an API key's): redacted in changes and audit, but it travels with sync, so the Portal can check what a console issued

export interface EntitySpec {
  /** Name in changes/audit (target_type). */
  type: string;
  table: string;
  /** Primary key column; its API name is always `id`. */
  key: string;
  fields: Record<string, { column: string; kind: FieldKind }>;
  /** Columns computed from a field on every write (search keys): column -> source field + function. */
  derived?: Record<string, { from: string; compute: (value: unknown) => unknown }>;
  /** Which organization a row belongs to (for changes.org_id and audit.org_id). */
  orgIdOf(row: Record<string, unknown>): string | null;
  label(row: Record<string, unknown>): string;
  /**
   * orgIdOf and label as SQL expressions over the entity's columns. With them, a long mutation
   * writes the changes and audit rows of a run of creates with one INSERT .. SELECT each from the
   * rows just inserted, instead of two statements per row (Writer.deferCreateLog). They must say
   * exactly what orgIdOf and label say: test/integration/bulk-create-log.test.ts compares the two.
   */
  logSql?: { orgId: string; label: string };
}

export const f = (column: string, kind: FieldKind = 'text') => ({ column, kind });
