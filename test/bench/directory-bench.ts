/**
 * Directory import benchmark (npm run bench, or alone: `npm exec -- node test/bench/directory-bench.ts [--scale 1]`):
 * a throwaway slapd on 127.0.0.1 loaded with 10,000 and 100,000 users (x scale); for each, the
 * `ldapsearch` paged dump of the same users as the reference, then a full import to Pending through
 * the core (read + map + validate + diff + persist: directory.run.start, then directory.run.apply),
 * each import in its own process so its peak RSS is its own, with the core in a worker thread
 * limited as the console's is (main/core/worker/core-client.ts: a 16 MB young generation; without
 * it, V8 grows the young generation of a main thread to ~60 MB under allocation-heavy work, which
 * the console never sees; `--main-thread` measures that way for comparison); then a delta run
 * with 100 changes among the 10,000. Goals: 10,000 <= 5 s, 100,000 <= 60 s, peak RSS at 100k
 * <= 1.5x at 10k, delta <= 1 s.
 */
import { spawnSync } from 'node:child_process';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { ADMIN_DN, ADMIN_PW, SUFFIX, startSlapd, uidOf, usersLdif } from '../fixtures/directory/slapd.ts';
import { FILTER_PRESETS, MAPPING_PRESETS } from '../../shared/model/directory.ts';
import type { Job } from '../../shared/model/job.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, child: { type: 'string' }, url: { type: 'string' }, delta: { type: 'boolean', default: false }, 'main-thread': { type: 'boolean', default: false } } });

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (label: string, value: string, ref: string, note: string) =>
  process.stdout.write(`${label.padEnd(40)} ${value.padStart(12)}   reference ${ref.padStart(12)}   ${note}\n`);

async function call<T>(core: Core, method: string, input: unknown): Promise<T> {
  const r = await core.call(method as never, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}
function waitJob(core: Core, jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const stop = core.on('job.progress', (job) => {
      if (job.id === jobId && job.state !== 'running') { stop(); resolve(job); }
    });
    void call<Job>(core, 'jobs.get', { jobId }).then((j) => { if (j.state !== 'running') { stop(); resolve(j); } });
  });
}
async function runAndApply(core: Core, sourceId: string, mode: 'full' | 'delta') {
  const { jobId, runId } = await call<{ jobId: string; runId: string }>(core, 'directory.run.start', { sourceId, mode });
  const read = await waitJob(core, jobId);
  if (read.state !== 'done') throw new Error(`run ${read.state}: ${JSON.stringify(read.error)}`);
  const run = await call<{ counts: Record<string, number> }>(core, 'directory.run.get', { runId });
  const { jobId: applyJob } = await call<{ jobId: string }>(core, 'directory.run.apply', { runId });
  const applied = await waitJob(core, applyJob);
  if (applied.state !== 'done') throw new Error(`apply ${applied.state}: ${JSON.stringify(applied.error)}`);
  return run.counts;
}

