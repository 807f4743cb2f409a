import { describe, expect, it } from 'vitest';
import {
  ScimProblem, canonicalResource, displayNameOf, emailOf, indexableCondition, isExactly, matches, memberIdsOf, normalisePatch,
  paging, parseFilter, project, resolvePath, type Json, type JsonObject,
} from '../../shared/rules/scim.ts';
import { URN } from '../../shared/model/scim.ts';

const user: JsonObject = {
  schemas: [URN.user, URN.enterprise], id: 'u1', externalId: 'Ext-1', userName: 'Grace@Contoso.example', active: true, title: 'Admiral',
  name: { givenName: 'Grace', familyName: 'Hopper' },
  emails: [{ type: 'home', value: 'g@home.example' }, { type: 'work', value: 'grace@contoso.example', primary: true }],
  [URN.enterprise]: { department: 'Navy', manager: { value: 'm1' } },
  meta: { resourceType: 'User', created: '2026-01-02T00:00:00Z', lastModified: '2026-02-03T00:00:00Z', version: 'W/"3"' },
};
const f = (text: string) => matches(parseFilter(text, 'User'), user);
const problemOf = (fn: () => unknown) => {
  try { fn(); } catch (e) { if (e instanceof ScimProblem) return { status: e.status, scimType: e.scimType }; throw e; }
  throw new Error('no problem raised');
};

