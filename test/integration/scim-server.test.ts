/**
 * The SCIM 2.0 server over real HTTP (Portal + core worker), replaying what Microsoft Entra ID
 * and Okta send (../shared/research/scim.md §1-2), the RFC 7644 error cases, and the provisioning
 * rules: role mapping, one group per user, Users list visibility, Sync assigned roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, startScimWorld, type ScimWorld } from './scim-setup.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let world: ScimWorld;
let token: string;
beforeAll(async () => {
  world = await startScimWorld();
  token = world.contoso.token;
}, 60_000);
afterAll(async () => world?.close());

const usersOf = async (orgId: string, includeSubOrgs = true) =>
  (await world.call<{ items: { id: string; email: string; roleName: string; orgName: string; status: string; createdBy: { name: string } }[] }>(
    'users.list', { orgId, includeSubOrgs, limit: 500 })).items;

describe('Microsoft Entra ID provisioning sequence', () => {
  let userId = '';
  let groupId = '';

  it('answers Test connection (a filter on a random userName) with 200 and an empty list', async () => {
    const r = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "5c2b1a7e-0d0e-4f1e-9c1a-7b0f0e0d0c0b"')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/scim+json');
    expect(r.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [], startIndex: 1 });
  });

  it('creates a user (with nulls and a misspelled schema) after a query finds none', async () => {
    const q = await world.scim(token, 'GET', '/Users?filter=userName+eq+%22Test_User_1%40contoso.example%22');
    expect(q.body.totalResults).toBe(0);
    const r = await world.scim(token, 'POST', '/Users', {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', userName: 'Test_User_1@contoso.example', active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_1@contoso.example' }], meta: { resourceType: 'User' },
      name: { formatted: 'Grace Hopper', familyName: 'Hopper', givenName: 'Grace' }, roles: [], addresses: null, phoneNumbers: null, title: null,
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Research' },
    });
    expect(r.status).toBe(201);
    userId = r.body.id;
    expect(r.headers.get('location')).toBe(`${world.base}/Users/${userId}`);
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    expect(r.body).toMatchObject({ userName: 'Test_User_1@contoso.example', active: true, externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      name: { givenName: 'Grace', familyName: 'Hopper' }, [ENTERPRISE]: { employeeNumber: '701984', department: 'Research' }, meta: { resourceType: 'User' } });
    expect(r.body.title).toBeUndefined();
  });

  it('finds the user by userName case-insensitively, by externalId and by the work email value path', async () => {
    for (const filter of ['userName eq "test_user_1@CONTOSO.example"', 'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
      'emails[type eq "work"].value eq "test_user_1@contoso.example"', `id eq "${userId}" and active eq true`]) {
      const r = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(r.status, filter).toBe(200);
      expect(r.body.totalResults, filter).toBe(1);
      expect(r.body.Resources[0].id).toBe(userId);
    }
  });

  it('updates with capitalised ops, a value-path email and the enterprise URN path; manager as a bare string', async () => {
    const r = await world.scim(token, 'PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'grace@contoso.example' },
      { op: 'Replace', path: 'name.familyName', value: 'Hopper-Murray' },
      { op: 'Add', path: 'title', value: 'Rear Admiral' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: world.contoso.linkedUserId },
    ] });
    expect(r.status).toBe(200);
    expect(r.body.emails[0].value).toBe('grace@contoso.example');
    expect(r.body.name.familyName).toBe('Hopper-Murray');
    expect(r.body.title).toBe('Rear Admiral');
    expect(r.body[ENTERPRISE]).toMatchObject({ employeeNumber: 'Eqpj', manager: { value: world.contoso.linkedUserId } });
    const removed = await world.scim(token, 'PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'manager', value: '' }] });
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
  });

  it('applies a path-less replace with dotted and URN keys (aadOptscim062020)', async () => {
    const r = await world.scim(token, 'PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [
      { op: 'replace', value: { displayName: 'Grace B. Hopper', 'name.givenName': 'Grace Brewster', [`${ENTERPRISE}:department`]: 'Navy' } },
    ] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Grace B. Hopper', name: { givenName: 'Grace Brewster' }, [ENTERPRISE]: { department: 'Navy' } });
  });

  it('creates a group with no members, adds and removes members the Entra ways, renames (204)', async () => {
    const q = await world.scim(token, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Engineering"')}`);
    expect(q.body.totalResults).toBe(0);
    const g = await world.scim(token, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Engineering', meta: { resourceType: 'Group' },
    });
    expect(g.status).toBe(201);
    expect(g.body.members).toEqual([]);
    groupId = g.body.id;
    const other = await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'alan@contoso.example', name: { givenName: 'Alan', familyName: 'Turing' } });
    const add = await world.scim(token, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [
      { op: 'Add', path: 'members', value: [{ $ref: null, value: userId }, { $ref: null, value: other.body.id }] }] });
    expect(add.status).toBe(204);
    let read = await world.scim(token, 'GET', `/Groups/${groupId}`);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([userId, other.body.id].sort());
    const removeLegacy = await world.scim(token, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [
      { op: 'Remove', path: 'members', value: [{ $ref: null, value: other.body.id }] }] });
    expect(removeLegacy.status).toBe(204);
    read = await world.scim(token, 'GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(read.body.members).toBeUndefined();
    read = await world.scim(token, 'GET', `/Groups/${groupId}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    await world.scim(token, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ value: other.body.id }] }] });
    const removeRfc = await world.scim(token, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${other.body.id}"]` }] });
    expect(removeRfc.status).toBe(204);
    const rename = await world.scim(token, 'PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'displayName', value: 'Engineering EU' }] });
    expect(rename.status).toBe(204);
    read = await world.scim(token, 'GET', `/Groups/${groupId}`);
    expect(read.body).toMatchObject({ displayName: 'Engineering EU', members: [{ value: userId, type: 'User' }] });
    const user = await world.scim(token, 'GET', `/Users/${userId}`);
    expect(user.body.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Engineering EU' })]);
  });

  it('disables with "active":"False" (the user stays readable, archived), re-enables with "True", deletes (404 after)', async () => {
    const off = await world.scim(token, 'PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const byFilter = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "Test_User_1@contoso.example"')}`);
    expect(byFilter.body.Resources[0].active).toBe(false);
    const stored = await world.call<{ status: string; source: string; createdBy: { name: string }; updatedBy: { name: string } }>('users.get', { id: userId });
    expect(stored).toMatchObject({ status: 'archived', source: 'scim', createdBy: { name: 'SCIM' }, updatedBy: { name: 'SCIM' } });
    const on = await world.scim(token, 'PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect(on.body.active).toBe(true);
    expect((await world.call<{ status: string }>('users.get', { id: userId })).status).toBe('active');

    const del = await world.scim(token, 'DELETE', `/Users/${userId}`);
    expect(del.status).toBe(204);
    expect((await world.scim(token, 'GET', `/Users/${userId}`)).status).toBe(404);
    expect((await world.call<{ status: string }>('users.get', { id: userId })).status).toBe('archived');
    const group = await world.scim(token, 'GET', `/Groups/${groupId}`);
    expect(group.body.members).toEqual([]);
    expect((await world.scim(token, 'DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect((await world.scim(token, 'GET', `/Groups/${groupId}`)).status).toBe(404);
  });

  it('links a user who signed in with SAML before (by UPN), instead of creating a duplicate', async () => {
    const r = await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'ada.lovelace@contoso.onmicrosoft.com', emails: [{ type: 'work', value: 'ada@contoso.example', primary: true }] });
    expect(r.status).toBe(201);
    expect(r.body.id).toBe(world.contoso.linkedUserId);
    const users = await usersOf(world.contoso.id);
    expect(users.filter((u) => u.email === 'ada@contoso.example')).toHaveLength(0); // SCIM-managed now, no group yet: not listed
  });
});

describe('Okta provisioning sequence', () => {
  it('looks up with startIndex/count, creates (201), refuses a duplicate (409 uniqueness), updates by PUT, deactivates path-less', async () => {
    const lookup = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "linus@contoso.example"')}&startIndex=1&count=100`);
    expect(lookup.body.totalResults).toBe(0);
    const body = { schemas: [USER], userName: 'linus@contoso.example', name: { givenName: 'Linus', familyName: 'Pauling' },
      emails: [{ primary: true, value: 'linus@contoso.example', type: 'work' }], displayName: 'Linus Pauling', locale: 'en-US', externalId: '00u1', groups: [], password: '1mz050nq', active: true };
    const created = await world.scim(token, 'POST', '/Users', body);
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    const dup = await world.scim(token, 'POST', '/Users', { ...body, userName: 'LINUS@contoso.example' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    const id = created.body.id as string;
    const put = await world.scim(token, 'PUT', `/Users/${id}`, { ...created.body, name: { givenName: 'Linus Carl', familyName: 'Pauling' }, displayName: 'Linus Carl Pauling' });
    expect(put.status).toBe(200);
    expect(put.body.name.givenName).toBe('Linus Carl');
    expect((await world.call<{ name: string }>('users.get', { id })).name).toBe('Linus Carl Pauling');
    const off = await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.body.active).toBe(false);
    const read = await world.scim(token, 'GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
  });

  it('pushes a group: POST empty, path-less rename with id, replace members, remove + add members', async () => {
    const a = (await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'okta.a@contoso.example' })).body.id as string;
    const b = (await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'okta.b@contoso.example' })).body.id as string;
    const g = await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Support', members: [] });
    expect(g.status).toBe(201);
    const id = g.body.id as string;
    const rename = await world.scim(token, 'PATCH', `/Groups/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { id, displayName: 'Support Tier 1' } }] });
    expect(rename.status).toBe(204);
    await world.scim(token, 'PATCH', `/Groups/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'members', value: [{ value: a, display: 'a' }, { value: b }] }] });
    let read = await world.scim(token, 'GET', `/Groups/${id}`);
    expect(read.body.displayName).toBe('Support Tier 1');
    expect(read.body.id).toBe(id);
    expect(read.body.members).toHaveLength(2);
    await world.scim(token, 'PATCH', `/Groups/${id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${a}"]` }, { op: 'add', path: 'members', value: [{ value: a }] }] });
    read = await world.scim(token, 'GET', `/Groups/${id}`);
    expect(read.body.members).toHaveLength(2);
    const put = await world.scim(token, 'PUT', `/Groups/${id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Support Tier 1', members: [{ value: b }] });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([b]);
  });
});

describe('more identity-provider habits', () => {
  it('answers a group lookup on a random name with an empty list (Entra ID test connection) and clears members with replace []', async () => {
    const q = await world.scim(token, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "7f1d5d1e-6a0b-4a36-9d57-2a1f0e4c0b11"')}&excludedAttributes=members`);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ totalResults: 0, Resources: [] });
    const u = (await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'clear.me@contoso.example' })).body.id as string;
    const g = (await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'To Clear', members: [{ value: u }] })).body.id as string;
    const byMember = await world.scim(token, 'GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${u}"]`)}`);
    expect(byMember.body.Resources.map((r: { id: string }) => r.id)).toEqual([g]);
    const cleared = await world.scim(token, 'PATCH', `/Groups/${g}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'members', value: [] }] });
    expect(cleared.status).toBe(204);
    expect((await world.scim(token, 'GET', `/Groups/${g}`)).body.members).toEqual([]);
    const search = await world.scim(token, 'POST', '/Groups/.search', { filter: 'displayName sw "to c"', attributes: ['displayName'] });
    expect(search.body.Resources).toEqual([{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: g, displayName: 'To Clear' }]);
    expect((await world.scim(token, 'DELETE', `/Groups/${g}`)).status).toBe(204);
  });
});

describe('queries', () => {
  it('evaluates filters (co sw ew pr gt ge lt le ne and or not grouping, attribute paths) and pages', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: `pager.${i}@contoso.example`, title: i % 2 ? 'Engineer' : 'Manager',
        [ENTERPRISE]: { department: i < 3 ? 'Sales' : 'Ops' } });
      expect(r.status).toBe(201);
    }
    const count = async (filter: string) => {
      const r = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(r.status, `${filter}: ${JSON.stringify(r.body)}`).toBe(200);
      return r.body.totalResults as number;
    };
    expect(await count('userName sw "pager."')).toBe(5);
    expect(await count('userName ew "3@contoso.example" and userName co "pager"')).toBe(1);
    expect(await count('userName sw "pager." and title eq "engineer"')).toBe(2);
    expect(await count('userName sw "pager." and not (title eq "Engineer")')).toBe(3);
    expect(await count('userName sw "pager." and (title eq "Engineer" or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Ops")')).toBe(3);
    expect(await count('userName sw "pager." and title pr')).toBe(5);
    expect(await count('userName sw "pager." and displayName pr')).toBe(0);
    expect(await count('userName sw "pager." and userName gt "pager.2"')).toBe(3);
    expect(await count('userName sw "pager." and userName ge "pager.2@contoso.example"')).toBe(3);
    expect(await count('userName sw "pager." and userName lt "pager.2"')).toBe(2);
    expect(await count('userName sw "pager." and userName le "pager.0@contoso.example"')).toBe(1);
    expect(await count('userName sw "pager." and title ne "Manager"')).toBe(2);
    expect(await count('userName sw "pager." and meta.created gt "2000-01-01T00:00:00Z"')).toBe(5);

    const page = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName sw "pager."')}&startIndex=2&count=2&attributes=userName,name.givenName`);
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources[0].userName).toBe('pager.1@contoso.example');
    expect(Object.keys(page.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
    const excluded = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "pager.0@contoso.example"')}&excludedAttributes=title,meta`);
    expect(excluded.body.Resources[0].title).toBeUndefined();
    expect(excluded.body.Resources[0].meta).toBeUndefined();
    expect(excluded.body.Resources[0].userName).toBe('pager.0@contoso.example');
    const zero = await world.scim(token, 'GET', '/Users?count=0');
    expect(zero.body.Resources).toEqual([]);
    expect(zero.body.totalResults).toBeGreaterThan(5);
    const search = await world.scim(token, 'POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "pager."', count: 1 });
    expect(search.body).toMatchObject({ totalResults: 5, itemsPerPage: 1 });
  });

  it('serves ETags: If-None-Match gives 304, a stale If-Match gives 412', async () => {
    const r = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "pager.4@contoso.example"')}`);
    const { id, meta } = r.body.Resources[0];
    const notModified = await fetch(`${world.base}/Users/${id}`, { headers: { Authorization: `Bearer ${token}`, 'If-None-Match': meta.version } });
    expect(notModified.status).toBe(304);
    await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] });
    const stale = await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Chief' }] }, { 'If-Match': meta.version });
    expect(stale.status).toBe(412);
    expect((await world.scim(token, 'GET', `/Users/${id}`)).body.title).toBe('Lead');
  });

  it('serves discovery: ServiceProviderConfig, Schemas, ResourceTypes', async () => {
    const spc = await world.scim(token, 'GET', '/ServiceProviderConfig');
    expect(spc.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 200 }, etag: { supported: true } });
    const schemas = await world.scim(token, 'GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:Group']);
    const one = await world.scim(token, 'GET', `/Schemas/${ENTERPRISE}`);
    expect(one.body.attributes.map((a: { name: string }) => a.name)).toContain('manager');
    const types = await world.scim(token, 'GET', '/ResourceTypes/User');
    expect(types.body).toMatchObject({ endpoint: '/Users', schemaExtensions: [{ schema: ENTERPRISE, required: false }] });
  });
});

describe('errors (RFC 7644 §3.12)', () => {
  const expectError = (r: { status: number; body: { schemas: string[]; status: string; scimType?: string; detail: string } }, status: number, scimType?: string) => {
    expect(r.status).toBe(status);
    expect(r.body.schemas).toEqual([ERROR]);
    expect(r.body.status).toBe(String(status));
    if (scimType) expect(r.body.scimType).toBe(scimType);
    expect(r.body.detail).toBeTruthy();
  };

  it('refuses a missing, wrong or revoked-looking token with 401', async () => {
    expectError(await world.scim(null, 'GET', '/Users'), 401);
    expectError(await world.scim('odscim_not-a-real-token', 'GET', '/Users'), 401);
    const r = await fetch(`${world.base}/Users`, { headers: { Authorization: 'non-token' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('Bearer');
  });

  it("keeps each token to its own organization's tree", async () => {
    const own = await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "linus@contoso.example"')}`);
    const id = own.body.Resources[0].id as string;
    const other = world.fabrikam.token;
    expectError(await world.scim(other, 'GET', `/Users/${id}`), 404);
    expect((await world.scim(other, 'GET', '/Users')).body.totalResults).toBe(0);
    expectError(await world.scim(other, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] }), 404);
    expectError(await world.scim(other, 'DELETE', `/Users/${id}`), 404);
    const g = await world.scim(other, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Steal', members: [{ value: id }] });
    expectError(g, 400, 'invalidValue');
  });

  it('refuses bad filters and unknown attributes with invalidFilter', async () => {
    expectError(await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
    expectError(await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('shoeSize eq "42"')}`), 400, 'invalidFilter');
    expectError(await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('active gt true')}`), 400, 'invalidFilter');
    const deep = Array.from({ length: 70 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expectError(await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent(deep)}`), 400, 'invalidFilter');
  });

  it('refuses bad bodies and PATCHes, changing nothing', async () => {
    expectError(await world.scim(token, 'POST', '/Users', '{not json'), 400, 'invalidSyntax');
    expectError(await world.scim(token, 'POST', '/Users', { schemas: [USER], name: { givenName: 'No' } }), 400, 'invalidValue');
    const id = (await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "pager.1@contoso.example"')}`)).body.Resources[0].id as string;
    expectError(await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'shoeSize', value: 1 }] }), 400, 'invalidPath');
    expectError(await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'remove' }] }), 400, 'noTarget');
    expectError(await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'move', path: 'title' }] }), 400, 'invalidSyntax');
    expectError(await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'groups', value: [] }] }), 400, 'mutability');
    // Atomic: the first operation is not kept when the second fails.
    const atomic = await world.scim(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [
      { op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.z' }, { op: 'replace', path: 'active', value: 'maybe' }] });
    expect(atomic.status).toBe(400);
    expect((await world.scim(token, 'GET', `/Users/${id}`)).body.title).toBe('Engineer');
    expectError(await world.scim(token, 'GET', '/Users/00919288221112222'), 404);
    expectError(await world.scim(token, 'POST', '/Bulk', { schemas: [] }), 501);
  });

  it('refuses an oversized body with 413 before reading it all', async () => {
    const big = JSON.stringify({ schemas: [USER], userName: 'big@contoso.example', title: 'x'.repeat(1_100_000) });
    const r = await world.scim(token, 'POST', '/Users', big);
    expectError(r, 413);
    expect((await world.scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "big@contoso.example"')}`)).body.totalResults).toBe(0);
  });

  it('refuses nested groups', async () => {
    const parent = await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Parent' });
    const child = await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Child' });
    expectError(await world.scim(token, 'PATCH', `/Groups/${parent.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: child.body.id }] }] }), 400, 'invalidValue');
    expectError(await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Typed', members: [{ value: 'x', type: 'Group' }] }), 400, 'invalidValue');
    expectError(await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'parent' }), 409, 'uniqueness');
    await world.scim(token, 'DELETE', `/Groups/${parent.body.id}`);
    await world.scim(token, 'DELETE', `/Groups/${child.body.id}`);
  });
});

describe('provisioning rules: role mapping and Sync assigned roles', () => {
  it('lists SCIM users once their group has a role, flags users in two groups, and syncs roles into sub-organizations', async () => {
    const mk = async (userName: string) => (await world.scim(token, 'POST', '/Users', { schemas: [USER], userName, emails: [{ value: userName, type: 'work' }] })).body.id as string;
    const [dev1, dev2, both] = [await mk('dev1@contoso.example'), await mk('dev2@contoso.example'), await mk('both@contoso.example')];
    const devs = (await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Developers', members: [{ value: dev1 }, { value: dev2 }, { value: both }] })).body.id as string;
    const ops = (await world.scim(token, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Operations', members: [{ value: both }] })).body.id as string;

    let overview = await world.call('scim.overview', { orgId: world.contoso.labsId });
    expect(overview.mainOrgId).toBe(world.contoso.id);
    expect(overview.groups.find((g: { id: string }) => g.id === devs)).toMatchObject({ name: 'Developers', memberCount: 3, roleId: null });
    expect(overview.conflicts).toEqual([expect.objectContaining({ userId: both, groups: ['Developers', 'Operations'] })]);
    expect(overview.organizations.map((o: { path: string }) => o.path)).toEqual(['Contoso', 'Contoso / Labs']);
    let emails = (await usersOf(world.contoso.id)).map((u) => u.email);
    expect(emails).not.toContain('dev1@contoso.example');

    // A role outside the list and an organization outside the tree are refused.
    const bad = await world.core.call('scim.mapGroup', { groupId: devs, roleId: ROLES.admin, orgId: world.fabrikam.id });
    expect(!bad.ok && bad.error.fields?.orgId?.[0]?.key).toBe('scim.org_outside_tree');
    const mapped = await world.call('scim.mapGroup', { groupId: devs, roleId: ROLES.operator, orgId: world.contoso.labsId });
    expect(mapped).toMatchObject({ roleName: 'Operator', orgName: 'Labs' });
    emails = (await usersOf(world.contoso.id)).map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['dev1@contoso.example', 'dev2@contoso.example', 'both@contoso.example']));

    const sync = await world.call('scim.syncRoles', { orgId: world.contoso.id });
    expect(sync.changed.map((c: { email: string }) => c.email).sort()).toEqual(['dev1@contoso.example', 'dev2@contoso.example']);
    expect(sync.changed[0]).toMatchObject({ group: 'Developers', fromRole: 'Read-only', toRole: 'Operator', fromOrg: 'Contoso', toOrg: 'Labs' });
    expect(sync.skippedConflicts.map((c: { userId: string }) => c.userId)).toEqual([both]);
    const dev1Row = await world.call<{ roleName: string; orgName: string }>('users.get', { id: dev1 });
    expect(dev1Row).toMatchObject({ roleName: 'Operator', orgName: 'Labs' });
    expect((await world.call<{ roleName: string }>('users.get', { id: both })).roleName).toBe('Read-only');
    const again = await world.call('scim.syncRoles', { orgId: world.contoso.id });
    expect(again.changed).toEqual([]);
    expect(again.unchanged).toBe(2);

    // Changing the mapping is allowed at any time; Sync applies it. A new member gets it at once.
    await world.call('scim.mapGroup', { groupId: devs, roleId: ROLES.admin, orgId: null });
    const resync = await world.call('scim.syncRoles', { orgId: world.contoso.id });
    expect(resync.changed).toHaveLength(2);
    expect(resync.changed[0]).toMatchObject({ fromRole: 'Operator', toRole: 'Organization Administrator', fromOrg: 'Labs', toOrg: 'Contoso' });
    const dev3 = await mk('dev3@contoso.example');
    await world.scim(token, 'PATCH', `/Groups/${devs}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: dev3 }] }] });
    expect((await world.call<{ roleName: string }>('users.get', { id: dev3 })).roleName).toBe('Organization Administrator');

    // Removing the conflict: the user is in one group and no longer flagged.
    await world.scim(token, 'PATCH', `/Groups/${ops}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${both}"]` }] });
    overview = await world.call('scim.overview', { orgId: world.contoso.id });
    expect(overview.conflicts).toEqual([]);
    // Audit: SCIM writes are the SCIM actor's.
    const audit = await world.call<{ items: { actor: { name: string }; action: string }[] }>('audit.list', { orgId: world.contoso.id, limit: 200 });
    expect(audit.items.some((e) => e.actor.name === 'SCIM' && e.action === 'scim.groups.patch')).toBe(true);
  });

  it('deletes archived SCIM users after the retention period (off by default)', async () => {
    const id = (await world.scim(token, 'POST', '/Users', { schemas: [USER], userName: 'leaver@contoso.example', active: false })).body.id as string;
    expect(await world.call('scim.purgeArchived', { orgId: world.contoso.id })).toEqual({ deleted: 0 });
    const bad = await world.core.call('scim.setRetention', { orgId: world.contoso.id, days: 0 });
    expect(!bad.ok && bad.error.fields?.days?.[0]?.key).toBe('scim.retention_invalid');
    await world.call('scim.setRetention', { orgId: world.contoso.id, days: 30 });
    expect((await world.call('scim.overview', { orgId: world.contoso.id })).archivedRetentionDays).toBe(30);
    expect(await world.call('scim.purgeArchived', { orgId: world.contoso.id })).toEqual({ deleted: 0 }); // archived today
    expect((await world.call<{ status: string }>('users.get', { id })).status).toBe('archived');
  });
});
