/**
 * Microservices figures (run by `npm run bench`, or alone: `npm exec -- node test/bench/org-settings-bench.ts [count]`),
 * each beside a reference measured in the same run:
 *
 *  1. microservices.get of a sub-organization (its list, the inherited categories with their counts,
 *     the last update from the audit log) through core.call: p50/p95. Reference: the bare list query.
 *  2. Switching predefined categories off for a tree of `count` categorized microservices (one
 *     mutation, changes + audit per microservice, in the apply worker above 1,000 writes): wall time
 *     and the longest stall of the core's event loop meanwhile. Reference: a bare UPDATE of the same
 *     rows in one transaction (no changes, no audit), rolled back.
 *  Not a timed test: nothing here fails a build.
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../../main/core/create-core.ts';
import { newId } from '../../main/core/ids.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { tempDir } from '../integration/helpers.ts';
import { line, pct } from './report.ts';

const COUNT = Math.max(100, Number(process.argv[2] ?? 10_000));
const SUBORGS = 50;
const GETS = 300;

const ms = (v: number) => `${v.toFixed(2)} ms`;

async function call(core: ReturnType<typeof createCore>, method: string, input: unknown) {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

const dir = tempDir('orgdesk-bench-');
try {
  process.stdout.write(`Microservices benchmark: ${COUNT} categorized microservices in a client with ${SUBORGS} sub-organizations\n`);
  const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  const org = (over: Record<string, unknown>) => ({ email: 'it@bench.example', language: 'en', country: 'US', sector: 'other', ...over });
  const partner = (await call(core, 'org.create', org({ type: 'partner', parentId: null, name: 'Bench MSP' }))).id as string;
  const client = (await call(core, 'org.create', org({ type: 'client', parentId: partner, name: 'Bench Client' }))).id as string;
  const subs: string[] = [];
  for (let i = 0; i < SUBORGS; i++) subs.push((await call(core, 'org.create', org({ type: 'suborg', parentId: client, name: `Site ${i}` }))).id as string);
  await call(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
  for (const name of ['Maintenance', 'Network', 'Security', 'Printing', 'Backup']) await call(core, 'microservices.createCategory', { orgId: client, name });
  const categories = (await call(core, 'microservices.get', { orgId: client })).categories as { id: string }[];
  const t0 = performance.now();
  core.deps.mutations.run('bench.arrange', core.profile(), (w) => {
    for (let i = 0; i < COUNT; i++) {
      w.create('microservice', newId(), {
        orgId: subs[i % SUBORGS]!, name: `Job ${i}`, description: 'A benchmark microservice', categoryId: categories[i % categories.length]!.id, categoryText: null,
      });
    }
  });
  process.stdout.write(`  arranged through the mutation pipeline in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

  // --- 1. the tab's query vs the bare list ---------------------------------------------------------
  const bareList = core.db.prepare('SELECT * FROM microservices WHERE org_id = ? ORDER BY name COLLATE NOCASE, id');
  const bare: number[] = [];
  const viaCore: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const orgId = subs[i % SUBORGS]!;
    let t = performance.now();
    bareList.all(orgId);
    bare.push(performance.now() - t);
    t = performance.now();
    await call(core, 'microservices.get', { orgId });
    viaCore.push(performance.now() - t);
  }
  bare.sort((a, b) => a - b);
  viaCore.sort((a, b) => a - b);
  line(`microservices.get (${COUNT / SUBORGS} items) p50`, ms(pct(viaCore, 50)), ms(pct(bare, 50)), `${(pct(viaCore, 50) / pct(bare, 50)).toFixed(1)}x`);
  line(`microservices.get (${COUNT / SUBORGS} items) p95`, ms(pct(viaCore, 95)), ms(pct(bare, 95)), `${(pct(viaCore, 95) / pct(bare, 95)).toFixed(1)}x`);

  // --- 2. switching categories off: the whole tree uncategorized -----------------------------------
  const tb = performance.now();
  try {
    core.db.transaction(() => {
      core.db.prepare('UPDATE microservices SET category_id = NULL WHERE category_id IS NOT NULL').run();
      throw new Error('rollback');
    })();
  } catch { /* the reference is rolled back on purpose */ }
  const bareUpdate = performance.now() - tb;

  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const ts = performance.now();
  const off = await call(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: false, confirmUncategorize: true });
  const switchMs = performance.now() - ts;
  delay.disable();
  if (off.uncategorized !== COUNT) throw new Error(`uncategorized ${String(off.uncategorized)}, expected ${COUNT}`);
  line(`switch categories off (${COUNT} microservices)`, ms(switchMs), ms(bareUpdate), `${(switchMs / bareUpdate).toFixed(1)}x`);
  process.stdout.write(`  longest stall of the core's event loop meanwhile: ${ms(delay.max / 1e6)}\n`);
  process.stdout.write(`\npeak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  core.close();
} finally {
  dir.remove();
}
