/**
 * SCIM 2.0 throughput and latency on loopback (run by `npm run bench`, or alone:
 * `npm exec -- node test/bench/scim-bench.ts --scale 0.1`).
 *
 * A concurrent client (autocannon, 10 connections) against the real Portal (core worker + SCIM
 * route group, every write through the mutation pipeline with changes + audit, SQLite FULL sync):
 *   1. N user creates (POST /Users), 2. N PATCHes (replace title + Entra's "active":"True"),
 *   3. paged GETs with a filter (userName sw "…", count=50).
 * Reference in the same run: a bare node:http handler (the Portal's own server stack) answering
 * the same requests with a fixed SCIM body, i.e. the ceiling of the HTTP layer alone.
 * The servers run in a child process (Portal + core worker thread + the bare handler), the client
 * in this one, so the client does not share the servers' event loop.
 * Peak memory = max RSS of the server process (Portal + core worker thread).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { issueScimToken, SCIM_BASE_PATH } from '../../main/core/identity/scim-tokens.ts';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { tempDir } from '../integration/helpers.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, serve: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--scale must be a number above 0 and at most 10\n');
  process.exit(2);
}
const USERS = Math.max(100, Math.round(10_000 * scale));
/** Seconds of filtered GETs and of each ceiling run (autocannon ends runs on whole-second ticks: short runs would mislead). */
const GET_SECONDS = Math.max(3, Math.round(10 * Math.min(scale, 1)));
const CONNECTIONS = 10;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Phase { label: string; total: number; rps: number; p99: number; non2xx: number; errors: number }