describe('SCIM filters', () => {
  it('compares case-insensitively except caseExact attributes (id, externalId)', () => {
    expect(f('userName eq "grace@contoso.EXAMPLE"')).toBe(true);
    expect(f('USERNAME Eq "grace@contoso.example"')).toBe(true);
    expect(f('externalId eq "ext-1"')).toBe(false);
    expect(f('externalId eq "Ext-1"')).toBe(true);
  });
  it('evaluates every operator, logic, grouping and attribute paths', () => {
    expect(f('userName co "contoso" and userName sw "grace" and userName ew ".example"')).toBe(true);
    expect(f('title pr and not (title eq "Captain")')).toBe(true);
    expect(f('nickName pr or title ne "Admiral"')).toBe(false);
    expect(f('meta.created gt "2025-12-31T00:00:00Z" and meta.lastModified le "2026-02-03T00:00:00Z"')).toBe(true);
    expect(f('meta.created lt "2026-01-01" or meta.created ge "2027"')).toBe(false);
    expect(f('name.familyName eq "hopper"')).toBe(true);
    expect(f('emails[type eq "work" and value co "contoso"]')).toBe(true);
    expect(f('emails[type eq "home" and value co "contoso"]')).toBe(false);
    expect(f(`${URN.enterprise}:department eq "navy"`)).toBe(true);
    expect(f(`${URN.enterprise}:manager.value eq "m1"`)).toBe(true);
    expect(f('active eq true')).toBe(true);
    expect(f('emails eq "g@home.example"')).toBe(true);
  });
  it("keeps Entra ID's emails[type eq \"work\"].value eq … correlated", () => {
    expect(f('emails[type eq "work"].value eq "grace@contoso.example"')).toBe(true);
    expect(f('emails[type eq "work"].value eq "g@home.example"')).toBe(false);
  });
  it('refuses bad syntax, unknown attributes, ordering on booleans and over-long filters with invalidFilter', () => {
    expect(problemOf(() => parseFilter('userName eq', 'User'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(problemOf(() => parseFilter('shoeSize eq 42', 'User'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(problemOf(() => parseFilter('active gt false', 'User'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(problemOf(() => parseFilter('members[value eq "x"]', 'User'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(problemOf(() => parseFilter(`userName eq "${'x'.repeat(2100)}"`, 'User'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(parseFilter('members[value eq "x"]', 'Group').kind).toBe('Group');
  });
  it('finds the condition an index can answer', () => {
    const eq = parseFilter('userName eq "A@B.c"', 'User');
    expect(indexableCondition(eq)).toEqual({ attribute: 'userName', op: 'eq', value: 'A@B.c' });
    expect(isExactly(eq, indexableCondition(eq)!)).toBe(true);
    const and = parseFilter('title pr and externalId eq "e"', 'User');
    expect(indexableCondition(and)).toEqual({ attribute: 'externalId', op: 'eq', value: 'e' });
    expect(isExactly(and, indexableCondition(and)!)).toBe(false);
    expect(indexableCondition(parseFilter('title eq "x" or userName eq "y"', 'User'))).toBeNull();
  });
});

describe('projection, paging, resources', () => {
  it('applies attributes and excludedAttributes, always keeping id', () => {
    expect(project(user, 'User', 'userName,name.givenName', null)).toEqual({ schemas: user.schemas, id: 'u1', userName: user.userName, name: { givenName: 'Grace' } });
    const ex = project(user, 'User', null, `emails,meta,${URN.enterprise}:department,id`);
    expect(ex.emails).toBeUndefined();
    expect(ex.id).toBe('u1');
    expect(ex[URN.enterprise]).toEqual({ manager: { value: 'm1' } });
    expect(user.emails).toBeDefined(); // the original is untouched
  });
  it('reads startIndex and count as RFC 7644 says', () => {
    expect(paging(null, null)).toEqual({ startIndex: 1, count: 100 });
    expect(paging('0', '-5')).toEqual({ startIndex: 1, count: 0 });
    expect(paging('3', '100000')).toEqual({ startIndex: 3, count: 200 });
    expect(problemOf(() => paging('x', null))).toEqual({ status: 400, scimType: 'invalidValue' });
  });
  it('canonicalises what identity providers send: nulls dropped, names normalised, booleans and manager coerced, read-only ignored', () => {
    const c = canonicalResource('User', {
      schemas: ['urn:ietf:params:scim:schemas:extension:enterprise:2.0User'], USERNAME: 'x@y.example', id: 'client-id', meta: {}, groups: [{ value: 'g' }],
      active: 'False', title: null, Emails: { value: 'x@y.example', Type: 'work' }, password: 'secret',
      [URN.enterprise.toUpperCase()]: { Manager: '271', department: null }, unknownThing: 1,
    });
    expect(c).toEqual({ userName: 'x@y.example', active: false, emails: [{ value: 'x@y.example', type: 'work' }], [URN.enterprise]: { manager: { value: '271' } } });
    expect(problemOf(() => canonicalResource('User', { userName: 'a', active: 'maybe' }))).toEqual({ status: 400, scimType: 'invalidValue' });
    expect(problemOf(() => canonicalResource('User', []))).toEqual({ status: 400, scimType: 'invalidSyntax' });
  });
  it('derives the Orgdesk name and email', () => {
    expect(displayNameOf({ userName: 'u', name: { givenName: 'Ada', familyName: 'Lovelace' } })).toBe('Ada Lovelace');
    expect(displayNameOf({ userName: 'u', displayName: 'The Countess' })).toBe('The Countess');
    expect(emailOf(user)).toBe('grace@contoso.example');
    expect(emailOf({ userName: 'upn@contoso.example' })).toBe('upn@contoso.example');
    expect(emailOf({ userName: 'not-an-email' })).toBe('');
  });
  it('keeps groups flat', () => {
    expect(memberIdsOf({ members: [{ value: 'a' }, { value: 'b' }, { value: 'a' }] })).toEqual(['a', 'b']);
    expect(problemOf(() => memberIdsOf({ members: [{ value: 'g', type: 'Group' }] }))).toEqual({ status: 400, scimType: 'invalidValue' });
    const many: JsonObject = { members: Array.from({ length: 10_001 }, (_, i) => ({ value: `u${i}` })) };
    expect(problemOf(() => memberIdsOf(many))).toEqual({ status: 400, scimType: 'tooMany' });
    expect(memberIdsOf(many, Number.POSITIVE_INFINITY)).toHaveLength(10_001); // a PATCHed group may grow past one request's bound
  });
  it('resolves short and URN attribute paths', () => {
    expect(resolvePath('User', 'manager')).toMatchObject({ extension: URN.enterprise, attr: { name: 'manager' } });
    expect(resolvePath('User', `${URN.user}:name.givenName`)).toMatchObject({ extension: null, attr: { name: 'name' }, sub: { name: 'givenName' } });
    expect(resolvePath('Group', 'manager')).toBeNull();
  });
});

describe('PATCH normalisation', () => {
  const body = (ops: Json[]): Json => ({ schemas: [URN.patchOp], Operations: ops });
  it("lower-cases Entra ID's ops and coerces \"False\"", () => {
    expect(normalisePatch('User', body([{ op: 'Replace', path: 'active', value: 'False' }]))).toEqual([{ op: 'replace', path: 'active', value: false }]);
    expect(normalisePatch('User', body([{ op: 'REPLACE', value: { active: 'True', id: 'x', 'name.givenName': 'G' } }])))
      .toEqual([{ op: 'replace', value: { active: true, 'name.givenName': 'G' } }]);
  });
  it('turns manager removal by empty value and Entra member removal by value into path removals', () => {
    expect(normalisePatch('User', body([{ op: 'Replace', path: 'manager', value: '' }]))).toEqual([{ op: 'remove', path: `${URN.enterprise}:manager` }]);
    expect(normalisePatch('Group', body([{ op: 'Remove', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }])))
      .toEqual([{ op: 'remove', path: 'members[value eq "a"]' }, { op: 'remove', path: 'members[value eq "b"]' }]);
  });
  it('refuses what RFC 7644 refuses', () => {
    expect(problemOf(() => normalisePatch('User', { Operations: [] }))).toEqual({ status: 400, scimType: 'invalidSyntax' });
    expect(problemOf(() => normalisePatch('User', body([{ op: 'remove' }])))).toEqual({ status: 400, scimType: 'noTarget' });
    expect(problemOf(() => normalisePatch('User', body([{ op: 'replace', path: 'nope', value: 1 }])))).toEqual({ status: 400, scimType: 'invalidPath' });
    expect(problemOf(() => normalisePatch('User', body([{ op: 'replace', path: 'meta.created', value: 'x' }])))).toEqual({ status: 400, scimType: 'mutability' });
    expect(problemOf(() => normalisePatch('User', body(Array.from({ length: 1001 }, () => ({ op: 'add', path: 'title', value: 'x' })))))).toEqual({ status: 400, scimType: 'tooMany' });
  });
});
