/**
 * A directory run's preview is staged in SQLite (schema 15): it survives a restart of the console
 * and is applied from there; a plan made stale since the preview (someone took one of its emails)
 * is refused whole, even when the conflict is found after the apply worker has written part of it;
 * discarded, applied and failed runs leave nothing staged. Against a real slapd on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { ok, orgInput, tempDir } from './helpers.ts';
import { finalState } from './import-helpers.ts';
import { ADMIN_DN, ADMIN_PW, SUFFIX, startSlapd, usersLdif, type Slapd } from '../fixtures/directory/slapd.ts';
import { FILTER_PRESETS, MAPPING_PRESETS } from '../../shared/model/directory.ts';

/** More than one staged chunk (1,000 items) and more than a short mutation (1,000 writes). */
const N = 1200;
const READ_ONLY = '00000000-0000-7000-8000-000000000003';
let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd({ ldif: usersLdif(N) });
}, 60_000);
afterAll(async () => {
  await slapd?.stop();
});

async function setup(core: Core) {
  const org = await ok(core, 'org.create', orgInput());
  const source = await ok(core, 'directory.sources.save', {
    orgId: org.id, name: 'Staged', kind: 'openldap', host: '127.0.0.1', port: slapd.port, security: 'none', caCertificate: '',
    bindDn: ADMIN_DN, bindPassword: ADMIN_PW, baseDn: `ou=people,${SUFFIX}`, userFilter: FILTER_PRESETS.openldap.user, groupFilter: '',
    pageSize: 500, connectTimeoutMs: 2000, timeoutMs: 5000, mapping: MAPPING_PRESETS.openldap,
    removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes: 0,
  });
  return { orgId: org.id, sourceId: source.id };
}
async function preview(core: Core, sourceId: string) {
  const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId, mode: 'full' });
  expect((await finalState(core, jobId)).state).toBe('done');
  return runId;
}
const stagedItems = (core: Core) => (core.db.prepare('SELECT count(*) AS n FROM directory_plan_items').get() as { n: number }).n;
const directoryUsers = (core: Core) => (core.db.prepare("SELECT count(*) AS n FROM users WHERE source = 'directory'").get() as { n: number }).n;

describe('staged previews', () => {
  it('a preview survives a restart of the console and is applied there', async () => {
    const dir = tempDir();
    const secrets = new MemorySecretStore();
    const open = () => createCore({ dataDir: dir.path, secrets, seedSample: false, log: () => undefined });
    let core = open();
    try {
      const { orgId, sourceId } = await setup(core);
      const runId = await preview(core, sourceId);
      const before = await ok(core, 'directory.run.items', { runId, kind: 'create', offset: 1190, limit: 50 });
      expect(before.total).toBe(N);
      core.close();

      core = open();
      const [listed] = await ok(core, 'directory.runs.list', { sourceId });
      expect(listed).toMatchObject({ id: runId, state: 'previewed', counts: { creates: N } });
      const after = await ok(core, 'directory.run.items', { runId, kind: 'create', offset: 1190, limit: 50 });
      expect(after).toEqual(before);
      const { jobId } = await ok(core, 'directory.run.apply', { runId });
      expect((await finalState(core, jobId)).state).toBe('done');
      expect((await ok(core, 'directory.pending.list', { orgId, limit: 1 })).total).toBe(N);
      expect(stagedItems(core)).toBe(0);
    } finally {
      core.close();
      dir.remove();
    }
  }, 60_000);

  it('a plan made stale since its preview is refused whole; discarding leaves nothing staged', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
    try {
      const { orgId, sourceId } = await setup(core);
      const runId = await preview(core, sourceId);
      // An email of the second staged chunk: found only after the first chunk's writes went to the apply worker.
      const late = JSON.parse((core.db.prepare('SELECT entry FROM directory_plan_items WHERE run_id = ? AND seq = 1100').get(runId) as { entry: string }).entry) as
        { user: { email: string } };
      await ok(core, 'users.create', { orgId, name: 'Took it first', email: late.user.email, roleId: READ_ONLY });
      const { jobId } = await ok(core, 'directory.run.apply', { runId });
      const job = await finalState(core, jobId);
      expect(job).toMatchObject({ state: 'failed', error: { code: 'CONFLICT', key: 'directory.plan_stale' } });
      expect(directoryUsers(core)).toBe(0);
      expect((await ok(core, 'directory.run.get', { runId })).state).toBe('previewed');
      expect(stagedItems(core)).toBe(N);

      await ok(core, 'directory.run.discard', { runId });
      expect(stagedItems(core)).toBe(0);
      expect((await ok(core, 'directory.run.items', { runId })).total).toBe(0);
    } finally {
      core.close();
      dir.remove();
    }
  }, 60_000);

  it('deleting the organization deletes the staged plans of its runs', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
    try {
      const { orgId, sourceId } = await setup(core);
      await preview(core, sourceId);
      expect(stagedItems(core)).toBe(N);
      await ok(core, 'org.delete', { id: orgId });
      expect(stagedItems(core)).toBe(0);
      expect((core.db.prepare('SELECT count(*) AS n FROM directory_plans').get() as { n: number }).n).toBe(0);
    } finally {
      core.close();
      dir.remove();
    }
  }, 60_000);

  it('a run that fails while reading stages nothing', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
    try {
      const { orgId } = await setup(core);
      // A base DN that does not exist: the read fails after the run (and its plan) began.
      const broken = await ok(core, 'directory.sources.save', {
        orgId, name: 'Broken', kind: 'openldap', host: '127.0.0.1', port: slapd.port, security: 'none', caCertificate: '',
        bindDn: ADMIN_DN, bindPassword: ADMIN_PW, baseDn: `ou=nowhere,${SUFFIX}`, userFilter: '', groupFilter: '',
        pageSize: 500, connectTimeoutMs: 2000, timeoutMs: 5000, mapping: MAPPING_PRESETS.openldap,
        removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes: 0,
      });
      const { jobId, runId } = await ok(core, 'directory.run.start', { sourceId: broken.id, mode: 'full' });
      expect((await finalState(core, jobId)).state).toBe('failed');
      expect((await ok(core, 'directory.run.get', { runId })).state).toBe('failed');
      expect((core.db.prepare('SELECT count(*) AS n FROM directory_plans').get() as { n: number }).n).toBe(0);
    } finally {
      core.close();
      dir.remove();
    }
  }, 60_000);
});
