/**
 * An apply worker started ahead of its mutation (startApplyWorker): it waits for `begin` before it
 * takes SQLite's write lock, and what it says before it is taken (a failure to open) still reaches
 * the caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLongMutation, startApplyWorker } from '../../main/core/mutations/long-mutation.ts';
import { newId } from '../../main/core/ids.ts';
import { READ_ONLY_ROLE_ID } from '../../main/core/user-sheets/import-users.ts';
import { ok, orgInput, tempDir, testCore } from './helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('an apply worker started ahead', () => {
  it('holds no write lock until begin, then applies its mutation', async () => {
    const core = testCore();
    cleanups.push(() => core.dispose());
    const { id: orgId } = await ok(core, 'org.create', orgInput());
    const worker = startApplyWorker(core.dir);
    cleanups.push(() => worker.dispose());
    await sleep(300); // loaded and opened by now
    // The core still writes meanwhile: the waiting worker holds no lock.
    await ok(core, 'org.updateGeneral', { id: orgId, baseVersion: 1, changes: { description: 'written while the worker waits' } });

    const ids = Array.from({ length: 1500 }, () => newId());
    await runLongMutation({
      dataDir: core.dir, name: 'test.ahead', actor: core.profile(), at: new Date(), worker,
      ops: ids.map((id, i) => ({ op: 'create', entity: 'user', id, values: { orgId, name: `User ${i}`, email: `u${i}@example.com`, roleId: READ_ONLY_ROLE_ID, status: 'active', source: 'import', emailLoginEnabled: false } })),
    });
    expect(core.db.prepare('SELECT count(*) FROM users WHERE org_id = ?').pluck().get(orgId)).toBe(1500);
    expect(core.db.prepare("SELECT count(*) FROM audit WHERE action = 'test.ahead'").pluck().get()).toBe(1500);
    await expect(runLongMutation({ dataDir: core.dir, name: 'again', actor: core.profile(), at: new Date(), worker, ops: [] })).rejects.toThrow('already used');
  });

  it('reports a database it could not open, even before it was taken', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const notADirectory = join(dir.path, 'file');
    writeFileSync(notADirectory, 'not a data folder');
    const worker = startApplyWorker(notADirectory);
    await sleep(500); // it has failed by now, with nobody listening yet
    await expect(runLongMutation({
      dataDir: notADirectory, name: 'test.broken', actor: { id: newId(), name: 'Tester', email: 'tester@example.com' }, at: new Date(), worker, ops: [],
    })).rejects.toThrow();
  });
});

describe('an apply worker nobody took', () => {
  // Terminating a thread inside a native call (loading better-sqlite3, opening the database) can
  // abort the whole process: dispose asks the worker to end, and it does so by itself (exit code 0,
  // where a terminated worker exits with 1), at any point of its start.
  it.each([0, 50, 300])('ends by itself when disposed %i ms after it started, leaving no lock', async (afterMs) => {
    const core = testCore();
    cleanups.push(() => core.dispose());
    const { id: orgId } = await ok(core, 'org.create', orgInput());
    const worker = startApplyWorker(core.dir);
    await sleep(afterMs);
    worker.dispose();
    expect(await worker.exited).toBe(0);
    await ok(core, 'org.updateGeneral', { id: orgId, baseVersion: 1, changes: { description: 'written after the worker ended' } });
    expect(() => worker.take({ message() {}, error() {}, exit() {} })).toThrow('already used');
  });
});
