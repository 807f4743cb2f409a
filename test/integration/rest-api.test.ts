import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/create-core.ts';
import { importResult } from './import-helpers.ts';
import { ok } from './helpers.ts';
import { importForm, jsonBody, startRestWorld, type RestWorld } from './rest-api-helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
const body = async (res: Response): Promise<any> => res.json();

let w: RestWorld;
beforeAll(async () => {
  w = await startRestWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('REST API authentication', () => {
  it('answers a valid key with its organization tree only', async () => {
    const res = await w.call('/api/v1/organizations');
    expect(res.status).toBe(200);
    const { items } = await body(res);
    expect(items.map((o: { name: string }) => o.name).sort()).toEqual(['Contoso', 'Labs']);
    expect(items.find((o: { name: string }) => o.name === 'Contoso').parentId).toBeNull();
    expect(items.find((o: { name: string }) => o.name === 'Labs').parentId).toBe(w.orgs.contoso);
    // A partner's key reaches its clients and their sub-organizations.
    const partner = await body(await w.call('/api/v1/organizations', { key: w.keys.partner }));
    expect(partner.items.map((o: { name: string }) => o.name).sort()).toEqual(['Acme MSP', 'Contoso', 'Fabrikam', 'Labs']);
  });

  it('refuses an expired, revoked, unknown, malformed or missing key with 401', async () => {
    const expired = await w.call('/api/v1/organizations', { key: w.keys.expired });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await body(expired)).toEqual({ error: { code: 'UNAUTHORIZED', message: 'This API key has expired. Create a new one in the console.' } });

    const revoked = await w.call('/api/v1/users', { key: w.keys.revoked });
    expect(revoked.status).toBe(401);
    expect((await body(revoked)).error.message).toBe('This API key has been revoked.');

    // Right key ID, wrong secret: unknown.
    const forged = w.keys.admin.slice(0, -4) + (w.keys.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const wrongSecret = await w.call('/api/v1/organizations', { key: forged });
    expect(wrongSecret.status).toBe(401);
    expect((await body(wrongSecret)).error.code).toBe('UNAUTHORIZED');
    expect((await w.call('/api/v1/organizations', { key: 'not-a-key' })).status).toBe(401);
    const missing = await w.call('/api/v1/organizations', { key: null });
    expect(missing.status).toBe(401);
    expect((await body(missing)).error.message).toContain('Authorization: Bearer');
    // In the caller's language.
    const es = await w.call('/api/v1/organizations', { key: w.keys.expired, headers: { 'Accept-Language': 'es-ES,es;q=0.9' } });
    expect((await body(es)).error.message).toBe('Esta clave de API ha caducado. Crea una nueva en la consola.');
  });
});

describe('REST API roles', () => {
  it('lets a Read-only key read but not write or import (403)', async () => {
    expect((await w.call('/api/v1/users', { key: w.keys.readOnly })).status).toBe(200);
    const post = await w.call('/api/v1/users', { key: w.keys.readOnly, ...jsonBody({ name: 'No', email: 'no@contoso.example' }) });
    expect(post.status).toBe(403);
    expect(await body(post)).toEqual({ error: { code: 'FORBIDDEN', message: 'A key with the Read-only role may not do this (users.write).' } });
    const patch = await w.call(`/api/v1/users/${w.users.contosoAda}`, { key: w.keys.readOnly, ...jsonBody({ name: 'X' }), method: 'PATCH' });
    expect(patch.status).toBe(403);
    const imp = await w.call('/api/v1/users/import', { key: w.keys.readOnly, method: 'POST', body: importForm({ name: 'u.csv', content: 'Name,Email\nA,a@contoso.example\n' }) });
    expect(imp.status).toBe(403);
    expect((await body(imp)).error.message).toContain('users.import');
    const ada = await body(await w.call(`/api/v1/users/${w.users.contosoAda}`, { key: w.keys.readOnly }));
    expect(ada.name).toBe('Ada Lovelace');
  });

  it('lets an Operator create and change users, audited as the key', async () => {
    const created = await w.call('/api/v1/users', jsonBody({ name: 'Grace Hopper', email: 'grace@contoso.example', role: 'operator', organizationId: w.orgs.labs }));
    expect(created.status).toBe(201);
    const grace = await body(created);
    expect(grace).toMatchObject({ name: 'Grace Hopper', email: 'grace@contoso.example', role: 'Operator', organizationId: w.orgs.labs, status: 'active', source: 'manual' });

    const patched = await w.call(`/api/v1/users/${grace.id}`, { ...jsonBody({ name: 'Grace B. Hopper', status: 'deactivated', version: grace.version }), method: 'PATCH' });
    expect(patched.status).toBe(200);
    expect(await body(patched)).toMatchObject({ name: 'Grace B. Hopper', status: 'deactivated', version: grace.version + 1 });
    // The same base version again: someone (we) changed name since: a conflict, nothing written.
    const stale = await w.call(`/api/v1/users/${grace.id}`, { ...jsonBody({ name: 'Other', version: grace.version }), method: 'PATCH' });
    expect(stale.status).toBe(409);

    const audit = await w.core.call('audit.list', { orgId: w.orgs.labs, limit: 50 });
    expect(audit.ok).toBe(true);
    const entries = (audit as { value: { items: { action: string; actor: { id: string; name: string } }[] } }).value.items;
    const mine = entries.filter((e) => e.actor.id === `api-key:${w.keyIds.operator}`);
    expect(mine.map((e) => e.action).sort()).toEqual(['users.create', 'users.update']);
    expect(mine[0]!.actor.name).toMatch(/^API key operator \([a-z2-7]{16}\)$/);
  });

  it('lets a key give, and touch users of, roles up to its own only', async () => {
    const up = await w.call('/api/v1/users', jsonBody({ name: 'Boss', email: 'boss@contoso.example', role: 'Organization Administrator' }));
    expect(up.status).toBe(403);
    expect(await body(up)).toEqual({ error: { code: 'FORBIDDEN', message: 'A key with the Operator role cannot give the Organization Administrator role.',
      fields: { role: ['A key with the Operator role cannot give the Organization Administrator role.'] } } });
    const promote = await w.call(`/api/v1/users/${w.users.contosoAda}`, { ...jsonBody({ role: 'Organization Administrator' }), method: 'PATCH' });
    expect(promote.status).toBe(403);
    // An administrator key may; then the Operator key can no longer change that user.
    const byAdmin = await w.call(`/api/v1/users/${w.users.contosoAda}`, { key: w.keys.admin, ...jsonBody({ role: 'Organization Administrator' }), method: 'PATCH' });
    expect((await body(byAdmin)).role).toBe('Organization Administrator');
    const demote = await w.call(`/api/v1/users/${w.users.contosoAda}`, { ...jsonBody({ status: 'deactivated' }), method: 'PATCH' });
    expect(demote.status).toBe(403);
    expect((await body(demote)).error.message).toBe('A key with the Operator role cannot change a user with the Organization Administrator role.');
    const back = await w.call(`/api/v1/users/${w.users.contosoAda}`, { key: w.keys.admin, ...jsonBody({ role: 'Read-only' }), method: 'PATCH' });
    expect((await body(back)).role).toBe('Read-only');
  });

  it('refuses a JSON body over 1 MB with 413', async () => {
    const res = await w.call('/api/v1/users', jsonBody({ name: 'x'.repeat(1024 * 1024 + 10), email: 'big@contoso.example' }));
    expect(res.status).toBe(413);
    expect((await body(res)).error.message).toBe('The request body is larger than 1 MB.');
  });

  it('explains bad input per field and writes nothing', async () => {
    const res = await w.call('/api/v1/users', jsonBody({ name: '', email: 'not-an-email', role: 'Boss' }));
    expect(res.status).toBe(400);
    const { error } = await body(res);
    expect(error.code).toBe('BAD_INPUT');
    expect(Object.keys(error.fields).sort()).toEqual(['email', 'name']);
    const role = await body(await w.call('/api/v1/users', jsonBody({ name: 'Z', email: 'z@contoso.example', role: 'Boss' })));
    expect(role.error.fields.role).toEqual(['There is no role named "Boss". Use Organization Administrator, Operator or Read-only.']);
    const taken = await body(await w.call('/api/v1/users', jsonBody({ name: 'Ada 2', email: 'ADA@contoso.example' })));
    expect(Object.keys(taken.error.fields)).toEqual(['email']);
    expect((await w.call('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":' })).status).toBe(400);
    expect((await w.call('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await w.call('/api/v1/users?limit=lots')).status).toBe(400);
    expect((await w.call('/api/v1/users/%E0%A4%A')).status).toBe(404);
    const list = await body(await w.call('/api/v1/users?q=z%40contoso'));
    expect(list.total).toBe(0);
  });
});

describe('REST API organization tree', () => {
  it('forbids naming another organization and hides its users', async () => {
    const list = await w.call(`/api/v1/users?organizationId=${w.orgs.fabrikam}`);
    expect(list.status).toBe(403);
    expect((await body(list)).error.message).toBe('This organization is outside the key\'s organization tree.');
    const create = await w.call('/api/v1/users', jsonBody({ name: 'Mallory', email: 'mallory@fabrikam.example', organizationId: w.orgs.fabrikam }));
    expect(create.status).toBe(403);
    expect((await w.call(`/api/v1/users/${w.users.fabrikamEve}`)).status).toBe(404);
    const patch = await w.call(`/api/v1/users/${w.users.fabrikamEve}`, { ...jsonBody({ name: 'Hacked' }), method: 'PATCH' });
    expect(patch.status).toBe(404);
    // Moving a Contoso user into Fabrikam: outside the tree.
    const move = await w.call(`/api/v1/users/${w.users.contosoAda}`, { ...jsonBody({ organizationId: w.orgs.fabrikam }), method: 'PATCH' });
    expect(move.status).toBe(403);
    const eve = await w.core.call('users.get', { id: w.users.fabrikamEve });
    expect(eve.ok && (eve.value as { name: string }).name).toBe('Eve Fabrikam');
    // The sub-organization's users are the key's, on request.
    const withSubs = await body(await w.call('/api/v1/users?includeSubOrganizations=true'));
    expect(withSubs.items.map((u: { email: string }) => u.email)).toContain('bob@contoso.example');
    const own = await body(await w.call('/api/v1/users'));
    expect(own.items.map((u: { email: string }) => u.email)).not.toContain('bob@contoso.example');
  });
});

describe('REST API users import', () => {
  const sheet = [
    'Name,Email,Role,Status',
    'Ana Import,ana@fabrikam.example,Operator,active',
    'Eve Renamed,eve@fabrikam.example,Read-only,active',
    'Broken,not-an-email,Read-only,active',
    'Cy New,cy@fabrikam.example,Read-only,active',
    '',
  ].join('\n');

  it('does what the console import does, with the Flexopus result', async () => {
    // A twin of Fabrikam, imported through the console (the users importer as a job) for comparison.
    const twin = (await ok(w.core, 'org.create', {
      type: 'client', parentId: w.orgs.partner, name: 'Fabrikam Twin', email: 'it@twin.example', language: 'en', country: 'US', sector: 'technology',
    })).id;
    await ok(w.core, 'users.create', { orgId: twin, name: 'Eve Fabrikam', email: 'eve@fabrikam.example', roleId: '00000000-0000-7000-8000-000000000003' });
    await ok(w.core, 'users.create', { orgId: twin, name: 'Old Timer', email: 'old@fabrikam.example', roleId: '00000000-0000-7000-8000-000000000003' });
    const old = await ok(w.core, 'users.create', { orgId: w.orgs.fabrikam, name: 'Old Timer', email: 'old@fabrikam.example', roleId: '00000000-0000-7000-8000-000000000003' });

    // A dry run first: the same answer shape, nothing written.
    const dry = await w.call('/api/v1/users/import', { key: w.keys.fabrikam, method: 'POST', body: importForm({ name: 'users.csv', content: sheet }, { update: '1', deactivate: 'true', dry_run: '1' }) });
    expect(dry.status).toBe(200);
    const dryResult = await body(dry);
    expect(dryResult.dryRun).toBe(true);
    expect((await ok(w.core, 'users.get', { id: old.id })).status).toBe('active');

    const res = await w.call('/api/v1/users/import', { key: w.keys.fabrikam, method: 'POST', body: importForm({ name: 'users.csv', content: sheet }, { update: '1', deactivate: '1', restore: '0' }) });
    expect(res.status).toBe(200);
    const api = await body(res);
    expect(Object.keys(api).sort()).toEqual(['created', 'deleted', 'dryRun', 'errorMessages', 'errors', 'filename', 'rows', 'skipped', 'updated']);
    expect(api).toMatchObject({ dryRun: false, created: [2, 5], updated: [3], deleted: 1, skipped: [], errors: [4], filename: 'users.csv', rows: 4 });
    expect(api.errorMessages['4'].Email).toHaveLength(1);
    expect({ ...dryResult, dryRun: false }).toEqual(api);

    const consoleCore = { call: w.core.call, on: w.core.subscribe } as unknown as Core;
    const viaConsole = await importResult(consoleCore, twin, 'users.csv', sheet, { update: true, deactivate: true });
    const { created, updated, deleted, skipped, errors, errorMessages, rows, filename, dryRun } = viaConsole;
    expect(api).toEqual({ created, updated, deleted, skipped, errors, errorMessages, rows, filename, dryRun });

    // The users that result are the same too.
    const usersOf = async (orgId: string) => (await ok(w.core, 'users.list', { orgId, limit: 100 })).items
      .map((u) => ({ name: u.name, email: u.email, role: u.roleName, status: u.status, source: u.source })).sort((a, b) => a.email.localeCompare(b.email));
    expect(await usersOf(w.orgs.fabrikam)).toEqual(await usersOf(twin));
    expect((await usersOf(w.orgs.fabrikam)).find((u) => u.email === 'old@fabrikam.example')?.status).toBe('deactivated');

    // Audited as the key.
    const audit = await ok(w.core, 'audit.list', { orgId: w.orgs.fabrikam, limit: 200 });
    expect(audit.items.some((e) => e.action === 'users.import' && e.actor.id === `api-key:${w.keyIds.fabrikam}`)).toBe(true);
  });

  it('imports no role above the key\'s and leaves users above it alone, even with deactivate', async () => {
    const labsAdmin = await ok(w.core, 'users.create', { orgId: w.orgs.labs, name: 'Labs Admin', email: 'labs.admin@contoso.example', roleId: '00000000-0000-7000-8000-000000000001' });
    const csv = [
      'Name,Email,Role,Organization',
      'New Boss,new.boss@contoso.example,Organization Administrator,Labs',
      'Labs Admin Renamed,labs.admin@contoso.example,Read-only,Labs',
      'Worker,worker@contoso.example,Operator,Labs',
      '',
    ].join('\n');
    const res = await w.call('/api/v1/users/import', { method: 'POST', body: importForm({ name: 'labs.csv', content: csv }, { update: '1', deactivate: '1', organization_id: w.orgs.labs }) });
    expect(res.status).toBe(200);
    const result = await body(res);
    expect(result).toMatchObject({ created: [4], errors: [2, 3] });
    expect(result.errorMessages['2'].Role).toEqual(['This API key cannot give the Organization Administrator role.']);
    expect(result.errorMessages['3'].Email[0]).toContain('labs.admin@contoso.example has a role above this API key');
    // Bob (Read-only, not in the file) is deactivated; the administrator, above the key, is not.
    expect(result.deleted).toBe(1);
    expect((await ok(w.core, 'users.get', { id: labsAdmin.id })).status).toBe('active');
    expect((await ok(w.core, 'users.get', { id: w.users.labsBob })).status).toBe('deactivated');
    await ok(w.core, 'users.setStatus', { ids: [w.users.labsBob], status: 'active' });
  });

  it('refuses a request without a file or with a bad flag, and an import outside the tree', async () => {
    const noFile = new FormData();
    noFile.set('update', '1');
    const r1 = await w.call('/api/v1/users/import', { method: 'POST', body: noFile });
    expect(r1.status).toBe(400);
    expect((await body(r1)).error.message).toBe('The "file" field is missing.');
    const r2 = await w.call('/api/v1/users/import', { method: 'POST', body: importForm({ name: 'u.csv', content: 'Name,Email\n' }, { update: 'maybe' }) });
    expect(r2.status).toBe(400);
    expect((await body(r2)).error.message).toBe('The field "update" must be true or false (1 or 0).');
    const r3 = await w.call('/api/v1/users/import', { method: 'POST', body: importForm({ name: 'u.csv', content: 'Name,Email\nA,a@x.example\n' }, { organization_id: w.orgs.fabrikam }) });
    expect(r3.status).toBe(403);
    const r4 = await w.call('/api/v1/users/import', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r4.status).toBe(400);
    // A sheet the importer cannot use: its own message, in the caller's language, and nothing written.
    const r5 = await w.call('/api/v1/users/import', {
      method: 'POST', headers: { 'Accept-Language': 'pt-BR' }, body: importForm({ name: 'u.csv', content: 'Foo,Bar\n1,2\n' }),
    });
    expect(r5.status).toBe(400);
    const e5 = (await body(r5)).error;
    expect(e5.code).toBe('BAD_INPUT');
    expect(e5.message.length).toBeGreaterThan(10);
    expect(e5.message).not.toBe((await body(await w.call('/api/v1/users/import', { method: 'POST', body: importForm({ name: 'u.csv', content: 'Foo,Bar\n1,2\n' }) }))).error.message);
  });
});

describe('REST API rate limit', () => {
  it('answers 429 with Retry-After once a key has spent its burst, other keys unaffected', async () => {
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = await w.call('/api/v1/organizations', { key: w.keys.partner });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited).not.toBeNull();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(59);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await body(limited!)).error.code).toBe('RATE_LIMITED');
    expect((await w.call('/api/v1/organizations', { key: w.keys.admin })).status).toBe(200);
  });
});
