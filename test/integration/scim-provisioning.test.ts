/**
 * Provisioning rules of the SCIM server on an in-process core with a settable clock: matching an
 * existing user by email (linked, not duplicated), deprovisioning archives, the retention period
 * deletes archived SCIM users (and only them, and only once it passed), the changes/audit trail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issueScimToken } from '../../main/core/identity/scim-tokens.ts';
import { ok, orgInput, testCore } from './helpers.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const READ_ONLY = '00000000-0000-7000-8000-000000000003';

let dispose: (() => void) | null = null;
afterEach(() => { dispose?.(); dispose = null; });

async function world() {
  let now = new Date('2026-11-23T10:00:00Z');
  const core = testCore({ clock: { now: () => now } });
  dispose = core.dispose;
  const partner = await ok(core, 'org.create', orgInput());
  const client = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner.id, name: 'Contoso', email: 'it@contoso.example' }));
  const token = core.deps.mutations.run('test', core.profile(), (w) => issueScimToken(w, core.db, { orgId: client.id, connectionId: 'c1' }, now).token);
  const scim = async (method: string, path: string, body?: unknown) => {
    const r = await ok(core, 'scim.handle', { authorization: `Bearer ${token}`, method, path, query: '', body: body === undefined ? '' : JSON.stringify(body), baseUrl: 'https://portal.example/scim/v2' });
    return { status: r.status, headers: r.headers, body: r.body ? JSON.parse(r.body) as Record<string, unknown> : null };
  };
  return { core, client, scim, advance: (days: number) => { now = new Date(now.getTime() + days * 86_400_000); } };
}

describe('SCIM provisioning rules', () => {
  it('links a user of the tree by email instead of duplicating it, and SCIM becomes its source', async () => {
    const { core, client, scim } = await world();
    const manual = await ok(core, 'users.create', { orgId: client.id, name: 'Alex Wilber', email: 'Alex.Wilber@contoso.example', roleId: READ_ONLY });
    const r = await scim('POST', '/Users', { schemas: [USER], userName: 'awilber', emails: [{ value: 'alex.wilber@contoso.example', type: 'work' }] });
    expect(r.status).toBe(201);
    expect(r.body!.id).toBe(manual.id);
    expect(r.headers.Location).toBe(`https://portal.example/scim/v2/Users/${manual.id}`);
    const after = await ok(core, 'users.get', { id: manual.id });
    expect(after).toMatchObject({ source: 'scim', updatedBy: { name: 'SCIM' } });
    expect((core.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(1);
    // A second SCIM identity with the same email is refused, not merged into the first.
    const dup = await scim('POST', '/Users', { schemas: [USER], userName: 'other', emails: [{ value: 'alex.wilber@contoso.example' }] });
    expect(dup.status).toBe(409);
    // Every SCIM write is in changes and audit, by the SCIM actor.
    const audit = core.db.prepare("SELECT action, actor_name FROM audit WHERE action LIKE 'scim.%'").all() as { action: string; actor_name: string }[];
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.actor_name === 'SCIM')).toBe(true);
  });

  it('archives on deprovisioning and deletes archived SCIM users once the retention period passed', async () => {
    const { core, client, scim, advance } = await world();
    const leaver = (await scim('POST', '/Users', { schemas: [USER], userName: 'leaver@contoso.example' })).body!.id as string;
    const stayer = (await scim('POST', '/Users', { schemas: [USER], userName: 'stayer@contoso.example' })).body!.id as string;
    const manualArchived = await ok(core, 'users.create', { orgId: client.id, name: 'Manual', email: 'manual@contoso.example', roleId: READ_ONLY });
    await ok(core, 'users.setStatus', { ids: [manualArchived.id], status: 'archived' });
    const group = (await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'All', members: [{ value: leaver }, { value: stayer }] })).body!.id as string;

    const memberLabels = core.db.prepare("SELECT target_label FROM audit WHERE target_type = 'scimMember' AND action = 'scim.groups.create'").pluck().all();
    expect(memberLabels).toEqual(['leaver@contoso.example in All', 'stayer@contoso.example in All']);
    await scim('PATCH', `/Users/${leaver}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect((await ok(core, 'users.get', { id: leaver })).status).toBe('archived');

    // Off by default: nothing is ever deleted.
    advance(400);
    expect(await ok(core, 'scim.purgeArchived', { orgId: client.id })).toEqual({ deleted: 0 });
    await ok(core, 'scim.setRetention', { orgId: client.id, days: 30 });
    // The clock moved 400 days since archiving: the leaver goes; the active user and the manual archived user stay.
    expect(await ok(core, 'scim.purgeArchived', { orgId: client.id })).toEqual({ deleted: 1 });
    expect((await core.call('users.get', { id: leaver })).ok).toBe(false);
    expect((await scim('GET', `/Users/${leaver}`)).status).toBe(404);
    expect((await ok(core, 'users.get', { id: stayer })).status).toBe('active');
    expect((await ok(core, 'users.get', { id: manualArchived.id })).status).toBe('archived');
    const members = (await scim('GET', `/Groups/${group}`)).body!.members as { value: string }[];
    expect(members.map((m) => m.value)).toEqual([stayer]);
    expect((await ok(core, 'scim.overview', { orgId: client.id })).groups[0]!.memberCount).toBe(1);

    // DELETE archives too, and is purged only after the period counted from then.
    await scim('DELETE', `/Users/${stayer}`);
    expect((await ok(core, 'users.get', { id: stayer })).status).toBe('archived');
    advance(29);
    expect(await ok(core, 'scim.purgeArchived', { orgId: client.id })).toEqual({ deleted: 0 });
    advance(2);
    expect(await ok(core, 'scim.purgeArchived', { orgId: client.id })).toEqual({ deleted: 1 });
    await ok(core, 'scim.setRetention', { orgId: client.id, days: null });
    expect((await ok(core, 'scim.overview', { orgId: client.id })).archivedRetentionDays).toBeNull();
  });

  it('refuses a revoked token (rotation) with 401', async () => {
    const { core, client } = await world();
    const first = core.deps.mutations.run('t', core.profile(), (w) => issueScimToken(w, core.db, { orgId: client.id, connectionId: 'c2' }, new Date()).token);
    const call = (token: string) => ok(core, 'scim.handle', { authorization: `Bearer ${token}`, method: 'GET', path: '/Users', baseUrl: 'http://x/scim/v2' });
    expect((await call(first)).status).toBe(200);
    const second = core.deps.mutations.run('t', core.profile(), (w) => issueScimToken(w, core.db, { orgId: client.id, connectionId: 'c2' }, new Date()).token);
    expect((await call(first)).status).toBe(401);
    expect((await call(second)).status).toBe(200);
  });
});
