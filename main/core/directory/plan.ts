/**
 * From directory entries to a plan: what a run would create, update, disable, enable and remove,
 * decided against the users this source already linked (by anchor, never by DN or email). Nothing
 * is written here; apply turns a plan into the ops of one long mutation.
 */
import type { Db } from '../db/open-database.ts';
import type { LongOp, LongOpSource } from '../mutations/long-mutation.ts';
import { newId } from '../ids.ts';
import type { AttributeMapping, PlanItem, PlanKind, RunCounts } from '../../../shared/model/directory.ts';
import { mapEntry, removalsNeedConfirmation, type DirectoryEntry, type MappedUser, type MapProblem } from '../../../shared/rules/directory.ts';

/** One read entry after mapping: a user, or why it cannot become one. */
export type MappedItem = MappedUser | { dn: string; anchor: string; problem: MapProblem };

export const READ_ONLY_ROLE_ID = '00000000-0000-7000-8000-000000000003';

export interface LinkSnapshot {
  linkId: string;
  anchor: string;
  dn: string;
  attributes: Record<string, string>;
  disabled: boolean;
  missing: boolean;
  statusBefore: string | null;
  userId: string;
  name: string;
  email: string;
  status: string;
  roleId: string;
  userVersion: number;
}

export interface Snapshot {
  links: Map<string, LinkSnapshot>;
  /** email (lower case) -> user id, across the main organization's tree: emails are unique there. */
  emailOwners: Map<string, string>;
}

export function loadSnapshot(db: Db, sourceId: string, treeOrgIds: string[]): Snapshot {
  const links = new Map<string, LinkSnapshot>();
  const rows = db.prepare(`SELECT l.id AS link_id, l.anchor, l.dn, l.attributes, l.disabled, l.missing, l.status_before,
      u.id AS user_id, u.name, u.email, u.status, u.role_id, u.version
    FROM directory_links l JOIN users u ON u.id = l.user_id WHERE l.source_id = ?`).iterate(sourceId) as Iterable<{
    link_id: string; anchor: string; dn: string; attributes: string; disabled: number; missing: number; status_before: string | null;
    user_id: string; name: string; email: string; status: string; role_id: string; version: number;
  }>;
  for (const r of rows) {
    links.set(r.anchor, {
      linkId: r.link_id, anchor: r.anchor, dn: r.dn, attributes: JSON.parse(r.attributes) as Record<string, string>,
      disabled: r.disabled === 1, missing: r.missing === 1, statusBefore: r.status_before,
      userId: r.user_id, name: r.name, email: r.email, status: r.status, roleId: r.role_id, userVersion: r.version,
    });
  }
  const emailOwners = new Map<string, string>();
  const owners = db.prepare('SELECT id, email_fold FROM users WHERE org_id IN (SELECT value FROM json_each(?))')
    .iterate(JSON.stringify(treeOrgIds)) as Iterable<{ id: string; email_fold: string }>;
  for (const o of owners) emailOwners.set(o.email_fold, o.id);
  return { links, emailOwners };
}

/** One decided change. `user` is the directory's view; `link` the stored one (absent for creates). */
export interface PlanEntry {
  kind: PlanKind;
  user: MappedUser | null;
  link: LinkSnapshot | null;
  /** field -> [before, after] */
  changes: Record<string, [string, string]>;
  /** The user comes back after being removed by an earlier run. */
  returning: boolean;
  /** The role its groups give it, when that differs from its current one (or for a new user). */
  roleId: string | null;
  problem: string | null;
  dn: string;
}

export interface Plan {
  mode: 'full' | 'delta';
  entries: PlanEntry[];
  counts: RunCounts;
  removalsSkipped: boolean;
  removalsNeedConfirmation: boolean;
  linked: number;
}

const sameAttributes = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/**
 * Decides entry by entry as pages arrive (small work per entry), then removals at the end: only
 * after a complete full read, never after an empty one, and above the threshold only with an
 * administrator's confirmation.
 */
export class Planner {
  private readonly seen = new Set<string>();
  /** Emails (lower case) of the entries read so far: held for the whole read, so only the keys. */
  private readonly claimedEmails = new Set<string>();
  readonly entries: PlanEntry[] = [];
  readonly counts: RunCounts = { read: 0, creates: 0, updates: 0, disables: 0, enables: 0, removals: 0, unchanged: 0, errors: 0 };
  private readonly snapshot: Snapshot;
  private readonly mapping: AttributeMapping;
  private readonly mode: 'full' | 'delta';

