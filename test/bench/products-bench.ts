/**
 * Products figures (run by `npm run bench`, or alone: `npm exec -- node test/bench/products-bench.ts [rows]`),
 * each beside a reference measured in the same run:
 *
 *  1. products.importConsumption of a CSV of `rows` daily figures (20 products): wall time, rows/s and
 *     the longest stall of the core's event loop meanwhile (above 1,000 writes it is one long
 *     mutation in the apply worker). Reference: parsing and checking the same CSV alone plus a bare
 *     INSERT of the rows in one transaction (no changes, no audit), rolled back.
 *  2. products.consumption (the chart's series) for 90 days and for two years through core.call:
 *     p50/p95. Reference: the bare range query.
 *  Not a timed test: nothing here fails a build.
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { addDays, dayOf, parseConsumptionCsv } from '../../shared/rules/products.ts';
import { tempDir } from '../integration/helpers.ts';
import { line, pct } from './report.ts';

const ROWS = Math.max(1000, Number(process.argv[2] ?? 36_500));
const PRODUCTS = 20;
const QUERIES = 200;

const ms = (v: number) => `${v.toFixed(2)} ms`;

async function call(core: ReturnType<typeof createCore>, method: string, input: unknown) {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

const dir = tempDir('orgdesk-bench-');
try {
  const days = Math.ceil(ROWS / PRODUCTS);
  process.stdout.write(`Products benchmark: ${ROWS} daily figures (${PRODUCTS} products x ${days} days)\n`);
  const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  const org = (over: Record<string, unknown>) => ({ email: 'it@bench.example', language: 'en', country: 'US', sector: 'other', ...over });
  const partner = (await call(core, 'org.create', org({ type: 'partner', parentId: null, name: 'Bench MSP' }))).id as string;
  const client = (await call(core, 'org.create', org({ type: 'client', parentId: partner, name: 'Bench Client' }))).id as string;
  const ids: string[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    ids.push((await call(core, 'products.create', { orgId: client, environment: 'Production', productType: 'Workspaces', code: `P-${p}`, region: 'West Europe' })).id as string);
  }
  const today = dayOf(new Date());
  const first = addDays(today, -(days - 1));
  const lines = ['date,product code,figure'];
  let n = 0;
  for (let d = 0; d < days && n < ROWS; d++) {
    const day = addDays(first, d);
    for (let p = 0; p < PRODUCTS && n < ROWS; p++, n++) lines.push(`${day},P-${p},${(d * 7 + p * 13) % 500}`);
  }
  const csv = lines.join('\n');

  // --- 1. import vs parse + bare insert ---------------------------------------------------------------
  const r0 = performance.now();
  const parsed = parseConsumptionCsv(csv, today);
  const insert = core.db.prepare(`INSERT INTO product_consumption (id, org_id, product_id, day, figure, source, version, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 'import', 1, '', '')`);
  core.db.exec('BEGIN');
  parsed.rows.forEach((row, i) => insert.run(`bench-${i}`, client, ids[Number(row.code.slice(2))]!, row.day, row.figure));
  core.db.exec('ROLLBACK');
  const reference = performance.now() - r0;

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  const bytes = Buffer.from(csv);
  const { fileId } = await call(core, 'files.begin', { filename: 'figures.csv', bytes: bytes.length }) as { fileId: string };
  for (let offset = 0; offset < bytes.length; offset += 4 * 1024 * 1024) {
    await call(core, 'files.append', { fileId, offset, base64: bytes.subarray(offset, offset + 4 * 1024 * 1024).toString('base64') });
  }
  const result = await call(core, 'products.importConsumption', { orgId: client, fileId });
  const wall = performance.now() - t0;
  loop.disable();
  if (result.created !== ROWS) throw new Error(`imported ${String(result.created)} of ${ROWS}`);
  line('import (rows/s)', `${Math.round(ROWS / (wall / 1000))}`, `${Math.round(ROWS / (reference / 1000))}`, (wall / reference).toFixed(1));
  line('import wall time', ms(wall), ms(reference), (wall / reference).toFixed(1));
  line('longest event-loop stall during import', ms(loop.max / 1e6), '—', '—');

  // --- 2. chart series vs bare range query ------------------------------------------------------------
  const bare = core.db.prepare('SELECT day, figure FROM product_consumption WHERE product_id = ? AND day BETWEEN ? AND ? ORDER BY day');
  for (const span of [90, Math.min(days, 731)]) {
    const from = addDays(today, -(span - 1));
    const viaCore: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const id = ids[i % PRODUCTS]!;
      let s = performance.now();
      bare.all(id, from, today);
      bareTimes.push(performance.now() - s);
      s = performance.now();
      await call(core, 'products.consumption', { productId: id, from, to: today });
      viaCore.push(performance.now() - s);
    }
    viaCore.sort((a, b) => a - b);
    bareTimes.sort((a, b) => a - b);
    line(`series ${span} days p50`, ms(pct(viaCore, 50)), ms(pct(bareTimes, 50)), (pct(viaCore, 50) / pct(bareTimes, 50)).toFixed(1));
    line(`series ${span} days p95`, ms(pct(viaCore, 95)), ms(pct(bareTimes, 95)), (pct(viaCore, 95) / pct(bareTimes, 95)).toFixed(1));
  }
  core.close();
} finally {
  dir.remove();
}
