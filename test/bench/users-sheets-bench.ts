/**
 * Users import and export through the whole console path (npm run bench, or alone:
 * `npm exec -- node test/bench/users-sheets-bench.ts [rows]`): upload over the host transport,
 * users.importStart (dry run, then real), users.exportStart; each beside the bare exceljs streaming
 * reader / writer on the same rows in the same run. Meanwhile another window's calls
 * (org.search over HTTP every 25 ms) measure how responsive the console stays.
 * Goals: import <= 2x bare parse, export <= 1.5x bare write, peak RSS < 400 MB, other calls < 50 ms.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startHost } from '../../main/host/host-server.ts';
import { benchHeader } from './users-sheet-data.ts';

const HEADER = benchHeader;

/** Run the bare exceljs reference in its own process; returns its milliseconds. */
function bare(...args: string[]): number {
  const r = spawnSync(process.execPath, [new URL('./bare-exceljs.ts', import.meta.url).pathname, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bare exceljs ${args[0]} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = () => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;
const line = (label: string, value: string, ref: string, ratio: string) =>
  process.stdout.write(`${label.padEnd(44)} ${value.padStart(14)}   reference ${ref.padStart(14)}   ratio ${ratio}\n`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function benchUserSheets(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orgdesk-users-bench-'));
  const core = await startCoreWorker({ dataDir: join(dir, 'data'), seedSample: false });
  const host = await startHost({ core, staticDir: dir });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const res = await fetch(`${host.origin}/rpc/${method}`, {
      method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
  /** Another window keeps asking while the job runs: every answer's latency. */
  const probe = () => {
    const latencies: number[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const t = performance.now();
        await call('org.search', { query: 'lab' });
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    return async () => {
      running = false;
      await loop;
      return latencies.sort((a, b) => a - b);
    };
  };
  /** Queued mails, counted by paging the outbox. */
  const countQueued = async () => {
    let count = 0;
    let before: string | undefined;
    for (;;) {
      const page = await call<{ items: unknown[]; nextBefore: string | null }>('mail.outbox.list', { status: 'queued', limit: 500, ...(before ? { before } : {}) });
      count += page.items.length;
      if (!page.nextBefore) return count;
      before = page.nextBefore;
    }
  };
  const waitJob = (jobId: string) => new Promise<{ state: string; result: unknown; error: unknown }>((resolve) => {
    const poll = async () => {
      const job = await call<{ state: string; result: unknown; error: unknown }>('jobs.get', { jobId });
      if (job.state !== 'running') resolve(job);
      else setTimeout(() => void poll(), 50);
    };
    void poll();
  });

  try {
    const { id: partner } = await call<{ id: string }>('org.create', { type: 'partner', parentId: null, name: 'Bench MSP', email: 'ops@bench.example', language: 'en', country: 'US', sector: 'technology' });
    const { id: client } = await call<{ id: string }>('org.create', { type: 'client', parentId: partner, name: 'Bench Client', email: 'it@bench.example', language: 'en', country: 'US', sector: 'retail' });
    await call('org.create', { type: 'suborg', parentId: client, name: 'Labs', email: 'labs@bench.example', language: 'en', country: 'US', sector: 'retail' });

    // The file, written by the bare exceljs streaming writer (in its own process): also the export's reference.
    const file = join(dir, 'users.xlsx');
    const bareWrite = bare('write', file, String(n));

    process.stdout.write(`Users import/export: ${n} rows x ${HEADER.length} columns (${(statSync(file).size / 2 ** 20).toFixed(1)} MB xlsx)\n`);

    const bytes = readFileSync(file);
    const importOnce = async (dryRun: boolean) => {
      const started = performance.now();
      const { fileId, chunkBytes } = await call<{ fileId: string; chunkBytes: number }>('files.begin', { filename: 'users.xlsx', bytes: bytes.length });
      for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
        await call('files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
      }
      const stop = probe();
      const { jobId } = await call<{ jobId: string }>('users.importStart', { orgId: client, fileId, options: { dryRun } });
      const job = await waitJob(jobId);
      const latencies = await stop();
      if (job.state !== 'done') throw new Error(`import ${job.state}: ${JSON.stringify(job.error)}`);
      const result = job.result as { created: number[]; errors: number[] };
      if (result.created.length !== n) throw new Error(`created ${result.created.length} of ${n}; errors ${result.errors.length}`);
      return { ms: performance.now() - started, latencies };
    };

    process.stdout.write(`  (memory before the first import: ${mib()})\n`);
    const mainLoop = monitorEventLoopDelay({ resolution: 10 });
    mainLoop.enable();
    const dry = await importOnce(true);
    const real = await importOnce(false);
    const rssImport = mib();
    const bareRead = bare('read', file);
    line('import, dry run (upload + read + classify)', sec(dry.ms), sec(bareRead), `${(dry.ms / bareRead).toFixed(2)}x bare exceljs streaming read (goal <= 2x)`);
    line('import, real (+ one transaction)', sec(real.ms), sec(bareRead), `${(real.ms / bareRead).toFixed(2)}x bare exceljs streaming read (goal <= 2x)`);
    mainLoop.disable();
    process.stdout.write(`  (this process's own event loop during the imports: max delay ${(mainLoop.max / 1e6).toFixed(0)} ms)\n`);
    const lat = [...dry.latencies, ...real.latencies].sort((a, b) => a - b);
    process.stdout.write(`  another window's calls during the imports: p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${pct(lat, 100).toFixed(1)} ms over ${lat.length} calls (goal < 50 ms)\n`);

    // Switching email login on for 10% of them: one transaction with a welcome link and email each.
    const { ids: some } = await call<{ ids: string[] }>('users.matchingIds', { filter: { orgId: client, includeSubOrgs: true, query: '', status: 'active' } });
    const chosen = some.slice(0, Math.ceil(n / 10));
    const welcomeStop = probe();
    const welcomeStarted = performance.now();
    await call('users.setEmailLogin', { ids: chosen, enabled: true });
    const welcomeMs = performance.now() - welcomeStarted;
    const welcomeLat = await welcomeStop();
    const queued = await countQueued();
    if (queued !== chosen.length) throw new Error(`${queued} welcome emails queued for ${chosen.length} users`);
    process.stdout.write(`  email login switched on for ${chosen.length} users, each with a welcome email queued: ${sec(welcomeMs)}; other calls meanwhile p99 ${pct(welcomeLat, 99).toFixed(1)} ms\n`);

    const stop = probe();
    const t = performance.now();
    const { jobId } = await call<{ jobId: string }>('users.exportStart', { orgId: client, includeSubOrgs: true, format: 'xlsx' });
    const job = await waitJob(jobId);
    const exportMs = performance.now() - t;
    const exportLat = await stop();
    const exported = job.result as { rows: number };
    if (exported.rows !== n) throw new Error(`exported ${exported.rows} of ${n}`);
    line('export .xlsx through the core', sec(exportMs), sec(bareWrite), `${(exportMs / bareWrite).toFixed(2)}x bare exceljs streaming write (goal <= 1.5x)`);
    process.stdout.write(`  another window's calls during the export: p99 ${pct(exportLat, 99).toFixed(1)} ms, max ${pct(exportLat, 100).toFixed(1)} ms\n`);
    process.stdout.write(`  peak memory (max RSS of the console process: host, core and reader threads): ${rssImport} after the imports, ${mib()} after the export (goal < 400 MB)\n`);
  } finally {
    await host.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchUserSheets(Number(process.argv[2] ?? 100_000));
}