  /** The role a DN's groups give it (groups mapped to roles), or null when roles are not managed. */
  private readonly roleOf: ((dn: string) => string) | null;

  /** Where decided entries go instead of `entries` (the run stages them in the database as they come). */
  private readonly sink: ((entry: PlanEntry) => void) | null;

  constructor(snapshot: Snapshot, mapping: AttributeMapping, mode: 'full' | 'delta', roleOf: ((dn: string) => string) | null = null,
    sink: ((entry: PlanEntry) => void) | null = null) {
    this.snapshot = snapshot;
    this.mapping = mapping;
    this.mode = mode;
    this.roleOf = roleOf;
    this.sink = sink;
  }

  private emit(entry: PlanEntry): void {
    if (this.sink) this.sink(entry);
    else this.entries.push(entry);
  }

  private roleChange(link: LinkSnapshot, dn: string): string | null {
    if (!this.roleOf) return null;
    const roleId = this.roleOf(dn);
    return roleId !== link.roleId ? roleId : null;
  }

  private error(dn: string, problem: string, user: MappedUser | null = null) {
    this.counts.errors++;
    this.emit({ kind: 'error', user, link: null, changes: {}, returning: false, roleId: null, problem, dn });
  }

  add(entry: DirectoryEntry): void {
    const mapped = mapEntry(entry, this.mapping);
    this.addMapped('user' in mapped ? mapped.user : { dn: entry.dn, anchor: entry.anchor, problem: mapped.problem });
  }

  /** An entry already mapped (by the read worker, with this planner's mapping). */
  addMapped(item: MappedItem): void {
    this.counts.read++;
    if ('problem' in item) return this.error(item.dn, item.problem);
    const user = item;
    if (this.seen.has(user.anchor)) return this.error(user.dn, 'anchor_duplicate', user);
    this.seen.add(user.anchor);
    const emailKey = user.email.toLowerCase();
    if (this.claimedEmails.has(emailKey)) return this.error(user.dn, 'email_duplicate', user);
    this.claimedEmails.add(emailKey);
    const link = this.snapshot.links.get(user.anchor) ?? null;
    const owner = this.snapshot.emailOwners.get(emailKey);
    if (owner !== undefined && owner !== link?.userId) return this.error(user.dn, 'email_taken', user);

    if (!link) {
      // A new account that is already disabled in the directory is not offered for acceptance.
      if (user.disabled) { this.counts.unchanged++; return; }
      this.counts.creates++;
      this.emit({ kind: 'create', user, link: null, changes: {}, returning: false, roleId: this.roleOf?.(user.dn) ?? READ_ONLY_ROLE_ID, problem: null, dn: user.dn });
      return;
    }
    const changes: Record<string, [string, string]> = {};
    if (link.name !== user.name) changes.name = [link.name, user.name];
    if (link.email !== user.email) changes.email = [link.email, user.email];
    if (link.dn !== user.dn) changes.dn = [link.dn, user.dn];
    if (!sameAttributes(link.attributes, user.attributes)) {
      for (const k of new Set([...Object.keys(link.attributes), ...Object.keys(user.attributes)])) {
        if ((link.attributes[k] ?? '') !== (user.attributes[k] ?? '')) changes[k] = [link.attributes[k] ?? '', user.attributes[k] ?? ''];
      }
    }
    const roleId = this.roleChange(link, user.dn);
    if (roleId) changes.role = [link.roleId, roleId];
    let kind: PlanKind | null = null;
    if (user.disabled && !link.disabled) kind = 'disable';
    else if (!user.disabled && (link.disabled || link.missing)) kind = 'enable';
    else if (user.disabled && link.missing) kind = 'update'; // back in the directory but still disabled
    else if (Object.keys(changes).length > 0) kind = 'update';
    if (!kind) { this.counts.unchanged++; return; }
    if (kind === 'disable') this.counts.disables++;
    else if (kind === 'enable') this.counts.enables++;
    else this.counts.updates++;
    this.emit({ kind, user, link, changes, returning: link.missing, roleId, problem: null, dn: user.dn });
  }

