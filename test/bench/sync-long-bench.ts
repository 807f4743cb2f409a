/**
 * Long mutations that travel (issue #6), run by `npm run bench` or alone:
 * `npm exec -- node test/bench/sync-long-bench.ts --scale 0.1`. Everything in this process (the
 * Portal's core and HTTP server, two consoles) so the Portal's transactions can be timed.
 *
 *  1. Users import on a connected console (its outbox chunks written in the import's transaction),
 *     against the same import on a standalone console: the cost of recording, as a ratio.
 *  2. Outbox bytes per imported user.
 *  3. Push of those chunks, end to end with the Portal re-running each op (users.applyBatch), against
 *     the Portal importing the same number of users from a file itself.
 *  4. Longest transaction on the Portal's connection while it re-runs the chunks (one per chunk).
 *  5. Peak heap of this process.
 * Not a timed test: nothing here fails a build.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { asClient, must, seedPortal } from '../fixtures/sync/harness.ts';
import type { Job } from '../../shared/model/job.ts';
import { line } from './report.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--scale must be a number above 0 and at most 10\n');
  process.exit(2);
}
const N = Math.max(2000, Math.round(20_000 * scale));
const ROUNDS = 2;

const root = mkdtempSync(join(tmpdir(), 'orgdesk-sync-long-bench-'));
const core = (name: string) => createCore({ dataDir: join(root, name), secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
const heap = { peak: 0 };
const sampler = setInterval(() => { heap.peak = Math.max(heap.peak, process.memoryUsage().heapUsed); }, 20);

const csv = (tag: string) => Buffer.from(['Name,Email,Role', ...Array.from({ length: N }, (_, i) => `Person ${tag} ${i},p${i}.${tag}@big.example,Operator`)].join('\r\n'));

async function importFile(c: Core, orgId: string, bytes: Buffer): Promise<number> {
  const { fileId, chunkBytes } = await must<{ fileId: string; chunkBytes: number }>(c, 'files.begin', { filename: 'people.csv', bytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await must(c, 'files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  const start = performance.now();
  const { jobId } = await must<{ jobId: string }>(c, 'users.importStart', { orgId, fileId, options: {}, language: 'en' });
  const job = await new Promise<Job>((resolve) => {
    const stop = c.on('job.progress', (j) => {
      if (j.id === jobId && j.state !== 'running') { stop(); resolve(j); }
    });
  });
  if (job.state !== 'done') throw new Error(`import ${job.state}: ${JSON.stringify(job.error)}`);
  return performance.now() - start;
}

// ---- the Portal, a connected console and a standalone one ----
const portalCore = core('portal');
const portal = await startPortal({ core: asClient(portalCore) });
const seed = await seedPortal(portalCore, 2);
const [client, portalOwnClient] = seed.clientIds as [string, string];
const connected = core('connected');
await must(connected, 'sync.connect', { url: portal.origin, token: seed.token });
await must(connected, 'sync.now', { wait: true });
await must(connected, 'sync.setOffline', { offline: true });
const standalone = core('standalone');
const partner = await must<{ id: string }>(standalone, 'org.create', { type: 'partner', parentId: null, name: 'Solo MSP', email: 'ops@solo.example', language: 'en', country: 'US', sector: 'technology' });
const soloClient = await must<{ id: string }>(standalone, 'org.create', { type: 'client', parentId: partner.id, name: 'Solo Client', email: 'it@solo.example', language: 'en', country: 'US', sector: 'technology' });

process.stdout.write(`${N.toLocaleString('en')} users per import, ${ROUNDS} rounds\n`);
for (let round = 1; round <= ROUNDS; round++) {
  const bytes = csv(`r${round}`);
  const reference = await importFile(standalone, soloClient.id, bytes);
  const measured = await importFile(connected, client, bytes);
  line(`1. import on a connected console (round ${round})`, `${(measured / 1000).toFixed(2)} s`, `${(reference / 1000).toFixed(2)} s`, (measured / reference).toFixed(2));
}
const outbox = connected.db.prepare("SELECT count(*) AS n, sum(length(input) + length(targets) + length(created)) AS bytes FROM sync_outbox WHERE state != 'done'")
  .get() as { n: number; bytes: number };
process.stdout.write(`2. outbox: ${outbox.n} entries, ${(outbox.bytes / (N * ROUNDS)).toFixed(0)} bytes per imported user (${(outbox.bytes / 1048576).toFixed(1)} MB)\n`);

// ---- the push, with every transaction on the Portal's connection timed ----
const portalTx: number[] = [];
const pdb = portalCore.db;
const originalTransaction = pdb.transaction.bind(pdb);
pdb.transaction = ((fn: (...args: unknown[]) => unknown) => {
  const tx = originalTransaction(fn);
  const timed = (...args: unknown[]) => {
    // Savepoints inside a transaction (one per batch op) are part of the outer one.
    if (pdb.inTransaction) return tx(...args);
    const start = performance.now();
    try {
      return tx(...args);
    } finally {
      portalTx.push(performance.now() - start);
    }
  };
  return Object.assign(timed, { deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive, default: tx.default });
}) as typeof pdb.transaction;

let start = performance.now();
await must(connected, 'sync.setOffline', { offline: false });
const status = await must<{ pending: number; conflicts: number }>(connected, 'sync.now', { wait: true });
const pushMs = performance.now() - start;
pdb.transaction = originalTransaction;
const landed = (pdb.prepare('SELECT count(*) AS n FROM users WHERE org_id = ?').get(client) as { n: number }).n;
if (status.pending !== 0 || status.conflicts !== 0 || landed < N * ROUNDS) throw new Error(`push incomplete: ${JSON.stringify(status)}, ${landed} users`);
start = performance.now();
const portalOwn = await importFile(portalCore, portalOwnClient, csv('portal'));
void start;
const perUser = pushMs / (N * ROUNDS);
line('3. push + Portal re-run, per 1,000 users', `${perUser.toFixed(3)} s`, `${(portalOwn / N).toFixed(3)} s`, (perUser / (portalOwn / N)).toFixed(2));
process.stdout.write(`   (push of ${(N * ROUNDS).toLocaleString('en')} users end to end: ${(pushMs / 1000).toFixed(2)} s; reference: the Portal importing ${N.toLocaleString('en')} users itself)\n`);
const sorted = [...portalTx].sort((a, b) => a - b);
process.stdout.write(`4. Portal transactions during the push: ${portalTx.length}, longest ${sorted.at(-1)!.toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms\n`);
clearInterval(sampler);
process.stdout.write(`5. peak heap of this process (Portal + two consoles): ${(heap.peak / 1048576).toFixed(0)} MB\n`);

connected.close();
standalone.close();
await portal.close();
portalCore.close();
rmSync(root, { recursive: true, force: true });
