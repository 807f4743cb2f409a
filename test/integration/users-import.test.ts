import { afterEach, describe, expect, it } from 'vitest';
import { counts, ok, orgInput, testCore } from './helpers.ts';
import { download, importResult, runImport } from './import-helpers.ts';
import { readWholeSheet } from '../../main/core/io/sheet-reader.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPERATOR = '00000000-0000-7000-8000-000000000002';
let core: ReturnType<typeof testCore>;
afterEach(() => core?.dispose());

/**
 * Contoso (client) with a sub-organization, and three users: Ana (active), Bo (deactivated),
 * Cy (active, not in the file).
 */
async function seed() {
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const { id: labs } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Labs' }));
  const ana = await ok(core, 'users.create', { orgId: client, name: 'Ana Old', email: 'ana@contoso.example', roleId: OPERATOR });
  const bo = await ok(core, 'users.create', { orgId: client, name: 'Bo', email: 'bo@contoso.example', roleId: OPERATOR });
  await ok(core, 'users.setStatus', { ids: [bo.id], status: 'deactivated' });
  const cy = await ok(core, 'users.create', { orgId: labs, name: 'Cy', email: 'cy@contoso.example', roleId: OPERATOR });
  return { partner, client, labs, ana, bo, cy };
}

// Row 1 is the header: rows 2.. are data rows, as a person sees them in Excel.
const FILE = [
  'Name,Email,Role,Organization,Email login enabled',
  'Ana New,ANA@contoso.example,Organization Administrator,,Y', // 2: existing, changed
  'Bo,bo@contoso.example,Operator,,', // 3: existing, deactivated
  'Dee,dee@contoso.example,Read-only,Labs,N', // 4: new, in the sub-organization
  'Eve,not-an-email,Operator,,', // 5: bad email
  'Fay,fay@contoso.example,Operator,,', // 6: duplicate of 7
  'Fay Again,FAY@contoso.example,Operator,,', // 7: duplicate of 6
  'Gus,gus@contoso.example,Pilot,,', // 8: unknown role
].join('\r\n');

const user = (email: string) => core.db.prepare(
  'SELECT u.name, u.status, u.source, u.email_login_enabled AS login, r.name AS role, o.name AS org FROM users u JOIN roles r ON r.id = u.role_id JOIN organizations o ON o.id = u.org_id WHERE u.email_fold = ?',
).get(email) as { name: string; status: string; source: string; login: number; role: string; org: string } | undefined;