/** One import in this process; prints a JSON line {ms, rssMib, counts, deltaMs?}. */
async function child(n: number, url: string, withDelta: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'od-dirbench-'));
  const core = createCore({ dataDir: dir, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  try {
    const org = await call<{ id: string }>(core, 'org.create', { type: 'partner', parentId: null, name: 'Bench MSP', email: 'ops@bench.example', language: 'en', country: 'US', sector: 'technology' });
    const port = Number(new URL(url).port);
    const source = await call<{ id: string }>(core, 'directory.sources.save', {
      orgId: org.id, name: 'Bench', kind: 'openldap', host: '127.0.0.1', port, security: 'none', caCertificate: '', bindDn: ADMIN_DN, bindPassword: ADMIN_PW,
      baseDn: `ou=people,${SUFFIX}`, userFilter: FILTER_PRESETS.openldap.user, groupFilter: '', pageSize: 1000, connectTimeoutMs: 5000, timeoutMs: 60_000,
      mapping: MAPPING_PRESETS.openldap, removalThresholdCount: 500, removalThresholdPercent: 10, scheduleMinutes: 0,
    });
    const t0 = performance.now();
    const counts = await runAndApply(core, source.id, 'full');
    const ms = performance.now() - t0;
    if (counts.creates !== n) throw new Error(`expected ${n} creates, got ${JSON.stringify(counts)}`);
    const rssMib = process.resourceUsage().maxRSS / 1024;
    let deltaMs: number | undefined;
    let deltaCounts: Record<string, number> | undefined;
    if (withDelta) {
      await new Promise((r) => setTimeout(r, 1100)); // modifyTimestamp has one-second resolution
      const changes = Array.from({ length: 100 }, (_, i) => `dn: uid=${uidOf(i * Math.floor(n / 100))},ou=people,${SUFFIX}\nchangetype: modify\nreplace: title\ntitle: Changed ${i}\n`).join('\n');
      const r = spawnSync('ldapmodify', ['-x', '-H', url, '-D', ADMIN_DN, '-w', ADMIN_PW], { input: changes });
      if (r.status !== 0) throw new Error(`ldapmodify: ${r.stderr.toString()}`);
      const d0 = performance.now();
      deltaCounts = await runAndApply(core, source.id, 'delta');
      deltaMs = performance.now() - d0;
    }
    const result = JSON.stringify({ ms, rssMib, counts, deltaMs, deltaCounts });
    if (parentPort) parentPort.postMessage(result);
    else process.stdout.write(`${result}\n`);
  } finally {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function ldapsearchMs(url: string): number {
  const t0 = performance.now();
  const r = spawnSync('ldapsearch', ['-x', '-LLL', '-H', url, '-D', ADMIN_DN, '-w', ADMIN_PW, '-b', `ou=people,${SUFFIX}`, '-E', 'pr=1000/noprompt',
    '(objectClass=inetOrgPerson)', 'entryUUID', 'mail', 'cn', 'givenName', 'sn', 'uid', 'title', 'telephoneNumber', 'modifyTimestamp'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ldapsearch: ${r.stderr.toString()}`);
  return performance.now() - t0;
}

async function main() {
  // --main-thread: the core on the child's main thread (V8's default young generation), for comparison.
  if (values.child && (!isMainThread || values['main-thread'])) return child(Number(values.child), values.url!, values.delta!);
  if (values.child) {
    // The core's thread, as the console starts it (core-client.ts); peak RSS is still the whole process's.
    const worker = new Worker(new URL(import.meta.url), { argv: process.argv.slice(2), resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    let result: string | null = null;
    worker.on('message', (m: string) => (result = m));
    // It ends by itself once the core is closed and its temp folder removed.
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => (result !== null && code === 0 ? resolve() : reject(new Error(`the import worker exited (${code}) without a result`))));
    });
    process.stdout.write(`${result}\n`);
    return;
  }
  const scale = Number(values.scale);
  process.stdout.write(values['main-thread']
    ? 'core on the process main thread (V8 default young generation), for comparison\n'
    : 'core in a worker thread with the console\'s resource limits, as the console runs it (--main-thread for comparison)\n');
  const sizes = [Math.max(100, Math.round(10_000 * scale)), Math.max(1000, Math.round(100_000 * scale))];
  const results: { n: number; ms: number; rssMib: number; deltaMs?: number; deltaCounts?: Record<string, number>; refMs: number }[] = [];
  for (const [i, n] of sizes.entries()) {
    const slapd = await startSlapd({ ldif: usersLdif(n), noSync: true });
    try {
      const refMs = ldapsearchMs(slapd.url);
      const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child', String(n), '--url', slapd.url, ...(i === 0 ? ['--delta'] : []),
        ...(values['main-thread'] ? ['--main-thread'] : [])],
        { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`import of ${n} failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rssMib: number; deltaMs?: number; deltaCounts?: Record<string, number> };
      results.push({ n, refMs, ...out });
      const goal = i === 0 ? 5_000 : 60_000;
      line(`import ${n.toLocaleString('en')} users to Pending`, sec(out.ms), `${sec(refMs)} ldapsearch`,
        `${Math.round(n / (out.ms / 1000)).toLocaleString('en')} users/s; goal <= ${sec(goal * Math.max(1, scale))}: ${out.ms <= goal * Math.max(1, scale) ? 'met' : 'NOT met'}`);
      line(`  peak RSS`, `${out.rssMib.toFixed(0)} MiB`, '', '');
      if (out.deltaMs !== undefined) {
        line(`delta: 100 changed among ${n.toLocaleString('en')}`, sec(out.deltaMs), '', `read ${out.deltaCounts?.read}, updated ${out.deltaCounts?.updates}; goal <= 1 s: ${out.deltaMs <= 1000 ? 'met' : 'NOT met'}`);
      }
    } finally {
      await slapd.stop();
    }
  }
  const [small, large] = results;
  if (small && large) {
    const ratio = large.rssMib / small.rssMib;
    line('peak RSS ratio (large / small)', ratio.toFixed(2), '', `goal <= 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
  }
}

await main();
