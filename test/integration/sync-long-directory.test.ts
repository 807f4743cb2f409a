/**
 * A directory import on a connected console (issue #6): its apply is a long mutation above 1,000
 * writes (users, their links, the watermark, the run's state); it travels in chunks like an import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { testCore } from './helpers.ts';
import { finalState } from './import-helpers.ts';
import { asClient, must, seedPortal, syncedState } from '../fixtures/sync/harness.ts';
import { ADMIN_DN, ADMIN_PW, SUFFIX, startSlapd, usersLdif, type Slapd } from '../fixtures/directory/slapd.ts';
import { FILTER_PRESETS, MAPPING_PRESETS } from '../../shared/model/directory.ts';
import type { ConflictView, SyncStatus } from '../../shared/model/sync.ts';
import type { Job } from '../../shared/model/job.ts';

const N = 700;
let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd({ ldif: usersLdif(N, 0) });
}, 60_000);
afterAll(async () => {
  await slapd?.stop();
});

const sourceInput = (orgId: string, scheduleMinutes: number) => ({
  orgId, name: 'Lab OpenLDAP', kind: 'openldap', host: '127.0.0.1', port: slapd.port, security: 'none', caCertificate: '',
  bindDn: ADMIN_DN, bindPassword: ADMIN_PW, baseDn: `ou=people,${SUFFIX}`, userFilter: FILTER_PRESETS.openldap.user, groupFilter: '',
  pageSize: 200, connectTimeoutMs: 2000, timeoutMs: 5000, mapping: MAPPING_PRESETS.openldap,
  removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes,
});

describe('a directory import on a connected console', () => {
  it('its pending users, their links, the watermark and the run reach the Portal', async () => {
    const portalCore = testCore({ mail: { enabled: false } });
    const portal: Portal = await startPortal({ core: asClient(portalCore) });
    const console_ = testCore({ mail: { enabled: false } });
    try {
      const seed = await seedPortal(portalCore, 1);
      const client = seed.clientIds[0]!;
      await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
      await must(console_, 'sync.now', { wait: true });
      const source = await must<{ id: string }>(console_, 'directory.sources.save', sourceInput(client, 0));
      await must(console_, 'sync.now', { wait: true });
      // The bind password stays in this console's keychain: neither the outbox nor the Portal has it.
      const recorded = console_.db.prepare("SELECT input FROM sync_outbox WHERE method = 'directory.sources.save'").all() as { input: string }[];
      expect(recorded).toHaveLength(1);
      expect(recorded[0]!.input).not.toContain(ADMIN_PW);
      expect(portalCore.db.prepare('SELECT has_password FROM directory_sources WHERE id = ?').get(source.id)).toEqual({ has_password: 1 });
      expect(await portalCore.deps.secrets.get(`directory-bind:${source.id}`)).toBeNull();
      expect(await console_.deps.secrets.get(`directory-bind:${source.id}`)).toBe(ADMIN_PW);
      const refused = await console_.call('directory.sources.save', { ...sourceInput(client, 0), id: source.id, recorded: { hasPassword: false } });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      const { jobId, runId } = await must<{ jobId: string; runId: string }>(console_, 'directory.run.start', { sourceId: source.id, mode: 'full' });
      const planned = await finalState(console_, jobId);
      expect(planned.state, JSON.stringify(planned.error)).toBe('done');
      const applied = await must<{ jobId: string }>(console_, 'directory.run.apply', { runId, confirmRemovals: false });
      const job: Job = await finalState(console_, applied.jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect((console_.db.prepare("SELECT count(*) AS n FROM users WHERE status = 'pending'").get() as { n: number }).n).toBe(N);
      const s = await must<SyncStatus>(console_, 'sync.now', { wait: true });
      const { items } = await must<{ items: ConflictView[] }>(console_, 'sync.conflicts', {});
      expect(items).toEqual([]);
      expect((portalCore.db.prepare("SELECT count(*) AS n FROM users WHERE status = 'pending' AND org_id = ?").get(client) as { n: number }).n).toBe(N);
      expect(syncedState(console_.db, [client])).toEqual(syncedState(portalCore.db, [client]));
      expect(s).toMatchObject({ pending: 0, conflicts: 0 });
      expect((portalCore.db.prepare('SELECT count(*) AS n FROM directory_links WHERE source_id = ?').get(source.id) as { n: number }).n).toBe(N);
      expect((portalCore.db.prepare('SELECT state FROM directory_runs WHERE id = ?').get(runId) as { state: string }).state).toBe('applied');
      // The links stayed here too: the next run finds every entry unchanged.
      const again = await must<{ jobId: string; runId: string }>(console_, 'directory.run.start', { sourceId: source.id, mode: 'full' });
      expect((await finalState(console_, again.jobId)).state).toBe('done');
      expect(await must(console_, 'directory.run.get', { runId: again.runId })).toMatchObject({ counts: { read: N, creates: 0, unchanged: N } });
      await must(console_, 'sync.now', { wait: true });
      expect(syncedState(console_.db, [client])).toEqual(syncedState(portalCore.db, [client]));
    } finally {
      console_.dispose();
      await portal.close();
      portalCore.dispose();
    }
  }, 120_000);

  it('a scheduled run (no call behind it) travels too: its run, users, links and watermark', async () => {
    const portalCore = testCore({ mail: { enabled: false } });
    const portal: Portal = await startPortal({ core: asClient(portalCore) });
    // The first look at the schedule comes after the source went to the Portal and came back.
    process.env.ORGDESK_DIRECTORY_TICK_MS = '3000';
    const console_ = testCore({ mail: { enabled: false } });
    delete process.env.ORGDESK_DIRECTORY_TICK_MS;
    try {
      const seed = await seedPortal(portalCore, 1);
      const client = seed.clientIds[0]!;
      await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
      await must(console_, 'sync.now', { wait: true });
      const source = await must<{ id: string }>(console_, 'directory.sources.save', sourceInput(client, 60));
      await must(console_, 'sync.now', { wait: true });
      // Back from the Portal, the source was last updated by the Portal's technician (not known here).
      expect(console_.db.prepare('SELECT updated_by FROM directory_sources WHERE id = ?').get(source.id)).toEqual({ updated_by: seed.techId });
      await must(console_, 'sync.setOffline', { offline: true });
      const applied = () => (console_.db.prepare("SELECT state FROM directory_runs WHERE source_id = ? AND state = 'applied'").all(source.id)).length;
      await expect.poll(applied, { timeout: 60_000, interval: 100 }).toBe(1);
      await must(console_, 'sync.setOffline', { offline: false });
      const s = await must<SyncStatus>(console_, 'sync.now', { wait: true });
      expect(s).toMatchObject({ pending: 0, conflicts: 0 });
      const run = portalCore.db.prepare('SELECT trigger_kind, state FROM directory_runs WHERE source_id = ?').all(source.id);
      expect(run).toEqual([{ trigger_kind: 'schedule', state: 'applied' }]);
      expect((portalCore.db.prepare("SELECT count(*) AS n FROM users WHERE status = 'pending' AND org_id = ?").get(client) as { n: number }).n).toBe(N);
      expect(syncedState(console_.db, [client])).toEqual(syncedState(portalCore.db, [client]));
    } finally {
      console_.dispose();
      await portal.close();
      portalCore.dispose();
    }
  }, 120_000);
});
