/**
 * Foundation figures (run by `npm run bench`, or alone: `npm exec -- node test/bench/foundation-bench.ts --scale 0.1`),
 * each with a reference measured in the same run.
 *
 *  1. Organization search through api.call over the host transport (HTTP on 127.0.0.1 into the core
 *     worker), with 5,000 organizations and 200,000 users: p50/p95 latency. Reference: the same
 *     query run directly on better-sqlite3 in this process (the floor the transport adds to).
 *     Target: p95 < 20 ms.
 *  2. Mutation throughput (user creations through the pipeline: row + changes + audit) beside raw
 *     better-sqlite3 inserts of the same rows, at the same transaction size. Target: >= 1/3.
 *  Peak memory (max RSS) at the end. Not a timed test: nothing here fails a build.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startHost } from '../../main/host/host-server.ts';
import { tempDir } from '../integration/helpers.ts';
import { escapeLike, fold } from '../../shared/rules/text.ts';
import { buildDataset, OPERATOR_ROLE_ID } from './dataset.ts';
import { line, pct } from './report.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--scale must be a number above 0 and at most 10\n');
  process.exit(2);
}
const ORGS = Math.round(5000 * scale);
const USERS = Math.round(200_000 * scale);
const SEARCHES = 500;
const MUTATIONS = Math.round(5000 * Math.min(scale, 1));

const ms = (v: number) => `${v.toFixed(2)} ms`;

const dir = tempDir('orgdesk-bench-');
try {
  process.stdout.write(`Orgdesk benchmark: ${ORGS} organizations, ${USERS} users (scale ${scale})\n`);
  const t0 = performance.now();
  const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  const { orgNames } = buildDataset(core, ORGS, USERS);
  process.stdout.write(`  dataset built through the mutation pipeline in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

  // --- 1. search latency through the host transport vs the bare query ------------------------
  const queries = Array.from({ length: SEARCHES }, (_, i) => {
    const name = orgNames[(i * 7919) % orgNames.length]!;
    const start = (i * 3) % Math.max(1, name.length - 4);
    return name.slice(start, start + 3 + (i % 4)); // 3..6 characters from inside a real name
  });
  const search = core.db.prepare(`SELECT id, name, type, parent_id, is_sample FROM organizations
      WHERE name_fold LIKE @pattern ESCAPE '\\' ORDER BY (name_fold LIKE @prefix ESCAPE '\\') DESC, name_fold LIMIT 50`);
  const bare: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    const needle = escapeLike(fold(q));
    search.all({ pattern: `%${needle}%`, prefix: `${needle}%` });
    bare.push(performance.now() - t);
  }
  core.close();

  const worker = await startCoreWorker({ dataDir: dir.path, seedSample: false });
  const host = await startHost({ core: worker, staticDir: dir.path });
  const call = async (method: string, input: unknown) => {
    const res = await fetch(`${host.origin}/rpc/${method}`, {
      method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean };
    if (!body.ok) throw new Error(JSON.stringify(body));
    return body;
  };
  for (const q of queries.slice(0, 20)) await call('org.search', { query: q }); // warm up
  const viaHost: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await call('org.search', { query: q, limit: 50 });
    viaHost.push(performance.now() - t);
  }
  await host.close();
  await worker.close();
  viaHost.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  line('org.search p50 via api.call over HTTP', ms(pct(viaHost, 50)), ms(pct(bare, 50)), `${(pct(viaHost, 50) / pct(bare, 50)).toFixed(1)}x the bare query`);
  line('org.search p95 via api.call over HTTP', ms(pct(viaHost, 95)), ms(pct(bare, 95)), `${(pct(viaHost, 95) / pct(bare, 95)).toFixed(1)}x the bare query`);
  process.stdout.write(`  target p95 < 20 ms: ${pct(viaHost, 95) < 20 ? 'met' : 'NOT met'}\n\n`);

  // --- 2. mutation throughput vs raw inserts of the same rows --------------------------------
  const core2 = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  const orgId = (core2.db.prepare("SELECT id FROM organizations WHERE type = 'client' LIMIT 1").get() as { id: string }).id;
  // The same table shape and indexes as users, so the reference pays for the same index upkeep.
  const usersDdl = (core2.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").get() as { sql: string }).sql;
  // (A table rebuilt by a migration keeps its name quoted in sqlite_master.)
  core2.db.exec(usersDdl.replace(/CREATE TABLE "?users"?/, 'CREATE TABLE raw_users'));
  const usersIndexes = core2.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const index of usersIndexes) {
    core2.db.exec(index.sql.replace(`INDEX ${index.name} ON users`, `INDEX raw_${index.name} ON raw_users`));
  }
  const rawInsert = core2.db.prepare(`INSERT INTO raw_users (id, org_id, name, email, email_fold, role_id, status, source, email_login_enabled, version, field_versions, created_at, created_by, updated_at, updated_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`);
  const actor = core2.profile();
  const row = (i: number) => ({ orgId, name: `Bench User ${i}`, email: `bench.${i}@bench.example`, roleId: OPERATOR_ROLE_ID, status: 'active', source: 'import', emailLoginEnabled: true });

  for (const batch of [1, 1000]) {
    const n = batch === 1 ? Math.min(MUTATIONS, 2000) : MUTATIONS * 4;
    let t = performance.now();
    for (let i = 0; i < n; i += batch) {
      core2.db.transaction(() => {
        for (let j = i; j < Math.min(n, i + batch); j++) {
          const r = row(j);
          const at = new Date().toISOString();
          rawInsert.run(uuidv7(), r.orgId, r.name, r.email, r.email.toLowerCase(), r.roleId, r.status, r.source, 1,
            JSON.stringify({ orgId: 1, name: 1, email: 1, roleId: 1, status: 1, source: 1, emailLoginEnabled: 1 }), at, actor.id, at, actor.id);
        }
      })();
    }
    const rawRate = n / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < n; i += batch) {
      core2.deps.mutations.run('bench.createUsers', actor, (w) => {
        for (let j = i; j < Math.min(n, i + batch); j++) w.create('user', uuidv7(), row(j + 1_000_000 * batch));
      });
    }
    const mutRate = n / ((performance.now() - t) / 1000);
    const label = batch === 1 ? 'mutations/s, one per transaction' : `mutations/s, ${batch} per transaction`;
    line(label, `${Math.round(mutRate)}/s`, `${Math.round(rawRate)}/s`, `${(mutRate / rawRate).toFixed(2)} of raw inserts`);
    process.stdout.write(`  target >= 0.33 of raw: ${mutRate / rawRate >= 1 / 3 ? 'met' : 'NOT met'}\n`);
  }
  core2.close();

  process.stdout.write(`\npeak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
} finally {
  dir.remove();
}