  /** `complete`: the read ended without error, cancel, size or time limit. */
  finish(complete: boolean, threshold: { count: number; percent: number }): Plan {
    let removalsSkipped = false;
    const linked = [...this.snapshot.links.values()].filter((l) => !l.missing).length;
    // A membership change touches the group, not the user (a delta does not re-read the user):
    // every linked user not read this time gets the role its groups give it now.
    if (this.roleOf && complete && this.mode === 'delta') {
      for (const link of this.snapshot.links.values()) {
        if (link.missing || this.seen.has(link.anchor)) continue;
        const roleId = this.roleChange(link, link.dn);
        if (!roleId) continue;
        this.counts.updates++;
        this.emit({ kind: 'update', user: null, link, changes: { role: [link.roleId, roleId] }, returning: false, roleId, problem: null, dn: link.dn });
      }
    }
    if (this.mode === 'full' && complete) {
      if (this.counts.read === 0 && linked > 0) removalsSkipped = true;
      else {
        for (const link of this.snapshot.links.values()) {
          if (link.missing || this.seen.has(link.anchor)) continue;
          this.counts.removals++;
          this.emit({ kind: 'remove', user: null, link, changes: {}, returning: false, roleId: null, problem: null, dn: link.dn });
        }
      }
    }
    return {
      mode: this.mode, entries: this.entries, counts: this.counts, removalsSkipped, linked,
      removalsNeedConfirmation: removalsNeedConfirmation(this.counts.removals, linked, threshold),
    };
  }
}

export function toPlanItem(e: PlanEntry): PlanItem {
  return {
    kind: e.kind, dn: e.dn, name: e.user?.name ?? e.link?.name ?? '', email: e.user?.email ?? e.link?.email ?? '',
    changes: e.changes, problem: e.problem,
  };
}

/**
 * The writes of a plan, in order. Updates carry the user's version seen when planning, so an
 * administrator's edit made since then is a CONFLICT rather than silently overwritten.
 */
export function planToOps(plan: Plan, source: { id: string; orgId: string }, includeRemovals: boolean): LongOp[] {
  const ops: LongOp[] = [];
  for (const e of plan.entries) ops.push(...entryOps(e, source, includeRemovals));
  return ops;
}

/**
 * The same writes made a batch at a time as the apply worker takes them, then `tail` (the run's
 * own bookkeeping): 100,000 planned users never exist as 200,000 ops at once. `total` is the
 * number of writes `entries` make (planOpCount), known before any is made: progress, and short or
 * long mutation, depend on it.
 */
export function planOpSource(entries: Iterator<PlanEntry>, total: number, source: { id: string; orgId: string }, includeRemovals: boolean, tail: LongOp[]): LongOpSource {
  const it = entries;
  let rest = tail;
  return {
    total: total + tail.length,
    take(max) {
      const out: LongOp[] = [];
      while (out.length < max) {
        const r = it.next();
        if (r.done) {
          out.push(...rest);
          rest = [];
          break;
        }
        out.push(...entryOps(r.value, source, includeRemovals));
      }
      return out;
    },
  };
}

/** How many writes entries make: a create is always two; the others are cheap to make and count (no ids to draw). */
export function planOpCount(creates: number, others: Iterable<PlanEntry>, source: { id: string; orgId: string }, includeRemovals: boolean): number {
  let total = 2 * creates;
  for (const e of others) total += entryOps(e, source, includeRemovals).length;
  return total;
}

/** The writes of one planned change (none for an error, or a removal not confirmed). */
function entryOps(e: PlanEntry, source: { id: string; orgId: string }, includeRemovals: boolean): LongOp[] {
  const ops: LongOp[] = [];
  if (e.kind === 'error' || (e.kind === 'remove' && !includeRemovals)) return ops;
  if (e.kind === 'create') {
    const u = e.user!;
    const userId = newId();
    ops.push({ op: 'create', entity: 'user', id: userId, values: {
      orgId: source.orgId, name: u.name, email: u.email, roleId: e.roleId ?? READ_ONLY_ROLE_ID, status: 'pending', source: 'directory',
    } });
    // Columns left to their defaults (not disabled, not missing, email login off) cost nothing in changes and audit.
    ops.push({ op: 'create', entity: 'directoryLink', id: newId(), values: {
      sourceId: source.id, orgId: source.orgId, userId, anchor: u.anchor, dn: u.dn, attributes: u.attributes,
    } });
    return ops;
  }
  const link = e.link!;
  const userPatch: Record<string, unknown> = {};
  const linkPatch: Record<string, unknown> = {};
  if (e.user) {
    if (e.changes.name) userPatch.name = e.user.name;
    if (e.changes.email) userPatch.email = e.user.email;
    linkPatch.dn = e.user.dn;
    linkPatch.attributes = e.user.attributes;
  }
  if (e.roleId) userPatch.roleId = e.roleId;
  if (e.kind === 'disable') {
    if (link.status === 'active' || link.status === 'pending') {
      userPatch.status = 'deactivated';
      linkPatch.statusBefore = link.status;
    }
    linkPatch.disabled = true;
    linkPatch.missing = false;
  } else if (e.kind === 'enable') {
    // Only what the directory took away is given back: an administrator's own deactivation stays.
    if (link.statusBefore && (link.status === 'deactivated' || link.status === 'archived')) userPatch.status = link.statusBefore;
    linkPatch.statusBefore = null;
    linkPatch.disabled = false;
    linkPatch.missing = false;
  } else if (e.kind === 'update' && e.returning) {
    linkPatch.missing = false;
    linkPatch.disabled = true;
  } else if (e.kind === 'remove') {
    // Removed before acceptance: no longer pending. Accepted users are deactivated, never deleted.
    if (link.status === 'pending') userPatch.status = 'archived';
    else if (link.status === 'active') userPatch.status = 'deactivated';
    if (userPatch.status) linkPatch.statusBefore = link.status;
    linkPatch.missing = true;
  }
  if (Object.keys(userPatch).length > 0) ops.push({ op: 'update', entity: 'user', id: link.userId, patch: userPatch, baseVersion: link.userVersion });
  ops.push({ op: 'update', entity: 'directoryLink', id: link.linkId, patch: linkPatch });
  return ops;
}

