/**
 * Sync figures (research/sync.md §6), run by `npm run bench` or alone:
 * `npm exec -- node test/bench/sync-bench.ts --scale 0.1`. The Portal runs in its own process
 * (test/fixtures/sync/node-proc.ts) on loopback; the console's core runs here so its transactions
 * and heap can be measured. Reference: the research prototype on this kind of machine (101,000 rows
 * pulled in ~2 s; apply ~170,000 rows/s; 10,000 pushes in 0.2-1.2 s; FULL-sync edit ~0.3-0.4 ms).
 *
 *  1. Initial pull of ORGS organizations x 100 users, end to end (target <= 10 s at 1,000 x 100).
 *  2. Client apply rate during it: rows / time inside the page transactions (target >= 50,000 rows/s).
 *  3. Longest single transaction on the console's connection during sync (target <= 50 ms).
 *  4. Heap growth of the console process during the initial pull (target <= 200 MB).
 *  5. Local edit commit (domain row + outbox in one transaction): p50/p99 (target p99 <= 5 ms).
 *  6. Push of 10,000 queued changes, end to end incl. the Portal re-running each (target <= 10 s).
 * Not a timed test: nothing here fails a build.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { newId } from '../../main/core/ids.ts';
import { openDatabase } from '../../main/core/db/open-database.ts';
import { spawnProc } from '../fixtures/sync/procs.ts';
import { must } from '../fixtures/sync/harness.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--scale must be a number above 0 and at most 10\n');
  process.exit(2);
}
const ORGS = Math.max(10, Math.round(1000 * scale));
const USERS_PER_ORG = 100;
const EDITS = Math.max(500, Math.round(10_000 * scale));
const OPERATOR = '00000000-0000-7000-8000-000000000002';
const ADMIN = '00000000-0000-7000-8000-000000000001';

const root = mkdtempSync(join(tmpdir(), 'orgdesk-sync-bench-'));
const portalDir = join(root, 'portal');
const log = (line: string) => process.stdout.write(`${line}\n`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

// ---- seed the Portal: a partner, ORGS clients x 100 users, one technician and their token ----
let t0 = performance.now();
const seedCore = createCore({ dataDir: portalDir, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
const actor = seedCore.profile();
const partnerId = newId();
const clientIds: string[] = [];
seedCore.deps.mutations.run('bench.seed', actor, (w) => {
  w.create('organization', partnerId, { type: 'partner', parentId: null, name: 'Bench MSP', email: 'ops@bench.example', language: 'en', country: 'US', sector: 'technology', description: '', isSample: false, emailPasswordEnabled: false });
});
for (let o = 0; o < ORGS; o++) {
  const orgId = newId();
  clientIds.push(orgId);
  seedCore.deps.mutations.run('bench.seed', actor, (w) => {
    w.create('organization', orgId, { type: 'client', parentId: partnerId, name: `Client ${o}`, email: `c${o}@bench.example`, language: 'en', country: 'US', sector: 'technology', description: '', isSample: false, emailPasswordEnabled: false });
    for (let u = 0; u < USERS_PER_ORG; u++) {
      w.create('user', newId(), { orgId, name: `User ${o}-${u}`, email: `u${u}@c${o}.bench.example`, roleId: OPERATOR, status: 'active', source: 'manual', emailLoginEnabled: false });
    }
  });
}
const tech = await must<{ id: string }>(seedCore, 'users.create', { orgId: partnerId, name: 'Bench Tech', email: 'tech@bench.example', roleId: ADMIN });
const { token } = await must<{ token: string }>(seedCore, 'sync.issueToken', { userId: tech.id, label: 'bench' });
seedCore.close();
log(`seeded the Portal: ${ORGS} organizations x ${USERS_PER_ORG} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const portal = await spawnProc('portal', portalDir);

// ---- the console, here, with every transaction on its connection timed ----
const consoleCore: Core = createCore({ dataDir: join(root, 'console'), secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
const txTimes: number[] = [];
const db = consoleCore.db;
const originalTransaction = db.transaction.bind(db);
db.transaction = ((fn: (...args: unknown[]) => unknown) => {
  const tx = originalTransaction(fn);
  const timed = (...args: unknown[]) => {
    const start = performance.now();
    try {
      return tx(...args);
    } finally {
      txTimes.push(performance.now() - start);
    }
  };
  return Object.assign(timed, { deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive, default: tx.default });
}) as typeof db.transaction;

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let heapPeak = heapBefore;
// Resident memory too: it counts SQLite's caches and the threads a pull starts (the WAL checkpoint thread), which heapUsed does not.
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  heapPeak = Math.max(heapPeak, m.heapUsed);
  rssPeak = Math.max(rssPeak, m.rss);
}, 20);

t0 = performance.now();
await must(consoleCore, 'sync.connect', { url: portal.origin, token });
await must(consoleCore, 'sync.now', { wait: true });
const pullSeconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
const rows = (db.prepare('SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM organizations) AS n').get() as { n: number }).n;
const applyMs = txTimes.reduce((a, b) => a + b, 0);
const longestPull = Math.max(...txTimes);
log(`1. initial pull: ${rows.toLocaleString('en')} rows in ${pullSeconds.toFixed(2)} s end to end (target <= 10 s at 1,000 x 100; prototype ~2 s)`);
log(`2. client apply: ${Math.round(rows / (applyMs / 1000)).toLocaleString('en')} rows/s inside ${txTimes.length} page transactions (target >= 50,000; prototype ~170,000)`);
log(`4. heap growth during the initial pull: ${((heapPeak - heapBefore) / 1048576).toFixed(0)} MB peak over the start (target <= 200 MB); resident memory ${((rssPeak - rssBefore) / 1048576).toFixed(0)} MB peak over the start`);

// ---- local edits offline: each commits its row and its outbox entry together ----
await must(consoleCore, 'sync.setOffline', { offline: true });
const users = db.prepare('SELECT id, version FROM users WHERE org_id = ? LIMIT ?');
const targets: { id: string; version: number }[] = [];
for (let o = 0; targets.length < EDITS; o++) targets.push(...(users.all(clientIds[o % clientIds.length], USERS_PER_ORG) as { id: string; version: number }[]));
txTimes.length = 0;
const callTimes: number[] = [];
for (let i = 0; i < EDITS; i++) {
  const u = targets[i]!;
  const start = performance.now();
  await must(consoleCore, 'users.update', { id: u.id, baseVersion: u.version, changes: { name: `Edited ${i}` } });
  callTimes.push(performance.now() - start);
}
const editTx = [...txTimes];
log(`5. local edit commit (row + changes + audit + outbox, synchronous=FULL): transaction p50 ${pct(editTx, 0.5).toFixed(2)} ms, p99 ${pct(editTx, 0.99).toFixed(2)} ms; whole call p99 ${pct(callTimes, 0.99).toFixed(2)} ms (target p99 <= 5 ms; prototype mean 0.3-0.4 ms)`);

txTimes.length = 0;
t0 = performance.now();
await must(consoleCore, 'sync.setOffline', { offline: false });
const status = await must<{ pending: number; state: string; lastError: string | null }>(consoleCore, 'sync.now', { wait: true });
const pushSeconds = (performance.now() - t0) / 1000;
log(`6. push of ${EDITS.toLocaleString('en')} queued changes (each re-run by the Portal's handler) + the pull after: ${pushSeconds.toFixed(2)} s, ${Math.round(EDITS / pushSeconds).toLocaleString('en')} changes/s; ${status.pending} left, ${status.state}${status.lastError ? ` (${status.lastError})` : ''} (target <= 10 s; prototype 0.2-1.2 s for a blind field write)`);
if (status.pending > 0) log(`   the Portal's stderr: ${portal.stderr().slice(-2000)}`);
const longestPush = Math.max(...txTimes);
log(`3. longest single transaction on the console's connection during sync: ${Math.max(longestPull, longestPush).toFixed(1)} ms (initial pull ${longestPull.toFixed(1)} ms, push + pull after ${longestPush.toFixed(1)} ms) (target <= 50 ms)`);

// ---- references from this run, on this disk: bare better-sqlite3 ----
const ref = openDatabase(join(root, 'reference'));
ref.prepare("INSERT INTO organizations (id, type, name, name_fold, email, language, country, sector, version, created_at, updated_at) VALUES ('o', 'partner', 'x', 'x', 'x', 'en', 'US', 't', 1, 'x', 'x')").run();
const insertUser = ref.prepare(`INSERT INTO users (id, org_id, name, email, email_fold, role_id, status, source, version, field_versions, created_at, updated_at)
  VALUES (?, 'o', ?, ?, ?, '${OPERATOR}', 'active', 'manual', 1, '{}', 'x', 'x')`);
t0 = performance.now();
for (let page = 0; page * 2000 < rows; page++) {
  ref.transaction(() => { for (let i = page * 2000; i < Math.min(rows, (page + 1) * 2000); i++) insertUser.run(newId(), `R ${i}`, `r${i}@x`, `r${i}@x`); })();
}
log(`   reference: bare inserts of the same number of user rows in 2,000-row transactions: ${Math.round(rows / ((performance.now() - t0) / 1000)).toLocaleString('en')} rows/s`);
const single: number[] = [];
const bump = ref.prepare("UPDATE users SET name = ? WHERE id = (SELECT id FROM users LIMIT 1)");
for (let i = 0; i < Math.min(EDITS, 2000); i++) {
  const start = performance.now();
  ref.transaction(() => bump.run(`N${i}`))();
  single.push(performance.now() - start);
}
log(`   reference: a bare one-row commit on this disk (synchronous=FULL): p50 ${pct(single, 0.5).toFixed(2)} ms, p99 ${pct(single, 0.99).toFixed(2)} ms`);
ref.close();

consoleCore.close();
await portal.stop();
rmSync(root, { recursive: true, force: true });
