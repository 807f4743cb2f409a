/**
 * Pure rules of directory import: RFC 4515/4514 escaping, objectGUID, userAccountControl, AD range
 * retrieval (recorded replies at the 1500 boundary and beyond), mapping, the removal threshold,
 * the delta choice, and the planner over recorded AD entries.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from 'ldapts';
import {
  escapeDnValue, escapeFilterBytes, escapeFilterValue, guidToBytes, guidToString, isFilterSyntax, isUacDisabled, mapEntry, parseRangeKey,
  readAllValues, removalsNeedConfirmation, unescapeDnValue,
} from '../../shared/rules/directory.ts';
import { MAPPING_PRESETS } from '../../shared/model/directory.ts';
import { toDirectoryEntry } from '../../main/core/directory/ldap.ts';
import type { LongOp } from '../../main/core/mutations/long-mutation.ts';
import { chooseDelta, normalizeDn, Planner, planOpCount, planOpSource, planToOps, READ_ONLY_ROLE_ID, roleResolver, type LinkSnapshot } from '../../main/core/directory/plan.ts';
import { DSE_H0, DSE_H1, GUID_VECTOR, UAC_SAMPLES, adUser, rangedGroupReplies } from '../fixtures/directory/ad-recorded.ts';

describe('escaping', () => {
  it('filters: RFC 4515 escapes NUL ( ) * \\ and nothing else', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('C:\\MyFile')).toBe('C:\\5cMyFile');
    expect(escapeFilterValue('a\0b')).toBe('a\\00b');
    expect(escapeFilterValue('Lučić João')).toBe('Lučić João');
    expect(escapeFilterBytes(new Uint8Array([0, 0, 0, 4]))).toBe('\\00\\00\\00\\04');
  });
  it('DNs: RFC 4514 specials anywhere, space and # at the ends, and they round-trip', () => {
    expect(escapeDnValue('Smith, Jr.')).toBe('Smith\\, Jr.');
    expect(escapeDnValue('#Smith <boss>+"x"; a\\b ')).toBe('\\#Smith \\<boss\\>\\+\\"x\\"\\; a\\\\b\\ ');
    expect(escapeDnValue(' lead')).toBe('\\ lead');
    expect(escapeDnValue('a\0b')).toBe('a\\00b');
    for (const v of ['x\\ ', ' ', '#Smith, Jr. <boss>+"x"; a\\b ', ' lead', 'José*(evil)', 'trail ', 'a=b', 'Øvergård, Ø']) {
      expect(unescapeDnValue(escapeDnValue(v))).toBe(v);
    }
    // What OpenLDAP answers for the same DN (hex form) reads back the same.
    expect(unescapeDnValue('\\23Smith\\2C Jr. \\3Cboss\\3E')).toBe('#Smith, Jr. <boss>');
    expect(unescapeDnValue('Jo\\C3\\A3o')).toBe('João');
  });
  it('an administrator filter must be balanced and parenthesized', () => {
    expect(isFilterSyntax('(&(objectCategory=person)(objectClass=user))')).toBe(true);
    expect(isFilterSyntax('(cn=a\\29b)')).toBe(true);
    expect(isFilterSyntax('(&(objectClass=user)')).toBe(false);
    expect(isFilterSyntax('objectClass=user')).toBe(false);
    expect(isFilterSyntax('(a=b)(c=d)')).toBe(false);
  });
});

describe('Active Directory values', () => {
  it('objectGUID: the first three fields are little-endian', () => {
    const bytes = new Uint8Array(Buffer.from(GUID_VECTOR.base64, 'base64'));
    expect(guidToString(bytes)).toBe(GUID_VECTOR.text);
    expect(Buffer.from(guidToBytes(GUID_VECTOR.text)).toString('base64')).toBe(GUID_VECTOR.base64);
    expect(Buffer.from(guidToBytes(`{${GUID_VECTOR.text.toUpperCase()}}`)).toString('base64')).toBe(GUID_VECTOR.base64);
    expect(() => guidToString(new Uint8Array(15))).toThrow();
  });
  it('userAccountControl: disabled is bit 2, whatever else is set', () => {
    for (const s of UAC_SAMPLES) expect(isUacDisabled(s.value), s.value).toBe(s.disabled);
    expect(isUacDisabled(undefined)).toBe(false);
    expect(isUacDisabled('')).toBe(false);
  });
  it('range keys', () => {
    expect(parseRangeKey('member;range=0-1499')).toEqual({ attribute: 'member', low: 0, high: 1499 });
    expect(parseRangeKey('Member;Range=1500-*')).toEqual({ attribute: 'Member', low: 1500, high: '*' });
    expect(parseRangeKey('member')).toBeNull();
  });
  it.each([0, 1, 1499, 1500, 1501, 3000, 5000, 10_000])('ranged member retrieval reads every member of a %i-member group', async (size) => {
    const replies = rangedGroupReplies(size);
    const asked: string[] = [];
    const members = await readAllValues('member', async (attr) => { asked.push(attr); return replies(attr); });
    expect(members).toHaveLength(size);
    expect(new Set(members).size).toBe(size);
    expect(asked.length).toBe(size <= 1500 ? 1 : Math.ceil(size / 1500));
  });
  it('a server that answers plainly (Samba, OpenLDAP) is read in one request', async () => {
    const members = await readAllValues('member', async () => ({ member: ['a', 'b'] }));
    expect(members).toEqual(['a', 'b']);
  });
  it('a recorded AD entry becomes a user keyed by its GUID, disabled by bit 2', () => {
    const entry = toDirectoryEntry(adUser(1, { userAccountControl: '66050' }) as unknown as Entry, 'objectGUID');
    expect(entry.anchor).toBe(GUID_VECTOR.text);
    const mapped = mapEntry(entry, MAPPING_PRESETS.activeDirectory);
    expect(mapped).toEqual({ user: {
      anchor: GUID_VECTOR.text, dn: 'CN=u000001,OU=Staff,DC=example,DC=test', name: 'João Silva 1', email: 'u000001@example.test', disabled: true,
      attributes: { login: 'u000001@example.test', givenName: 'João', surname: 'Silva', department: 'Finance', title: 'Analyst', phone: '+55 11 5555-0000', manager: 'CN=boss,OU=Staff,DC=example,DC=test' },
    } });
    // A GUID that arrived as text (not 16 bytes) is never used as an anchor.
    expect(toDirectoryEntry(adUser(2, { objectGUID: 'not-a-guid' }) as unknown as Entry, 'objectGUID').anchor).toBe('');
  });
  it('mapping problems: no email, a bad email', () => {
    const noMail = toDirectoryEntry(adUser(3, { mail: [] }) as unknown as Entry, 'objectGUID');
    expect(mapEntry(noMail, MAPPING_PRESETS.activeDirectory)).toMatchObject({ problem: 'email_missing' });
    const bad = toDirectoryEntry(adUser(3, { mail: 'no at sign' }) as unknown as Entry, 'objectGUID');
    expect(mapEntry(bad, MAPPING_PRESETS.activeDirectory)).toMatchObject({ problem: 'email_invalid' });
  });
});

describe('delta choice', () => {
  it('AD: uSNChanged above the stored USN, on the same domain controller only', () => {
    const first = chooseDelta('activeDirectory', 'delta', null, DSE_H0);
    expect(first).toMatchObject({ mode: 'full', extraFilter: undefined, nextState: { kind: 'usn', usn: '5973', dnsHostName: 'dc1.example.test' } });
    const next = chooseDelta('activeDirectory', 'delta', first.nextState, DSE_H1);
    expect(next).toMatchObject({ mode: 'delta', extraFilter: '(uSNChanged>=5974)', nextState: { usn: '5977' } });
    expect(chooseDelta('activeDirectory', 'delta', first.nextState, { ...DSE_H1, dnsHostName: 'dc2.example.test' }).mode).toBe('full');
    expect(chooseDelta('activeDirectory', 'delta', first.nextState, { ...DSE_H1, invocationId: 'restored' }).mode).toBe('full');
    expect(chooseDelta('activeDirectory', 'full', first.nextState, DSE_H1).mode).toBe('full');
  });
  it('OpenLDAP: modifyTimestamp from the server', () => {
    expect(chooseDelta('openldap', 'delta', null, null).mode).toBe('full');
    expect(chooseDelta('openldap', 'delta', { kind: 'timestamp', modifyTimestamp: '20261123081500Z' }, null))
      .toMatchObject({ mode: 'delta', extraFilter: '(modifyTimestamp>=20261123081500Z)' });
    expect(chooseDelta('openldap', 'delta', { kind: 'timestamp', modifyTimestamp: '2026)(x=*' }, null).mode).toBe('full');
  });
});

describe('groups and roles', () => {
  it('DNs compare as servers spell them; the first mapped group wins; no group gives Read-only', () => {
    expect(normalizeDn('CN=Ana Silva , OU=Staff,DC=Example,DC=test')).toBe(normalizeDn('cn=ana silva,ou=staff,dc=example,dc=test'));
    const roleOf = roleResolver([
      { roleId: 'admin', members: ['CN=A,OU=Staff,DC=example,DC=test'] },
      { roleId: 'operator', members: ['cn=a,ou=staff,dc=example,dc=test', 'CN=B,OU=Staff,DC=example,DC=test'] },
    ]);
    expect(roleOf('cn=A, ou=Staff, dc=example, dc=test')).toBe('admin');
    expect(roleOf('CN=B,OU=Staff,DC=example,DC=test')).toBe('operator');
    expect(roleOf('CN=C,OU=Staff,DC=example,DC=test')).toBe(READ_ONLY_ROLE_ID);
  });
});

describe('planner', () => {
  const threshold = { count: 500, percent: 10 };
  const link = (n: number, over: Partial<LinkSnapshot> = {}): LinkSnapshot => {
    const e = toDirectoryEntry(adUser(n) as unknown as Entry, 'objectGUID');
    const m = mapEntry(e, MAPPING_PRESETS.activeDirectory) as { user: { name: string; email: string; attributes: Record<string, string> } };
    return { linkId: `l${n}`, anchor: e.anchor, dn: e.dn, attributes: m.user.attributes, disabled: false, missing: false, statusBefore: null,
      userId: `u${n}`, name: m.user.name, email: m.user.email, status: 'active', roleId: READ_ONLY_ROLE_ID, userVersion: 3, ...over };
  };
  const snapshot = (links: LinkSnapshot[]) => ({ links: new Map(links.map((l) => [l.anchor, l])), emailOwners: new Map(links.map((l) => [l.email.toLowerCase(), l.userId])) });
  const entry = (n: number, over: Record<string, unknown> = {}) => toDirectoryEntry(adUser(n, over) as unknown as Entry, 'objectGUID');

  it('creates, updates (a move keeps the user), disables, re-enables, and removes only after a complete read', () => {
    const links = Array.from({ length: 20 }, (_, i) => link(i + 1));
    links[4] = { ...links[4]!, disabled: true, status: 'deactivated', statusBefore: 'active' };
    const p = new Planner(snapshot(links), MAPPING_PRESETS.activeDirectory, 'full');
    for (let n = 1; n <= 19; n++) {
      if (n === 2) p.add(entry(2, { dn: 'CN=u000002,OU=Moved,DC=example,DC=test', title: 'Director' }));
      else if (n === 3) p.add(entry(3, { userAccountControl: '514' }));
      else p.add(entry(n));
    }
    p.add(entry(100));
    const plan = p.finish(true, threshold);
    expect(plan.counts).toEqual({ read: 20, creates: 1, updates: 1, disables: 1, enables: 1, removals: 1, unchanged: 16, errors: 0 });
    const ops = planToOps(plan, { id: 'src', orgId: 'org' }, true);
    expect(ops.filter((o) => o.op === 'update' && o.entity === 'user')).toEqual(expect.arrayContaining([
      { op: 'update', entity: 'user', id: 'u3', patch: { status: 'deactivated' }, baseVersion: 3 },
      { op: 'update', entity: 'user', id: 'u5', patch: { status: 'active' }, baseVersion: 3 },
      { op: 'update', entity: 'user', id: 'u20', patch: { status: 'deactivated' }, baseVersion: 3 },
    ]));
    expect(ops.find((o) => o.op === 'create' && o.entity === 'user')).toMatchObject({ values: { status: 'pending', source: 'directory' } });
    // A failed or partial read removes nobody.
    const partial = new Planner(snapshot(links), MAPPING_PRESETS.activeDirectory, 'full');
    partial.add(entry(1));
    expect(partial.finish(false, threshold).counts.removals).toBe(0);
    // A delta read never removes.
    const delta = new Planner(snapshot(links), MAPPING_PRESETS.activeDirectory, 'delta');
    delta.add(entry(1));
    expect(delta.finish(true, threshold).counts.removals).toBe(0);
  });
  it('an empty read never removes; a big removal needs confirmation', () => {
    const links = Array.from({ length: 30 }, (_, i) => link(i + 1));
    const empty = new Planner(snapshot(links), MAPPING_PRESETS.activeDirectory, 'full').finish(true, threshold);
    expect(empty).toMatchObject({ removalsSkipped: true, counts: { removals: 0 } });
    const p = new Planner(snapshot(links), MAPPING_PRESETS.activeDirectory, 'full');
    for (let n = 1; n <= 26; n++) p.add(entry(n));
    expect(p.finish(true, threshold)).toMatchObject({ removalsNeedConfirmation: true, counts: { removals: 4 } });
    expect(removalsNeedConfirmation(501, 100_000, threshold)).toBe(true);
    expect(removalsNeedConfirmation(500, 100_000, threshold)).toBe(false);
    expect(removalsNeedConfirmation(11, 100, threshold)).toBe(true);
    expect(removalsNeedConfirmation(10, 100, threshold)).toBe(false);
  });
  it('duplicates and emails owned by other users are problems, not changes', () => {
    const p = new Planner({ links: new Map(), emailOwners: new Map([['u000009@example.test', 'someone-else']]) }, MAPPING_PRESETS.activeDirectory, 'full');
    p.add(entry(7));
    p.add(entry(7));
    p.add(entry(8, { mail: 'u000007@example.test' }));
    p.add(entry(9));
    const plan = p.finish(true, threshold);
    expect(plan.entries.map((e) => e.problem)).toEqual([null, 'anchor_duplicate', 'email_duplicate', 'email_taken']);
  });
});

describe('plan to ops, a batch at a time', () => {
  const entry = (n: number) => toDirectoryEntry(adUser(n) as unknown as Entry, 'objectGUID');
  it('gives the same writes as planToOps, in order, with an exact total, then the tail', () => {
    const p = new Planner({ links: new Map(), emailOwners: new Map() }, MAPPING_PRESETS.activeDirectory, 'full');
    for (let n = 1; n <= 7; n++) p.add(entry(n));
    p.add(entry(3)); // a duplicate: an error, no write
    const plan = p.finish(true, { count: 500, percent: 10 });
    const tail = [{ op: 'update' as const, entity: 'directoryRun' as const, id: 'run', patch: { state: 'applied' } }];
    const src = { id: 'src', orgId: 'org' };
    const total = planOpCount(plan.entries.filter((e) => e.kind === 'create').length, plan.entries.filter((e) => e.kind !== 'create'), src, true);
    const source = planOpSource(plan.entries[Symbol.iterator](), total, src, true, tail);
    expect(source.total).toBe(7 * 2 + 1);
    const batches: number[] = [];
    const taken: LongOp[] = [];
    for (let batch = source.take(3); batch.length > 0; batch = source.take(3)) {
      batches.push(batch.length);
      taken.push(...batch);
    }
    expect(batches).toEqual([4, 4, 4, 3]); // a create's two ops stay together
    const withoutIds = (ops: LongOp[]) => ops.map((o) => JSON.stringify(o).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]{19,}/g, 'ID'));
    expect(withoutIds(taken)).toEqual(withoutIds([...planToOps(plan, { id: 'src', orgId: 'org' }, true), ...tail]));
    // The link points at the user created just before it.
    const [user, link] = taken as unknown as [{ id: string }, { values: { userId: string } }];
    expect(link.values.userId).toBe(user.id);
  });
});