/** Where the next delta starts: AD's uSNChanged on one domain controller, or a server modifyTimestamp. */
export type DeltaState =
  | { kind: 'usn'; usn: string; dnsHostName: string; invocationId: string | null }
  | { kind: 'timestamp'; modifyTimestamp: string };

/**
 * Full or delta, and the watermark to keep. AD: uSNChanged above the stored USN, only against the
 * same domain controller (dnsHostName and invocationId unchanged: uSNChanged is per DC and a
 * restore changes invocationId), else a full read. Others: modifyTimestamp >= the last one the
 * server gave (one-second resolution: entries seen again are simply unchanged).
 */
export function chooseDelta(
  kind: 'activeDirectory' | 'openldap',
  requested: 'full' | 'delta',
  previous: DeltaState | null,
  dc: { highestCommittedUSN: string | null; dnsHostName: string | null; invocationId: string | null } | null,
): { mode: 'full' | 'delta'; extraFilter: string | undefined; extraAttributes: string[]; nextState: DeltaState | null } {
  if (kind === 'activeDirectory') {
    const usn = dc?.highestCommittedUSN && /^\d+$/.test(dc.highestCommittedUSN) ? dc.highestCommittedUSN : null;
    const nextState: DeltaState | null = usn ? { kind: 'usn', usn, dnsHostName: dc?.dnsHostName ?? '', invocationId: dc?.invocationId ?? null } : null;
    if (requested === 'delta' && previous?.kind === 'usn' && nextState?.kind === 'usn' && /^\d+$/.test(previous.usn)
      && previous.dnsHostName === nextState.dnsHostName && previous.invocationId === nextState.invocationId) {
      return { mode: 'delta', extraFilter: `(uSNChanged>=${(BigInt(previous.usn) + 1n).toString()})`, extraAttributes: [], nextState };
    }
    return { mode: 'full', extraFilter: undefined, extraAttributes: [], nextState };
  }
  if (requested === 'delta' && previous?.kind === 'timestamp' && /^[0-9]{14}(\.[0-9]+)?Z$/.test(previous.modifyTimestamp)) {
    return { mode: 'delta', extraFilter: `(modifyTimestamp>=${previous.modifyTimestamp})`, extraAttributes: ['modifyTimestamp'], nextState: previous };
  }
  return { mode: 'full', extraFilter: undefined, extraAttributes: ['modifyTimestamp'], nextState: null };
}

/** DNs compared as servers may spell them: attribute names and values case-insensitively, no spaces around , and =. */
export const normalizeDn = (dn: string): string => dn.trim().toLowerCase().replace(/\s*([,=])\s*/g, '$1');

/** The role of a DN from its groups' members: the first mapped group (in the administrator's order) that holds it. */
export function roleResolver(groups: { roleId: string; members: string[] }[]): (dn: string) => string {
  const byDn = new Map<string, string>();
  for (const g of groups) for (const m of g.members) {
    const key = normalizeDn(m);
    if (!byDn.has(key)) byDn.set(key, g.roleId);
  }
  return (dn) => byDn.get(normalizeDn(dn)) ?? READ_ONLY_ROLE_ID;
}
