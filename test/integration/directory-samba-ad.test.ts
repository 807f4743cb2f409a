/**
 * Active Directory behaviour against a real Samba AD DC started by the test (127.0.0.1, LDAPS with
 * its own CA): objectGUID as the anchor (checked against ldapsearch's bytes), userAccountControl
 * bit 2 (546 disabled, 544 enabled), a uSNChanged delta that sees a modify, a disable and a
 * rename/move as changes of the same users, and AD's refusal of a simple bind without TLS.
 * Skipped where Samba is not installed (it needs root and ports 389/636).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, orgInput, testCore } from './helpers.ts';
import { finalState } from './import-helpers.ts';
import { AD_ADMIN, AD_ADMIN_PW, AD_BASE, sambaAvailable, startSambaAd, type SambaAd } from '../fixtures/directory/samba-ad.ts';
import { FILTER_PRESETS, MAPPING_PRESETS } from '../../shared/model/directory.ts';
import { guidToString } from '../../shared/rules/directory.ts';

const STAFF = `OU=Staff,${AD_BASE}`;
const user = (n: number, uac: number) => {
  const sam = `u${String(n).padStart(6, '0')}`;
  return [`dn: CN=${sam},${STAFF}`, 'objectClass: user', `sAMAccountName: ${sam}`, `userPrincipalName: ${sam}@example.test`,
    `givenName:: ${Buffer.from('João').toString('base64')}`, 'sn: Silva', `displayName:: ${Buffer.from(`João Silva ${n}`).toString('base64')}`,
    `mail: ${sam}@example.test`, 'department: Finance', `userAccountControl: ${uac}`, ''].join('\n');
};

describe.skipIf(!sambaAvailable())('Active Directory (Samba AD DC)', () => {
  let ad: SambaAd;
  let core: ReturnType<typeof testCore>;
  let orgId: string;
  let sourceId: string;
  const input = (over: Record<string, unknown> = {}) => ({
    orgId, name: 'Example AD', kind: 'activeDirectory', host: '127.0.0.1', port: 636, security: 'ldaps', caCertificate: ad.caPem,
    bindDn: AD_ADMIN, bindPassword: AD_ADMIN_PW, baseDn: STAFF, userFilter: FILTER_PRESETS.activeDirectory.user, groupFilter: '',
    pageSize: 1000, connectTimeoutMs: 5000, timeoutMs: 30_000, mapping: MAPPING_PRESETS.activeDirectory,
    removalThresholdCount: 500, removalThresholdPercent: 50, scheduleMinutes: 0, ...over,
  });
  const runAndApply = async (mode: 'full' | 'delta') => {
    const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId, mode });
    const job = await finalState(core, jobId);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const run = await ok(core, 'directory.run.get', { runId });
    const applied = await finalState(core, (await ok(core, 'directory.run.apply', { runId })).jobId);
    expect(applied.state, JSON.stringify(applied.error)).toBe('done');
    return run;
  };
  const linkOf = (email: string) => core.db.prepare(
    'SELECT l.anchor, l.dn, u.id, u.name, u.status FROM directory_links l JOIN users u ON u.id = l.user_id WHERE u.email_fold = ?',
  ).get(email) as { anchor: string; dn: string; id: string; name: string; status: string };

  beforeAll(async () => {
    ad = await startSambaAd();
    ad.ldif('ldapadd', [`dn: ${STAFF}\nobjectClass: organizationalUnit\n`, `dn: OU=Moved,${AD_BASE}\nobjectClass: organizationalUnit\n`,
      ...Array.from({ length: 10 }, (_, i) => user(i + 1, 544)), user(11, 546), user(12, 66082)].join('\n'));
    core = testCore();
    orgId = (await ok(core, 'org.create', orgInput())).id;
  }, 180_000);
  afterAll(async () => {
    core?.dispose();
    await ad?.stop();
  });

  it('test connection over LDAPS; a simple bind without TLS is refused as AD does', async () => {
    expect(await ok(core, 'directory.testConnection', input())).toMatchObject({ ok: true, userCount: 12 });
    expect(await ok(core, 'directory.testConnection', input({ security: 'none', port: 389 }))).toMatchObject({ ok: false, problem: 'strong_auth_required' });
    expect(await ok(core, 'directory.testConnection', input({ bindPassword: 'wrong' }))).toMatchObject({ ok: false, problem: 'invalid_credentials' });
  });

  it('imports keyed by objectGUID; disabled accounts (546, 66082) are not offered', async () => {
    sourceId = (await ok(core, 'directory.sources.save', input())).id;
    const run = await runAndApply('full');
    expect(run.counts).toMatchObject({ read: 12, creates: 10, unchanged: 2, errors: 0 });
    const l = linkOf('u000001@example.test');
    expect(l.anchor).toBe(guidToString(Buffer.from(ad.guidBase64(`CN=u000001,${STAFF}`), 'base64')));
    expect(l).toMatchObject({ name: 'João Silva 1', status: 'pending' });
    await ok(core, 'directory.pending.accept', { orgId, all: true });
  });

  it('a uSNChanged delta sees a modify, a disable and a move as changes of the same users', async () => {
    const moved = linkOf('u000003@example.test');
    ad.ldif('ldapmodify', [
      `dn: CN=u000001,${STAFF}\nchangetype: modify\nreplace: displayName\ndisplayName: Renamed One\n`,
      `dn: CN=u000002,${STAFF}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 546\n`,
    ].join('\n'));
    ad.ldif('ldapmodify', `dn: CN=u000003,${STAFF}\nchangetype: modrdn\nnewrdn: CN=u000003b\ndeleteoldrdn: 1\n`);
    const run = await runAndApply('delta');
    expect(run.mode).toBe('delta');
    expect(run.counts.read).toBeLessThanOrEqual(4);
    expect(run.counts).toMatchObject({ updates: 2, disables: 1, creates: 0, removals: 0 });
    expect(linkOf('u000001@example.test').name).toBe('Renamed One');
    expect(linkOf('u000002@example.test').status).toBe('deactivated');
    expect(linkOf('u000003@example.test')).toMatchObject({ id: moved.id, dn: `CN=u000003b,${STAFF}` });
    // Re-enabled (bit 2 cleared, other bits kept) comes back active.
    ad.ldif('ldapmodify', `dn: CN=u000002,${STAFF}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 544\n`);
    expect((await runAndApply('delta')).counts).toMatchObject({ enables: 1 });
    expect(linkOf('u000002@example.test').status).toBe('active');
  });

  it('a deletion is found by the next full read (deltas never remove)', async () => {
    ad.ldif('ldapmodify', `dn: CN=u000004,${STAFF}\nchangetype: delete\n`);
    expect((await runAndApply('delta')).counts.removals).toBe(0);
    expect((await runAndApply('full')).counts.removals).toBe(1);
    expect(linkOf('u000004@example.test').status).toBe('deactivated');
  });
});