describe('users import', () => {
  it('without options: creates new users, skips existing ones, reports bad rows by row and column', async () => {
    core = testCore();
    const { client } = await seed();
    const r = await importResult(core, client, 'users.csv', FILE);
    expect(r).toMatchObject({ dryRun: false, applied: true, created: [4], updated: [], deleted: 0, skipped: [2, 3], errors: [5, 6, 7, 8], rows: 7, filename: 'users.csv' });
    expect(r.errorMessages['5']).toEqual({ Email: ['Email: "not-an-email" is not a valid email address. Use the form name@example.com, without spaces.'] });
    expect(r.errorMessages['6']!.Email![0]).toContain('row 7');
    expect(r.errorMessages['7']!.Email![0]).toContain('row 6');
    expect(Object.keys(r.errorMessages['8']!)).toEqual(['Role']);
    expect(r.errorMessages['8']!.Role![0]).toContain('Pilot');
    expect(user('dee@contoso.example')).toEqual({ name: 'Dee', status: 'active', source: 'import', login: 0, role: 'Read-only', org: 'Labs' });
    expect(user('ana@contoso.example')!.name).toBe('Ana Old');
    expect(user('bo@contoso.example')!.status).toBe('deactivated');
    expect(r.preview.map((p) => [p.row, p.action])).toEqual([[2, 'skip'], [3, 'skip'], [4, 'create'], [5, 'error'], [6, 'error'], [7, 'error'], [8, 'error']]);
    // The error report: the failed rows as they were, with their row number and what is wrong.
    const report = join(core.dir, 'errors.xlsx');
    writeFileSync(report, await download(core, r.errorReportFileId!));
    const sheet = await readWholeSheet({ path: report });
    expect(sheet.header).toEqual(['Name', 'Email', 'Role', 'Organization', 'Email login enabled', 'Original row', 'Errors']);
    expect(sheet.rows.map((row) => row.cells[5])).toEqual(['5', '6', '7', '8']);
    expect(sheet.rows[0]!.cells.slice(0, 2)).toEqual(['Eve', 'not-an-email']);
    expect(sheet.rows[0]!.cells[6]).toContain('is not a valid email address');
    // Fixed and imported again, the report's own columns are ignored and the rows go in.
    const fixed = [sheet.header, ...sheet.rows.map((row) => row.cells)]
      .map((cells, i) => (i === 1 ? ['Eve', 'eve@contoso.example', ...cells.slice(2)] : cells))
      .map((cells) => cells.map((c) => `"${(c ?? '').replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const again = await importResult(core, client, 'fixed.csv', fixed);
    expect(again.created).toEqual([2]);
    expect(again.unknownColumns).toEqual([]);
  });

  it('an email repeated far down a file: the rows applied meanwhile are rolled back, and the file read again names both rows', async () => {
    core = testCore();
    const { client } = await seed();
    // A real import hands each batch of rows (500) to the apply worker while it reads the next ones:
    // by the last row, thousands are written in the open transaction.
    const n = 3000;
    const lines = ['Name,Email,Role'];
    for (let i = 0; i < n; i++) lines.push(`Person ${i},person${i}@contoso.example,Operator`);
    lines.push('Late Twin,PERSON1@contoso.example,Operator'); // row n + 2 repeats row 3
    const before = counts(core);
    const r = await importResult(core, client, 'many.csv', lines.join('\r\n'));
    expect(r).toMatchObject({ applied: true, errors: [3, n + 2], rows: n + 1 });
    expect(r.created).toHaveLength(n - 1);
    expect(r.errorMessages['3']!.Email![0]).toContain(`row ${n + 2}`);
    expect(r.errorMessages[String(n + 2)]!.Email![0]).toContain('row 3');
    expect(user('person1@contoso.example')).toBeUndefined();
    // Each created user once, with one change and one audit entry: nothing of the abandoned run remains.
    const after = counts(core);
    expect(after.users - before.users).toBe(n - 1);
    expect(after.changes - before.changes).toBe(n - 1);
    expect(after.audit - before.audit).toBe(n - 1);
  });

  it('update: changes existing users to match the file', async () => {
    core = testCore();
    const { client } = await seed();
    const r = await importResult(core, client, 'users.csv', FILE, { update: true });
    expect(r).toMatchObject({ created: [4], updated: [2], skipped: [3] });
    expect(user('ana@contoso.example')).toMatchObject({ name: 'Ana New', role: 'Organization Administrator', login: 1 });
    expect(r.preview[0]).toMatchObject({ row: 2, action: 'update', changes: ['name', 'roleId', 'emailLoginEnabled'] });
    // Email login switched on by the file: the welcome email is queued, as with the console's switch.
    await expect.poll(async () => (await ok(core, 'mail.outbox.list', {})).items.map((m) => m.to)).toEqual(['ana@contoso.example']);
  });

  it('restore: brings back deactivated users present in the file', async () => {
    core = testCore();
    const { client } = await seed();
    const r = await importResult(core, client, 'users.csv', FILE, { restore: true });
    expect(r).toMatchObject({ created: [4], updated: [3], restored: [3], skipped: [2] });
    expect(user('bo@contoso.example')!.status).toBe('active');
  });

  it('deactivate: deactivates the active users the file does not list, and counts them as deleted', async () => {
    core = testCore();
    const { client } = await seed();
    const r = await importResult(core, client, 'users.csv', FILE, { deactivate: true });
    expect(r.deleted).toBe(1);
    expect(user('cy@contoso.example')!.status).toBe('deactivated');
    expect(user('ana@contoso.example')!.status).toBe('active');
  });

  it('all options together, and the same as a dry run that changes nothing', async () => {
    core = testCore();
    const { client } = await seed();
    const before = counts(core);
    const dry = await importResult(core, client, 'users.csv', FILE, { update: true, restore: true, deactivate: true, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, applied: false, created: [4], updated: [2, 3], restored: [3], deleted: 1, skipped: [], errors: [5, 6, 7, 8] });
    expect(counts(core)).toEqual(before);
    const real = await importResult(core, client, 'users.csv', FILE, { update: true, restore: true, deactivate: true });
    expect({ ...real, dryRun: true, applied: false, errorReportFileId: null }).toEqual({ ...dry, errorReportFileId: null });
    expect(user('bo@contoso.example')!.status).toBe('active');
    expect(user('cy@contoso.example')!.status).toBe('deactivated');
    // One mutation, one audit row per changed user, all under users.import, with the welcome email
    // (link + queued mail) of Ana, whose email login the file switched on, in the same transaction.
    const audited = core.db.prepare("SELECT target_type AS type, count(*) AS n, count(DISTINCT mutation_id) AS m FROM audit WHERE action = 'users.import' GROUP BY target_type ORDER BY target_type").all();
    expect(audited).toEqual([{ type: 'loginLink', n: 1, m: 1 }, { type: 'mailMessage', n: 1, m: 1 }, { type: 'user', n: 4, m: 1 }]);
  });

  it('"apply only if every row is valid" applies nothing when a row has an error', async () => {
    core = testCore();
    const { client } = await seed();
    const before = counts(core);
    const r = await importResult(core, client, 'users.csv', FILE, { allOrNothing: true, update: true });
    expect(r).toMatchObject({ applied: false, created: [4], errors: [5, 6, 7, 8] });
    expect(counts(core)).toEqual(before);
    const clean = FILE.split('\r\n').slice(0, 5).filter((_, i) => i !== 4).join('\r\n');
    expect((await importResult(core, client, 'users.csv', clean, { allOrNothing: true })).applied).toBe(true);
  });

  it('refuses email login where the organization has email/password sign-in off', async () => {
    core = testCore();
    const { client } = await seed();
    core.deps.mutations.run('test.switchOff', core.profile(), (w) => w.update('organization', client, { emailPasswordEnabled: false }));
    const r = await importResult(core, client, 'users.csv', 'Name,Email,Email login enabled\r\nHal,hal@contoso.example,Y\r\nIda,ida@contoso.example,N', {});
    expect(r).toMatchObject({ created: [3], errors: [2] });
    expect(r.errorMessages['2']!['Email login enabled']![0]).toContain('switched off for this organization');
  });

  it('stops before anything runs when a required column is missing', async () => {
    core = testCore();
    const { client } = await seed();
    const before = counts(core);
    const job = await runImport(core, client, 'users.csv', 'Nombre,Rol\r\nAna,Operator');
    expect(job.state).toBe('failed');
    expect(job.error!.message).toMatch(/Email/);
    expect(counts(core)).toEqual(before);
  });

  it('refuses a file that is not a spreadsheet, whatever its name', async () => {
    core = testCore();
    const { client } = await seed();
    const job = await runImport(core, client, 'users.xlsx', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'));
    expect(job.state).toBe('failed');
    expect(job.error!.code).toBe('BAD_INPUT');
  });

  it('round trip: export -> import unchanged skips everyone; editing two rows updates exactly those two', async () => {
    core = testCore();
    const { client } = await seed();
    await importResult(core, client, 'users.csv', FILE); // a few more users
    const { jobId } = await ok(core, 'users.exportStart', { orgId: client, includeSubOrgs: true, format: 'xlsx', language: 'en' });
    const { finalState } = await import('./import-helpers.ts');
    const exported = await finalState(core, jobId);
    expect(exported.state).toBe('done');
    const file = exported.result as { fileId: string; rows: number };
    const xlsx = await download(core, file.fileId);
    const unchanged = await importResult(core, client, 'export.xlsx', xlsx, { update: true, restore: false });
    expect(unchanged).toMatchObject({ created: [], updated: [], errors: [] });
    expect(unchanged.skipped).toHaveLength(file.rows);

    // Edit the export as a person would (read it back, change two names, save as CSV).
    const path = join(core.dir, 'export.xlsx');
    writeFileSync(path, xlsx);
    const sheet = await readWholeSheet({ path });
    const rows = sheet.rows.map((r) => [...r.cells]);
    rows[0]![0] = `${rows[0]![0]} (edited)`;
    rows[2]![0] = `${rows[2]![0]} (edited)`;
    const csv = [sheet.header, ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
    const edited = await importResult(core, client, 'edited.csv', csv, { update: true });
    expect(edited.updated).toEqual([2, 4]);
    expect(edited.skipped).toHaveLength(file.rows - 2);
  });
});
