import { afterEach, describe, expect, it } from 'vitest';
import { counts, fails, ok, orgInput, testCore } from './helpers.ts';

const ADMIN = '00000000-0000-7000-8000-000000000001';
const OPERATOR = '00000000-0000-7000-8000-000000000002';

let core: ReturnType<typeof testCore>;
afterEach(() => core?.dispose());

async function tree() {
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Contoso Labs' }));
  const { id: other } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Fabrikam' }));
  return { partner, client, sub, other };
}

describe('users', () => {
  it('lists the built-in roles', async () => {
    core = testCore();
    const { items } = await ok(core, 'roles.list', {});
    expect(items.map((r) => r.name)).toEqual(['Operator', 'Organization Administrator', 'Read-only']);
  });

  it('creates a user through the pipeline and shows it in the list with its role and organization', async () => {
    core = testCore();
    const { client, sub } = await tree();
    const user = await ok(core, 'users.create', { orgId: sub, name: 'Ana Pereira', email: 'Ana@Contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    expect(user).toMatchObject({ name: 'Ana Pereira', email: 'ana@contoso.example', roleName: 'Operator', orgName: 'Contoso Labs',
      status: 'active', source: 'manual', emailLoginEnabled: true, signIn: 'email', version: 1 });
    expect((await ok(core, 'users.list', { orgId: client })).total).toBe(0);
    const withSubs = await ok(core, 'users.list', { orgId: client, includeSubOrgs: true });
    expect(withSubs.items.map((u) => u.email)).toEqual(['ana@contoso.example']);
    const audit = await ok(core, 'audit.list', { orgId: sub });
    expect(audit.items.find((i) => i.targetType === 'user')).toMatchObject({ action: 'users.create', targetLabel: 'Ana Pereira <ana@contoso.example>' });
    // Email login on: the welcome email and its one-time link are written in the same mutation.
    expect(audit.items.map((i) => i.targetType).sort()).toEqual(expect.arrayContaining(['loginLink', 'mailMessage', 'user']));
    expect(new Set(audit.items.filter((i) => i.targetType !== 'organization').map((i) => i.action))).toEqual(new Set(['users.create']));
    expect((await ok(core, 'org.get', { id: sub })).facts.members).toBe(1);
  });

  it('keeps emails unique per main organization tree, case-insensitively', async () => {
    core = testCore();
    const { client, sub, other } = await tree();
    await ok(core, 'users.create', { orgId: client, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR });
    const before = counts(core);
    const dup = await fails(core, 'users.create', { orgId: sub, name: 'Ana 2', email: 'ANA@contoso.example', roleId: OPERATOR });
    expect(dup).toMatchObject({ code: 'BAD_INPUT', fields: { email: [{ key: 'user.email_taken' }] } });
    expect(counts(core)).toEqual(before);
    // Another client is another tree: the same address is allowed there.
    await ok(core, 'users.create', { orgId: other, name: 'Ana F', email: 'ana@contoso.example', roleId: OPERATOR });
  });

  it('validates new users with messages per field', async () => {
    core = testCore();
    const { client } = await tree();
    const e = await fails(core, 'users.create', { orgId: client, name: ' ', email: 'nope', roleId: '' });
    expect(e.fields).toEqual({ name: [{ key: 'user.name_required' }], email: [{ key: 'org.email_invalid' }], roleId: [{ key: 'user.role_required' }] });
    const unknownRole = await fails(core, 'users.create', { orgId: client, name: 'X', email: 'x@x.example', roleId: 'r' });
    expect(unknownRole.fields).toEqual({ roleId: [{ key: 'user.role_unknown' }] });
  });

  it('edits, moves within the tree only, deactivates, restores and deletes', async () => {
    core = testCore();
    const { client, sub, other } = await tree();
    const u = await ok(core, 'users.create', { orgId: client, name: 'Bo', email: 'bo@contoso.example', roleId: OPERATOR });
    const moved = await ok(core, 'users.update', { id: u.id, baseVersion: 1, changes: { orgId: sub, roleId: ADMIN } });
    expect(moved).toMatchObject({ orgId: sub, roleName: 'Organization Administrator', version: 2 });
    const outside = await fails(core, 'users.update', { id: u.id, baseVersion: 2, changes: { orgId: other } });
    expect(outside.fields).toEqual({ orgId: [{ key: 'user.move_outside_tree' }] });
    expect(await ok(core, 'users.setStatus', { ids: [u.id], status: 'deactivated' })).toEqual({ changed: 1 });
    expect((await ok(core, 'users.list', { orgId: sub, status: 'deactivated' })).total).toBe(1);
    expect(await ok(core, 'users.setStatus', { ids: [u.id], status: 'deactivated' })).toEqual({ changed: 0 });
    expect(await ok(core, 'users.setStatus', { ids: [u.id], status: 'active' })).toEqual({ changed: 1 });
    expect(await ok(core, 'users.delete', { ids: [u.id] })).toEqual({ deleted: 1 });
    expect((await fails(core, 'users.get', { id: u.id })).code).toBe('NOT_FOUND');
    const actions = (await ok(core, 'audit.list', { orgId: sub })).items.filter((a) => a.targetType === 'user').map((a) => a.action);
    expect(actions).toEqual(['users.delete', 'users.setStatus', 'users.setStatus', 'users.update']);
  });

  it('refuses email login where the organization has email/password sign-in switched off', async () => {
    core = testCore();
    const { client, sub } = await tree();
    const u = await ok(core, 'users.create', { orgId: sub, name: 'Cy', email: 'cy@contoso.example', roleId: OPERATOR });
    core.deps.mutations.run('test.switchOff', core.profile(), (w) => w.update('organization', client, { emailPasswordEnabled: false }));
    const e = await fails(core, 'users.setEmailLogin', { ids: [u.id], enabled: true });
    expect(e.fields).toEqual({ emailLoginEnabled: [{ key: 'user.email_login_off' }] });
    expect(e.message).toContain('switched off for this organization');
  });

  it('searches, filters and sorts a large list by pages', async () => {
    core = testCore();
    const { client } = await tree();
    core.deps.mutations.run('test.bulk', core.profile(), (w) => {
      for (let i = 0; i < 1200; i++) {
        w.create('user', `0190b000-0000-7000-8000-${String(i).padStart(12, '0')}`, {
          orgId: client, name: `User ${String(i).padStart(4, '0')}`, email: `u${i}@contoso.example`,
          roleId: i % 3 === 0 ? ADMIN : OPERATOR, status: i % 10 === 0 ? 'deactivated' : 'active', source: 'import', emailLoginEnabled: false,
        });
      }
    });
    const page = await ok(core, 'users.list', { orgId: client, sort: 'name', dir: 'desc', offset: 0, limit: 5 });
    expect(page.total).toBe(1200);
    expect(page.items.map((u) => u.name)).toEqual(['User 1199', 'User 1198', 'User 1197', 'User 1196', 'User 1195']);
    expect((await ok(core, 'users.list', { orgId: client, query: 'u11', limit: 500 })).total).toBe(111); // u11, u110..u119, u1100..u1199
    expect((await ok(core, 'users.list', { orgId: client, status: 'deactivated' })).total).toBe(120);
    expect((await ok(core, 'users.list', { orgId: client, roleId: ADMIN })).total).toBe(400);
    expect((await ok(core, 'users.list', { orgId: client, source: 'manual' })).total).toBe(0);
    // "Select all N matching" minus the ones unticked, as ids in one call.
    const deactivated = await ok(core, 'users.list', { orgId: client, status: 'deactivated', limit: 2 });
    const { ids } = await ok(core, 'users.matchingIds', { filter: { orgId: client, status: 'deactivated' }, except: deactivated.items.map((u) => u.id) });
    expect(ids).toHaveLength(118);
    expect(ids).not.toContain(deactivated.items[0]!.id);
  });
});

