/**
 * What an organization owns, for deleting it: every feature keeps rows and keychain entries per
 * organization, and deleting the organization must neither fail on one of them nor leave them
 * behind.
 *
 * - Rows: every entity whose table points at `organizations(id)` without ON DELETE CASCADE is
 *   deleted through the Writer (so it is in `changes` and the audit), children before parents, as
 *   SQLite's foreign keys say. Found from the schema, so a new feature's table is covered without
 *   being listed here. Tables that cascade go with the organization.
 * - Secrets: the keychain accounts of the organization's rows, listed per feature below, deleted
 *   after the deletion committed (the keychain is not transactional: a failed delete leaves an
 *   orphan entry, never a dangling reference).
 */
import type { Db } from '../db/open-database.ts';
import { ENTITIES, type EntityName } from '../mutations/entities.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { licenseAccount } from '../products/index.ts';
import { keychainAccount as apiKeyAccount } from '../api-keys/keys.ts';
import { scimSecretKey } from '../identity/connections.ts';
import { passwordKey as directoryBindAccount } from '../directory/index.ts';

/** Keychain accounts kept per row of these tables (id -> account). A function: the features' modules import this room's callers. */
const secretsByTable = (): readonly { table: string; account: (id: string) => string }[] => [
  { table: 'products', account: licenseAccount },
  { table: 'api_keys', account: apiKeyAccount },
  { table: 'sso_connections', account: scimSecretKey },
  { table: 'directory_sources', account: directoryBindAccount },
];

interface ForeignKey { table: string; from: string; on_delete: string }

/** The entities an organization's deletion must delete itself, children first. */
export function blockingOrgEntities(db: Db): EntityName[] {
  const specs = (Object.keys(ENTITIES) as EntityName[])
    .map((name) => ({ name, spec: ENTITIES[name] }))
    .filter(({ spec }) => spec.table !== 'organizations');
  const fks = (table: string) => db.prepare(`SELECT "table", "from", on_delete FROM pragma_foreign_key_list(?)`).all(table) as ForeignKey[];
  const blocking = specs.filter(({ spec }) =>
    fks(spec.table).some((fk) => fk.table === 'organizations' && fk.from === 'org_id' && !/CASCADE|SET NULL/i.test(fk.on_delete)));
  // Children first: a table that references another blocking table is deleted before it.
  const tables = new Set(blocking.map((b) => b.spec.table));
  const order: typeof blocking = [];
  const placed = new Set<string>();
  const visit = (b: (typeof blocking)[number], seen: Set<string>) => {
    if (placed.has(b.spec.table) || seen.has(b.spec.table)) return;
    seen.add(b.spec.table);
    // Everything that references b must come before it.
    for (const other of blocking) {
      if (other !== b && fks(other.spec.table).some((fk) => fk.table === b.spec.table && tables.has(other.spec.table))) visit(other, seen);
    }
    placed.add(b.spec.table);
    order.push(b);
  };
  for (const b of blocking) visit(b, new Set());
  return order.map((b) => b.name);
}

/** Inside the deletion's mutation: delete the organization's rows that would block it. */
export function deleteBlockingContents(w: Writer, db: Db, entities: readonly EntityName[], orgId: string): void {
  for (const name of entities) {
    const spec = ENTITIES[name];
    const ids = db.prepare(`SELECT ${spec.key} AS id FROM ${spec.table} WHERE org_id = ?`).all(orgId) as { id: string }[];
    for (const { id } of ids) {
      // An earlier delete may have cascaded to it.
      if (db.prepare(`SELECT 1 FROM ${spec.table} WHERE ${spec.key} = ?`).get(id)) w.delete(name, id);
    }
  }
}

/** The keychain accounts of an organization's rows (read before it is deleted). */
export function orgSecretAccounts(db: Db, orgId: string): string[] {
  const accounts: string[] = [];
  for (const { table, account } of secretsByTable()) {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
    if (!exists) continue;
    for (const { id } of db.prepare(`SELECT id FROM ${table} WHERE org_id = ?`).all(orgId) as { id: string }[]) accounts.push(account(id));
  }
  return accounts;
}