async function load(url: string, size: { amount: number } | { duration: number }, request: (i: number) => { method: 'GET' | 'POST' | 'PATCH'; path: string; body?: string }, headers: Record<string, string>): Promise<Omit<Phase, 'label'>> {
  let next = 0;
  const started = performance.now();
  const result = await autocannon({
    url, connections: CONNECTIONS, ...size,
    requests: [{
      setupRequest: (req) => {
        const r = request(next++);
        return { ...req, method: r.method, path: r.path, headers: { ...headers, ...(r.body ? { 'content-type': 'application/scim+json' } : {}) }, ...(r.body ? { body: r.body } : {}) };
      },
    }],
  });
  // autocannon's own duration is rounded to whole seconds: time the run here.
  const seconds = (performance.now() - started) / 1000;
  return { total: result.requests.total, rps: result.requests.total / seconds, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** The server process: the Portal on the prepared data dir, and the bare handler beside it. */
async function serve(dataDir: string) {
  const core = await startCoreWorker({ dataDir, seedSample: false });
  const portal = await startPortal({ core });
  // The ceiling: the same node:http stack answering with a fixed SCIM body, no core.
  const fixed = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(fixed);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  process.send!({ portal: portal.origin, bare: `http://127.0.0.1:${(bare.address() as AddressInfo).port}` });
  process.on('message', (m: string) => {
    if (m !== 'stop') return;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    bare.close();
    void portal.close().then(() => core.close()).then(() => process.send!({ maxRssMb }, () => process.exit(0)));
  });
}

async function main() {
  const dir = tempDir('orgdesk-scim-bench-');
  try {
    process.stdout.write(`SCIM benchmark: ${USERS} creates, ${USERS} PATCHes, ${GET_SECONDS} s of filtered paged GETs, ${CONNECTIONS} connections (scale ${scale})\n`);
    const setup = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
    const partner = await setup.call('org.create', { type: 'partner', parentId: null, name: 'Bench MSP', email: 'ops@bench.example', language: 'en', country: 'US', sector: 'technology' });
    if (!partner.ok) throw new Error(JSON.stringify(partner.error));
    const org = await setup.call('org.create', { type: 'client', parentId: (partner.value as { id: string }).id, name: 'Bench Client', email: 'it@bench.example', language: 'en', country: 'US', sector: 'technology' });
    if (!org.ok) throw new Error(JSON.stringify(org.error));
    const orgId = (org.value as { id: string }).id;
    const token = setup.deps.mutations.run('bench.scim.token', setup.profile(), (w) => issueScimToken(w, setup.db, { orgId, connectionId: 'bench' }, new Date()).token);
    setup.close();

    // The core reports stretches it was busy on stderr; they are expected under this load, not shown.
    const child = fork(import.meta.filename, ['--serve', dir.path], { stdio: ['ignore', 'inherit', 'ignore', 'ipc'] });
    const origins = await new Promise<{ portal: string; bare: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { portal: string; bare: string }));
      child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const headers = { authorization: `Bearer ${token}` };
    const createBody = (i: number) => JSON.stringify({
      schemas: [USER], userName: `bench.${i}@bench.example`, externalId: `ext-${i}`, active: true,
      name: { givenName: `Given${i}`, familyName: `Family${i}` }, emails: [{ type: 'work', primary: true, value: `bench.${i}@bench.example` }],
    });

    const phases: Phase[] = [];
    const ceilingPost = await load(origins.bare, { duration: GET_SECONDS }, (i) => ({ method: 'POST', path: `${SCIM_BASE_PATH}/Users`, body: createBody(i) }), headers);
    phases.push({ label: 'bare handler, POST (ceiling)', ...ceilingPost });
    const create = await load(origins.portal, { amount: USERS }, (i) => ({ method: 'POST', path: `${SCIM_BASE_PATH}/Users`, body: createBody(i) }), headers);
    phases.push({ label: 'POST /Users (create)', ...create });

    // The created ids, read back page by page (as a client would).
    const ids: string[] = [];
    for (let start = 1; ids.length < USERS; start += 200) {
      const res = await fetch(`${origins.portal}${SCIM_BASE_PATH}/Users?startIndex=${start}&count=200&attributes=id`, { headers });
      const page = (await res.json()) as { Resources: { id: string }[] };
      if (page.Resources.length === 0) break;
      ids.push(...page.Resources.map((r) => r.id));
    }
    if (ids.length !== USERS) throw new Error(`expected ${USERS} users, found ${ids.length}`);

    phases.push({ label: 'PATCH /Users/{id}', ...(await load(origins.portal, { amount: USERS }, (i) => ({
      method: 'PATCH', path: `${SCIM_BASE_PATH}/Users/${ids[i % ids.length]}`,
      body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'Replace', path: 'title', value: `Title ${i}` }, { op: 'Replace', path: 'active', value: 'True' }] }),
    }), headers)) });

    const ceilingGet = await load(origins.bare, { duration: GET_SECONDS }, () => ({ method: 'GET', path: `${SCIM_BASE_PATH}/Users` }), headers);
    phases.push({ label: 'bare handler, GET (ceiling)', ...ceilingGet });
    // Prefixes that match ~1/9 of the users (bench.1…, bench.2…), paged 50 at a time.
    const filtered = await load(origins.portal, { duration: GET_SECONDS }, (i) => ({
      method: 'GET', path: `${SCIM_BASE_PATH}/Users?filter=${encodeURIComponent(`userName sw "bench.${1 + (i % 9)}"`)}&startIndex=${1 + (i % 10) * 50}&count=50`,
    }), headers);
    phases.push({ label: 'GET /Users?filter=userName sw …&count=50', ...filtered });

    const { maxRssMb } = await new Promise<{ maxRssMb: number }>((resolve) => {
      child.once('message', (m) => resolve(m as { maxRssMb: number }));
      child.send('stop');
    });

    process.stdout.write(`${'phase'.padEnd(44)} ${'requests'.padStart(9)} ${'requests/s'.padStart(12)} ${'p99'.padStart(10)}   non-2xx  errors\n`);
    for (const p of phases) {
      process.stdout.write(`${p.label.padEnd(44)} ${String(p.total).padStart(9)} ${p.rps.toFixed(0).padStart(12)} ${`${p.p99.toFixed(1)} ms`.padStart(10)}   ${String(p.non2xx).padStart(7)} ${String(p.errors).padStart(7)}\n`);
    }
    process.stdout.write(`\ncreates at ${(100 * create.rps / ceilingPost.rps).toFixed(1)}% of the bare POST ceiling; `
      + `filtered GETs at ${(100 * filtered.rps / ceilingGet.rps).toFixed(1)}% of the bare GET ceiling\n`);
    process.stdout.write(`peak memory (max RSS of the server process: Portal + core worker): ${maxRssMb.toFixed(0)} MB\n`);
    if (phases.some((p) => p.non2xx > 0 || p.errors > 0)) {
      process.stderr.write('some SCIM requests failed (non-2xx or errors above)\n');
      process.exitCode = 1;
    }
  } finally {
    dir.remove();
  }
}

if (values.serve) await serve(values.serve);
else await main();
