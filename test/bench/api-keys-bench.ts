/**
 * Portal REST API figures (run by `npm run bench`, or alone: `npm exec -- node test/bench/api-keys-bench.ts [users]`),
 * each beside a reference measured in the same run against the same Portal:
 *
 *  1. GET /api/v1/users?limit=100 with a valid key (rate limit, key check by key ID + SHA-256,
 *     organization tree, the users page, JSON): requests/s and p99 latency. Reference: GET /health
 *     (one core round trip, no key).
 *  2. Requests refused by the rate limit (429, answered without the core): requests/s. Reference: GET /health.
 *  Keys are used round-robin so that case 1 stays within each key's burst.
 *  Not a timed test: nothing here fails a build.
 */
import autocannon from 'autocannon';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { DEFAULT_RATE_LIMIT } from '../../main/portal/rest-api/rest-routes.ts';
import { ROLE_IDS } from '../../shared/rules/api-keys.ts';
import { tempDir } from '../integration/helpers.ts';
import { line } from './report.ts';

const USERS = Math.max(100, Number(process.argv[2] ?? 5_000));
const DURATION_S = 4;
const CONNECTIONS = 8;
const KEYS = 300;


async function call(core: { call(m: string, i: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> }, method: string, input: unknown) {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as Record<string, unknown>;
}

function load(url: string, headersFor: () => Record<string, string>, amount?: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url, connections: CONNECTIONS, ...(amount ? { amount } : { duration: DURATION_S }),
      requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...headersFor() } }) }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const dir = tempDir('orgdesk-bench-');
try {
  process.stdout.write(`Portal REST API benchmark: ${USERS} users in one client, ${KEYS} keys, ${CONNECTIONS} connections\n`);
  const arrange = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
  const org = (over: Record<string, unknown>) => ({ email: 'it@bench.example', language: 'en', country: 'US', sector: 'other', ...over });
  const partner = (await call(arrange, 'org.create', org({ type: 'partner', parentId: null, name: 'Bench MSP' }))).id as string;
  const client = (await call(arrange, 'org.create', org({ type: 'client', parentId: partner, name: 'Bench Client' }))).id as string;
  const csv = ['Name,Email', ...Array.from({ length: USERS }, (_, i) => `User ${i},user${i}@bench.example`)].join('\n');
  const bytes = Buffer.from(csv);
  const { fileId } = await call(arrange, 'files.begin', { filename: 'users.csv', bytes: bytes.length }) as { fileId: string };
  await call(arrange, 'files.append', { fileId, offset: 0, base64: bytes.toString('base64') });
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    keys.push((await call(arrange, 'apiKeys.create', { orgId: client, name: `Key ${i}`, roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } })).secret as string);
  }
  arrange.close();

  const core = await startCoreWorker({ dataDir: dir.path, seedSample: false });
  const portal = await startPortal({ core });
  try {
    // Users through the REST import itself (one request), so the figure below reads real rows.
    const form = new FormData();
    form.set('file', new Blob([csv]), 'users.csv');
    const t0 = performance.now();
    const imported = await fetch(`${portal.origin}/api/v1/users/import`, { method: 'POST', headers: { Authorization: `Bearer ${keys[0]}` }, body: form });
    const result = (await imported.json()) as { created: number[] };
    process.stdout.write(`  imported ${result.created.length} users through POST /api/v1/users/import in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

    const health = await load(`${portal.origin}/health`, () => ({}));
    let next = 1;
    // Within every key's burst: KEYS keys x (capacity - 1 used above at most) requests.
    const amount = (KEYS - 1) * (DEFAULT_RATE_LIMIT.capacity - 1);
    const users = await load(`${portal.origin}/api/v1/users?limit=100`, () => ({ authorization: `Bearer ${keys[1 + (next++ % (KEYS - 1))]}` }), amount);
    const rps = (r: autocannon.Result) => r.requests.average;
    line('GET /api/v1/users?limit=100 (req/s)', rps(users).toFixed(0), rps(health).toFixed(0), (rps(users) / rps(health)).toFixed(2));
    line('  p99 latency (ms)', String(users.latency.p99), String(health.latency.p99), (users.latency.p99 / Math.max(1, health.latency.p99)).toFixed(2));
    if (users.non2xx > 0) process.stdout.write(`  note: ${users.non2xx} answers were not 2xx\n`);

    const limited = await load(`${portal.origin}/api/v1/users?limit=100`, () => ({ authorization: `Bearer ${keys[0]}` }));
    line('429 answers of a spent key (req/s)', rps(limited).toFixed(0), rps(health).toFixed(0), (rps(limited) / rps(health)).toFixed(2));
  } finally {
    await portal.close();
    await core.close();
  }
} finally {
  dir.remove();
}