describe('bulk actions on thousands of users', () => {
  it('run as one all-or-nothing mutation while queries keep answering', async () => {
    core = testCore();
    const { client } = await tree();
    const ids: string[] = [];
    core.deps.mutations.run('test.bulk', core.profile(), (w) => {
      for (let i = 0; i < 5000; i++) {
        const id = `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`;
        ids.push(id);
        w.create('user', id, { orgId: client, name: `U${i}`, email: `u${i}@contoso.example`, roleId: OPERATOR, status: 'active', source: 'import', emailLoginEnabled: false });
      }
    });
    // Deactivate them all; a query in the middle answers at once and sees none deactivated yet.
    const bulkCall = core.call('users.setStatus', { ids, status: 'deactivated' });
    const during = await ok(core, 'users.list', { orgId: client, status: 'deactivated', limit: 1 });
    expect(during.total).toBe(0);
    const res = await bulkCall;
    expect(res).toEqual({ ok: true, value: { changed: 5000 } });
    expect((await ok(core, 'users.list', { orgId: client, status: 'deactivated', limit: 1 })).total).toBe(5000);
    const audit = core.db.prepare("SELECT count(*) AS n, count(DISTINCT mutation_id) AS m FROM audit WHERE action = 'users.setStatus'").get();
    expect(audit).toEqual({ n: 5000, m: 1 });

    // One unknown id among thousands: nothing changes.
    const bad = await core.call('users.setStatus', { ids: [...ids, '0190c000-0000-7000-8000-999999999999'], status: 'active' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await ok(core, 'users.list', { orgId: client, status: 'active', limit: 1 })).total).toBe(0);
  });
});
