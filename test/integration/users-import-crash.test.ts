import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { counts, ok, orgInput, tempDir, testCore } from './helpers.ts';
import { finalState, upload } from './import-helpers.ts';

const ROWS = 60_000;
const bigCsv = () => ['Name,Email,Role', ...Array.from({ length: ROWS }, (_, i) => `Person ${i},person${i}@big.example,Operator`)].join('\r\n');

/** Everything a user could see of the users table, as one string to compare before and after. */
const snapshot = (core: ReturnType<typeof createCore>) =>
  JSON.stringify(core.db.prepare('SELECT * FROM users ORDER BY id').all()) + JSON.stringify(counts(core));

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('an import that does not finish changes nothing', () => {
  it('cancel during the apply phase rolls everything back', async () => {
    const core = testCore();
    cleanup.push(() => core.dispose());
    const { id: partner } = await ok(core, 'org.create', orgInput());
    const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Big Client' }));
    const before = snapshot(core);
    const fileId = await upload(core, 'big.csv', Buffer.from(bigCsv()));
    const { jobId } = await ok(core, 'users.importStart', { orgId: client, fileId, options: {}, language: 'en' });
    // A real import applies while it reads, in one open transaction: half-way through reading (or
    // while the last rows are applied), rows are written and none committed.
    let cancelledIn: string | null = null;
    const job = await finalState(core, jobId, (j) => {
      const halfRead = j.phase === 'reading' && j.done * 2 >= j.total;
      const midApply = j.phase === 'applying' && j.done > 0 && j.done < j.total;
      if ((halfRead || midApply) && !cancelledIn) {
        cancelledIn = `${j.phase} ${j.done}/${j.total}`;
        void core.call('jobs.cancel', { jobId });
      }
    });
    expect(cancelledIn).not.toBeNull();
    expect(job.state).toBe('cancelled');
    expect(snapshot(core)).toBe(before);
    // And the writer is free again: an ordinary edit goes through at once.
    await ok(core, 'org.updateGeneral', { id: client, baseVersion: 1, changes: { description: 'after the cancel' } });
  });

  it('a process killed (SIGKILL) in the middle of applying leaves the database as it was', async () => {
    const dir = tempDir();
    cleanup.push(() => dir.remove());
    const setup = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
    const { id: partner } = await ok(setup, 'org.create', orgInput());
    const { id: client } = await ok(setup, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Big Client' }));
    const before = snapshot(setup);
    setup.close();
    const file = join(dir.path, 'big.csv');
    writeFileSync(file, bigCsv());

    const child = spawn(process.execPath, [join(import.meta.dirname, '../../main/cli.ts'), 'import', '--org', client, file, '--data-dir', dir.path],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    let killed = false;
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c) => {
        stderr += c;
        // A real import reads, classifies and applies at once, in one open transaction: half-way
        // through reading, tens of thousands of rows are written and none committed.
        const reading = [...stderr.matchAll(/reading (\d+)\/(\d+)/g)].pop();
        const applying = [...stderr.matchAll(/applying (\d+)\/(\d+)/g)].pop();
        const halfRead = reading !== undefined && Number(reading[1]) * 2 >= Number(reading[2]);
        const midApply = applying !== undefined && Number(applying[1]) > 0 && Number(applying[1]) < Number(applying[2]);
        if (!killed && (halfRead || midApply)) {
          killed = true;
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => {
        if (!killed) reject(new Error(`the import finished (exit ${code}) before it could be killed:\n${stderr}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(stdout).toBe(''); // no result: it was killed before the end
    // The rows written so far reached the WAL (the apply worker's page cache spills there), uncommitted.
    expect(statSync(join(dir.path, 'orgdesk.db-wal')).size).toBeGreaterThan(1_000_000);

    const after = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
    try {
      expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(snapshot(after)).toBe(before);
    } finally {
      after.close();
    }
  });
});
