/**
 * Directory import against a real OpenLDAP (Debian's slapd) started by the test on 127.0.0.1 and a
 * free high port: sources, test connection and its errors, mapping preview, full run with preview,
 * accept, idempotent rerun, attribute change, rename/move, disable/enable, deletions with the
 * safety rules, cancel, delta, TLS, page-size limit, injection strings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, EqualityFilter } from 'ldapts';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { finalState } from './import-helpers.ts';
import {
  ADMIN_DN, ADMIN_PW, SUFFIX, SYNC_DN, SYNC_PW, freePort, startSilentServer, startSlapd, uidOf, usersLdif, type Slapd,
} from '../fixtures/directory/slapd.ts';
import { MAPPING_PRESETS, FILTER_PRESETS } from '../../shared/model/directory.ts';
import { escapeDnValue, escapeFilterValue } from '../../shared/rules/directory.ts';
import type { Job } from '../../shared/model/job.ts';

const N = 120;
let slapd: Slapd;
let core: ReturnType<typeof testCore>;
let orgId: string;

const sourceInput = (over: Record<string, unknown> = {}) => ({
  orgId, name: 'Lab OpenLDAP', kind: 'openldap', host: '127.0.0.1', port: slapd.port, security: 'none', caCertificate: '',
  bindDn: ADMIN_DN, bindPassword: ADMIN_PW, baseDn: `ou=people,${SUFFIX}`, userFilter: FILTER_PRESETS.openldap.user, groupFilter: '',
  pageSize: 50, connectTimeoutMs: 2000, timeoutMs: 3000, mapping: { ...MAPPING_PRESETS.openldap, disabled: 'employeeType' },
  removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes: 0, ...over,
});

async function run(sourceId: string, mode: 'full' | 'delta' = 'full', onProgress?: (j: Job) => void) {
  const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId, mode });
  const job = await finalState(core, jobId, onProgress);
  return { job, runId, run: await ok(core, 'directory.run.get', { runId }) };
}
async function apply(runId: string, confirmRemovals = false) {
  const { jobId } = await ok(core, 'directory.run.apply', { runId, confirmRemovals });
  const job = await finalState(core, jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return ok(core, 'directory.run.get', { runId });
}
const userByEmail = (email: string) =>
  core.db.prepare('SELECT id, name, email, status, source FROM users WHERE email_fold = ?').get(email.toLowerCase()) as
    { id: string; name: string; email: string; status: string; source: string } | undefined;
const statusCounts = () => Object.fromEntries((core.db.prepare("SELECT status, count(*) AS n FROM users WHERE source = 'directory' GROUP BY status").all() as
  { status: string; n: number }[]).map((r) => [r.status, r.n]));

beforeAll(async () => {
  slapd = await startSlapd({ ldif: usersLdif(N, 5), tls: true });
  core = testCore();
  orgId = (await ok(core, 'org.create', orgInput())).id;
}, 60_000);
afterAll(async () => {
  core?.dispose();
  await slapd?.stop();
});

describe('test connection', () => {
  it('binds, reads the root DSE and counts the users', async () => {
    const r = await ok(core, 'directory.testConnection', sourceInput());
    expect(r).toMatchObject({ ok: true, problem: null, userCount: N });
    expect(r.namingContexts).toContain(SUFFIX);
    expect(r.vendor).toMatch(/OpenLDAP/);
  });
  it('says what is wrong: password, host, base DN, silence, filter', async () => {
    expect(await ok(core, 'directory.testConnection', sourceInput({ bindPassword: 'nope' }))).toMatchObject({ ok: false, problem: 'invalid_credentials' });
    const closed = await freePort();
    expect(await ok(core, 'directory.testConnection', sourceInput({ port: closed }))).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(await ok(core, 'directory.testConnection', sourceInput({ baseDn: `ou=nowhere,${SUFFIX}` }))).toMatchObject({ ok: false, problem: 'base_dn_not_found' });
    expect(await ok(core, 'directory.testConnection', sourceInput({ userFilter: '(&(objectClass=inetOrgPerson)' })))
      .toMatchObject({ ok: false, problem: 'filter_invalid' });
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const r = await ok(core, 'directory.testConnection', sourceInput({ port: silent.port, timeoutMs: 1000 }));
      expect(r).toMatchObject({ ok: false, problem: 'timeout' });
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await silent.close();
    }
  });
  it('TLS: LDAPS and StartTLS work with the CA and fail closed without it', async () => {
    const withCa = { caCertificate: slapd.caPem!, host: '127.0.0.1' };
    expect(await ok(core, 'directory.testConnection', sourceInput({ ...withCa, security: 'ldaps', port: slapd.tlsPort }))).toMatchObject({ ok: true, userCount: N });
    expect(await ok(core, 'directory.testConnection', sourceInput({ ...withCa, security: 'startTls' }))).toMatchObject({ ok: true, userCount: N });
    expect(await ok(core, 'directory.testConnection', sourceInput({ security: 'ldaps', port: slapd.tlsPort }))).toMatchObject({ ok: false, problem: 'tls_untrusted' });
    expect(await ok(core, 'directory.testConnection', sourceInput({ security: 'startTls' }))).toMatchObject({ ok: false, problem: 'tls_untrusted' });
  });
  it('a page size above the server limit is a clear error, not a truncated read', async () => {
    const r = await ok(core, 'directory.testConnection', sourceInput({ bindDn: SYNC_DN, bindPassword: SYNC_PW, pageSize: 2000 }));
    expect(r).toMatchObject({ ok: false, problem: 'page_size_too_large' });
    expect(await ok(core, 'directory.testConnection', sourceInput({ bindDn: SYNC_DN, bindPassword: SYNC_PW, pageSize: 1000 }))).toMatchObject({ ok: true, userCount: N });
  });
});

describe('sources and mapping', () => {
  it('keeps the password out of SQLite and validates fields', async () => {
    const bad = await fails(core, 'directory.sources.save', sourceInput({ host: '', port: 70000, userFilter: 'uid=*' }));
    expect(Object.keys(bad.fields ?? {})).toEqual(expect.arrayContaining(['host', 'port', 'userFilter']));
    const s = await ok(core, 'directory.sources.save', sourceInput({ name: 'Temp' }));
    expect(s.hasPassword).toBe(true);
    expect(JSON.stringify(core.db.prepare('SELECT * FROM directory_sources').all())).not.toContain(ADMIN_PW);
    expect(JSON.stringify(core.db.prepare('SELECT * FROM audit').all())).not.toContain(ADMIN_PW);
    expect((await fails(core, 'directory.sources.delete', { id: s.id, confirm: 'wrong' })).fields).toHaveProperty('confirm');
    await ok(core, 'directory.sources.delete', { id: s.id, confirm: 'Temp' });
  });
  it('previews a few real entries mapped', async () => {
    const r = await ok(core, 'directory.previewMapping', { ...sourceInput(), limit: 3 });
    expect(r.ok).toBe(true);
    expect(r.entries).toHaveLength(3);
    expect(r.entries[0]).toMatchObject({ email: `${uidOf(0)}@example.com`, name: 'Ana Silva 0', attributes: { login: uidOf(0), title: 'Engineer 0' } });
    expect(r.entries[0]!.anchor).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('import runs', () => {
  let sourceId: string;
  beforeAll(async () => {
    sourceId = (await ok(core, 'directory.sources.save', sourceInput())).id;
  });

  it('a full run previews, applies nothing until asked, then lands every user as pending, byte-exact', async () => {
    let sawReading = false;
    const { job, runId, run: r } = await run(sourceId, 'full', (j) => { if (j.phase === 'reading') sawReading = true; });
    expect(job.state).toBe('done');
    expect(sawReading).toBe(true);
    expect(r).toMatchObject({ state: 'previewed', counts: { read: N, creates: N, updates: 0, removals: 0, errors: 0 } });
    expect(statusCounts()).toEqual({});
    const items = await ok(core, 'directory.run.items', { runId, kind: 'create', limit: 500 });
    expect(items.total).toBe(N);
    const applied = await apply(runId);
    expect(applied.state).toBe('applied');
    expect(statusCounts()).toEqual({ pending: N });
    // Unicode and comma-bearing names arrive exactly.
    expect(userByEmail(`${uidOf(41)}@example.com`)).toMatchObject({ name: 'João Smith, Jr. 41', source: 'directory', status: 'pending' });
    expect(userByEmail(`${uidOf(33)}@example.com`)!.name).toBe('João Nguyễn 33');
    const audit = core.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'directory.apply' AND target_type = 'user'").get() as { n: number };
    expect(audit.n).toBe(N);
  });

  it('a second run with no change changes nothing', async () => {
    const { run: r } = await run(sourceId);
    expect(r.counts).toMatchObject({ read: N, creates: 0, updates: 0, disables: 0, enables: 0, removals: 0, unchanged: N });
  });

  it('accepting pending users makes them active (some, then all)', async () => {
    const page = await ok(core, 'directory.pending.list', { orgId, limit: 2 });
    expect(page.total).toBe(N);
    await ok(core, 'directory.pending.accept', { orgId, ids: page.items.map((u) => u.id) });
    expect(statusCounts()).toEqual({ pending: N - 2, active: 2 });
    expect((await fails(core, 'directory.pending.accept', { orgId, ids: [page.items[0]!.id] })).fields).toHaveProperty('ids');
    await ok(core, 'directory.pending.accept', { orgId, all: true });
    expect(statusCounts()).toEqual({ active: N });
  });

  it('attribute changes and renames/moves update the same user', async () => {
    const before = userByEmail(`${uidOf(1)}@example.com`)!;
    const moved = userByEmail(`${uidOf(2)}@example.com`)!;
    slapd.modify(`dn: uid=${uidOf(1)},ou=people,${SUFFIX}\nchangetype: modify\nreplace: cn\ncn: Renamed Person\n-\nreplace: title\ntitle: Boss\n`);
    // A move out of the read base looks like a deletion; within it, a rename keeps the anchor.
    slapd.modify(`dn: uid=${uidOf(2)},ou=people,${SUFFIX}\nchangetype: modrdn\nnewrdn: uid=${uidOf(2)}-renamed\ndeleteoldrdn: 0\n`);
    const { runId, run: r } = await run(sourceId);
    expect(r.counts).toMatchObject({ creates: 0, updates: 2, removals: 0 });
    const items = await ok(core, 'directory.run.items', { runId, kind: 'update' });
    expect(items.items.find((i) => i.email === `${uidOf(1)}@example.com`)!.changes).toMatchObject({ name: ['João Silva 1', 'Renamed Person'], title: ['Engineer 1', 'Boss'] });
    await apply(runId);
    expect(userByEmail(`${uidOf(1)}@example.com`)).toMatchObject({ id: before.id, name: 'Renamed Person' });
    expect(userByEmail(`${uidOf(2)}@example.com`)!.id).toBe(moved.id);
    const link = core.db.prepare('SELECT dn FROM directory_links WHERE user_id = ?').get(moved.id) as { dn: string };
    expect(link.dn).toBe(`uid=${uidOf(2)}-renamed,ou=people,${SUFFIX}`);
  });

  it('disabled accounts are deactivated and restored when re-enabled', async () => {
    slapd.modify(`dn: uid=${uidOf(3)},ou=people,${SUFFIX}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n`);
    let { runId, run: r } = await run(sourceId);
    expect(r.counts).toMatchObject({ disables: 1, updates: 0 });
    await apply(runId);
    expect(userByEmail(`${uidOf(3)}@example.com`)!.status).toBe('deactivated');
    slapd.modify(`dn: uid=${uidOf(3)},ou=people,${SUFFIX}\nchangetype: modify\ndelete: employeeType\n`);
    ({ runId, run: r } = await run(sourceId));
    expect(r.counts).toMatchObject({ enables: 1 });
    await apply(runId);
    expect(userByEmail(`${uidOf(3)}@example.com`)!.status).toBe('active');
  });

  it('never removes after an empty or failed read; removes after a complete one; big removals wait for confirmation', async () => {
    // Empty read (a filter that matches nothing): no removals.
    await ok(core, 'directory.sources.save', { ...sourceInput({ userFilter: '(uid=nobody-here)' }), id: sourceId, bindPassword: undefined });
    let { run: r } = await run(sourceId);
    expect(r).toMatchObject({ removalsSkipped: true, counts: { read: 0, removals: 0 } });
    // Failed read (wrong password): the run fails, nothing planned.
    await ok(core, 'directory.sources.save', { ...sourceInput({ bindPassword: 'wrong' }), id: sourceId });
    const failed = await run(sourceId);
    expect(failed.job.state).toBe('failed');
    expect(failed.job.error?.key).toBe('directory.problem.invalid_credentials');
    expect(failed.run.state).toBe('failed');
    await ok(core, 'directory.sources.save', { ...sourceInput(), id: sourceId });

    // One deletion: below the threshold, applied; the active user is deactivated, not deleted.
    slapd.modify(`dn: uid=${uidOf(4)},ou=people,${SUFFIX}\nchangetype: delete\n`);
    ({ run: r } = await run(sourceId));
    expect(r.counts.removals).toBe(1);
    expect(r.removalsNeedConfirmation).toBe(false);
    await apply(r.id);
    expect(userByEmail(`${uidOf(4)}@example.com`)!.status).toBe('deactivated');

    // 20 of ~119 (over 10%): waits for an administrator.
    slapd.modify(Array.from({ length: 20 }, (_, i) => `dn: uid=${uidOf(100 + i)},ou=people,${SUFFIX}\nchangetype: delete\n`).join('\n'));
    ({ run: r } = await run(sourceId));
    expect(r.counts.removals).toBe(20);
    expect(r.removalsNeedConfirmation).toBe(true);
    const refused = await fails(core, 'directory.run.apply', { runId: r.id });
    expect(refused.fields).toHaveProperty('confirmRemovals');
    expect(statusCounts().deactivated).toBe(1);
    await apply(r.id, true);
    expect(statusCounts().deactivated).toBe(21);
  });

  it('a cancelled run applies nothing', async () => {
    slapd.add(usersLdif(5, 0, 500));
    const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId });
    await ok(core, 'jobs.cancel', { jobId });
    const job = await finalState(core, jobId);
    expect(job.state).toBe('cancelled');
    expect((await ok(core, 'directory.run.get', { runId })).state).toBe('cancelled');
    expect(userByEmail(`${uidOf(500)}@example.com`)).toBeUndefined();
  });

  it('a cancelled apply rolls everything back and the run can still be applied', async () => {
    slapd.add(usersLdif(520, 0, 1000));
    const { run: r } = await run(sourceId);
    expect(r.counts.creates).toBe(520 + 5); // and the five of the cancelled run
    const before = statusCounts();
    const { jobId } = await ok(core, 'directory.run.apply', { runId: r.id });
    // Cancelled at once: before the writes start or while the apply worker runs them (waiting for a
    // progress event raced the worker's last slices). A conflict found after part of an apply was
    // written rolls back too: directory-staging.test.ts.
    await ok(core, 'jobs.cancel', { jobId });
    const job = await finalState(core, jobId);
    expect(job.state).toBe('cancelled');
    expect(statusCounts()).toEqual(before);
    expect((await ok(core, 'directory.run.get', { runId: r.id })).state).toBe('previewed');
    await apply(r.id);
    expect(statusCounts().pending).toBe((before.pending ?? 0) + 525);
  });

  it('a delta run reads only what changed since the last run', async () => {
    const second = () => new Promise((r) => setTimeout(r, 1100)); // modifyTimestamp has one-second resolution
    // The newest change before the full read is alone in its second: the delta's watermark.
    await second();
    slapd.modify(`dn: uid=${uidOf(8)},ou=people,${SUFFIX}\nchangetype: modify\nreplace: title\ntitle: Marker\n`);
    await second();
    const full = await run(sourceId);
    await apply(full.runId);
    await second();
    slapd.modify(`dn: uid=${uidOf(7)},ou=people,${SUFFIX}\nchangetype: modify\nreplace: title\ntitle: Delta\n`);
    const { run: r } = await run(sourceId, 'delta');
    expect(r.mode).toBe('delta');
    // The changed entry, plus the one of the watermark's own second (read again, unchanged).
    expect(r.counts).toMatchObject({ read: 2, updates: 1, unchanged: 1, removals: 0 });
  });

  it('a run started to apply (as the schedule starts them) applies at once; new users still wait as pending', async () => {
    slapd.add(usersLdif(2, 0, 600));
    const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId, apply: true });
    expect((await finalState(core, jobId)).state).toBe('done');
    expect(await ok(core, 'directory.run.get', { runId })).toMatchObject({ state: 'applied', counts: { creates: 2 } });
    expect(userByEmail(`${uidOf(600)}@example.com`)!.status).toBe('pending');
    // Removals above the threshold are not applied by such a run: it waits for an administrator.
    slapd.modify(Array.from({ length: 80 }, (_, i) => `dn: uid=${uidOf(1000 + i)},ou=people,${SUFFIX}\nchangetype: delete\n`).join('\n'));
    const second = await ok(core, 'directory.run.start', { sourceId, apply: true });
    expect((await finalState(core, second.jobId)).state).toBe('done');
    expect(await ok(core, 'directory.run.get', { runId: second.runId })).toMatchObject({ state: 'awaiting_confirmation', counts: { removals: 80 } });
    expect(userByEmail(`${uidOf(1000)}@example.com`)!.status).toBe('pending');
    await apply(second.runId, true);
    expect(userByEmail(`${uidOf(1000)}@example.com`)!.status).toBe('archived'); // removed before acceptance
  });

  it('groups mapped to roles: members get the first mapped group\'s role; a membership change is seen by a delta', async () => {
    const OPERATOR = '00000000-0000-7000-8000-000000000002';
    const ADMIN = '00000000-0000-7000-8000-000000000001';
    const bad = await fails(core, 'directory.sources.save', { ...sourceInput({ groupRoles: [{ groupDn: `cn=group0000,ou=groups,${SUFFIX}`, roleId: 'nope' }] }), id: sourceId, bindPassword: undefined });
    expect(bad.fields).toHaveProperty('groupRoles.0.roleId');
    await ok(core, 'directory.sources.save', { ...sourceInput({ groupRoles: [
      { groupDn: `cn=group0000,ou=groups,${SUFFIX}`, roleId: OPERATOR }, { groupDn: `cn=group0001,ou=groups,${SUFFIX}`, roleId: ADMIN },
    ] }), id: sourceId, bindPassword: undefined });
    const roleOf = (i: number) => (core.db.prepare('SELECT role_id FROM users WHERE email_fold = ?').get(`${uidOf(i)}@example.com`) as { role_id: string }).role_id;
    const full = await run(sourceId);
    expect(full.job.state).toBe('done');
    await apply(full.runId);
    expect([roleOf(10), roleOf(11), roleOf(12)]).toEqual([OPERATOR, ADMIN, '00000000-0000-7000-8000-000000000003']);
    slapd.modify(`dn: cn=group0000,ou=groups,${SUFFIX}\nchangetype: modify\ndelete: member\nmember: uid=${uidOf(10)},ou=people,${SUFFIX}\n`);
    const delta = await run(sourceId, 'delta');
    expect(delta.run).toMatchObject({ mode: 'delta', counts: { updates: 1 } });
    await apply(delta.runId);
    expect(roleOf(10)).toBe('00000000-0000-7000-8000-000000000003');
    // A mapped group that is gone fails the run; no role changes.
    await ok(core, 'directory.sources.save', { ...sourceInput({ groupRoles: [{ groupDn: `cn=gone,ou=groups,${SUFFIX}`, roleId: ADMIN }] }), id: sourceId, bindPassword: undefined });
    const failed = await run(sourceId);
    expect(failed.job.error?.key).toBe('directory.problem.group_not_found');
    await ok(core, 'directory.sources.save', { ...sourceInput(), id: sourceId, bindPassword: undefined });
  });

  it('the history lists every run, newest first', async () => {
    const runs = await ok(core, 'directory.runs.list', { sourceId });
    expect(runs.length).toBeGreaterThan(8);
    expect(runs.map((x) => x.state)).toEqual(expect.arrayContaining(['applied', 'failed', 'cancelled']));
    // Applied (short and long), failed and cancelled runs leave no staged plan behind.
    const staged = core.db.prepare('SELECT r.state FROM directory_plans p JOIN directory_runs r ON r.id = p.run_id').all() as { state: string }[];
    expect(staged.filter((p) => p.state !== 'previewed' && p.state !== 'awaiting_confirmation')).toEqual([]);
  });
});

describe('schedule', () => {
  it('a source with a schedule runs by itself (full first) and applies; new users wait as pending', async () => {
    process.env.ORGDESK_DIRECTORY_TICK_MS = '100';
    const scheduled = testCore();
    delete process.env.ORGDESK_DIRECTORY_TICK_MS;
    try {
      const org = (await ok(scheduled, 'org.create', orgInput({ name: 'Scheduled MSP' }))).id;
      const source = await ok(scheduled, 'directory.sources.save', { ...sourceInput({ scheduleMinutes: 60 }), orgId: org });
      let runs: Awaited<ReturnType<typeof ok<'directory.runs.list'>>> = [];
      for (let i = 0; i < 400 && !runs.some((r) => r.state === 'applied'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        runs = await ok(scheduled, 'directory.runs.list', { sourceId: source.id });
      }
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ trigger: 'schedule', mode: 'full', state: 'applied' });
      const pending = await ok(scheduled, 'directory.pending.list', { orgId: org });
      expect(pending.total).toBe(runs[0]!.counts.creates);
      // Not again before its interval.
      await new Promise((r) => setTimeout(r, 400));
      expect(await ok(scheduled, 'directory.runs.list', { sourceId: source.id })).toHaveLength(1);
    } finally {
      scheduled.dispose();
    }
  }, 60_000);

  it('a scheduled source whose bind password is not in this machine\'s keychain (a synced copy) is not run here', async () => {
    process.env.ORGDESK_DIRECTORY_TICK_MS = '100';
    const scheduled = testCore();
    delete process.env.ORGDESK_DIRECTORY_TICK_MS;
    try {
      const org = (await ok(scheduled, 'org.create', orgInput({ name: 'Synced copy MSP' }))).id;
      const source = await ok(scheduled, 'directory.sources.save', { ...sourceInput({ scheduleMinutes: 60 }), orgId: org });
      await scheduled.deps.secrets.delete(`directory-bind:${source.id}`);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await ok(scheduled, 'directory.runs.list', { sourceId: source.id })).toEqual([]);
    } finally {
      scheduled.dispose();
    }
  }, 60_000);
});

describe('injection-safe values', () => {
  it('escaped filter values match literally and escaped DNs round-trip', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(ADMIN_DN, ADMIN_PW);
    try {
      const names = ['x\\ ', '#Smith, Jr. <boss>+"x"; a\\b ', ' lead', 'José*(evil)', 'trail ', 'a=b'];
      for (const cn of names) {
        await client.add(`cn=${escapeDnValue(cn)},ou=groups,${SUFFIX}`, { objectClass: ['organizationalRole'], cn });
        const { searchEntries } = await client.search(`ou=groups,${SUFFIX}`, { filter: `(cn=${escapeFilterValue(cn)})`, attributes: ['cn'] });
        expect(searchEntries.map((e) => e.cn)).toEqual([cn]);
      }
      for (const evil of ['*)(uid=*', '*', '\\', '\0', '(']) {
        const { searchEntries } = await client.search(`ou=people,${SUFFIX}`, { filter: `(uid=${escapeFilterValue(evil)})`, attributes: ['uid'] });
        expect(searchEntries).toHaveLength(0);
      }
      // Non-ASCII values go as filter objects (ldapts's string parser corrupts escaped bytes >= 0x80).
      const { searchEntries } = await client.search(`ou=people,${SUFFIX}`, { filter: new EqualityFilter({ attribute: 'givenName', value: 'João' }), attributes: ['uid'] });
      expect(searchEntries.length).toBeGreaterThan(0);
    } finally {
      await client.unbind();
    }
  });
});
