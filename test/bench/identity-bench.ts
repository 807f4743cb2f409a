/**
 * SAML sign-in figures (run by `npm run bench`, or alone: `npm exec -- node test/bench/identity-bench.ts [users]`),
 * beside a reference measured in the same run:
 *
 *  1. Sign-ins through the Portal's ACS over HTTP, one after another (body parse, node-saml's
 *     signature / issuer / audience / time checks, the replay guard, the user lookup among
 *     `users` users, and the mutation that records sso_identities + auth_sign_ins + audit): p50/p95
 *     latency and sign-ins per second. Reference: checking the same responses' assertion signature
 *     with xml-crypto alone in this process (the cryptographic floor).
 *  2. domains.list + sso.list (the two tabs' reads) with 200 domains and 20 connections: p95.
 *  A DNS server on 127.0.0.1 (dnsmasq) verifies the domain, as in the tests. Not a timed test.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import type { CoreClient } from '../../main/core/worker/core-client.ts';
import { tempDir } from '../integration/helpers.ts';
import { makeCertificate } from '../fixtures/identity/certs.ts';
import { signedResponse } from '../fixtures/identity/saml-idp.ts';
import { startDns } from '../fixtures/identity/dns.ts';
import { line, pct } from './report.ts';

const USERS = Math.max(100, Number(process.argv[2] ?? 5_000));
const SIGN_INS = Math.min(USERS, 400);
const OPERATOR = '00000000-0000-7000-8000-000000000002';
const ISSUER = 'https://sts.windows.net/bench-tenant/';

const ms = (v: number) => `${v.toFixed(2)} ms`;

async function call<T>(core: { call(m: never, i: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> }, method: string, input: unknown): Promise<T> {
  const r = await core.call(method as never, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const dir = tempDir('orgdesk-bench-identity-');
const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined });
const client: CoreClient = { call: (m, i) => core.call(m, i), subscribe: () => () => undefined, close: async () => undefined };
const portal = await startPortal({ core: client });
let dns: Awaited<ReturnType<typeof startDns>> | null = null;
try {
  process.stdout.write(`Orgdesk identity benchmark: ${USERS} users, ${SIGN_INS} SAML sign-ins\n`);
  await call(core, 'mail.settings.set', { host: '', port: 587, security: 'starttls', username: '', fromAddress: '', fromName: '', portalBaseUrl: portal.origin });
  const { id: partner } = await call<{ id: string }>(core, 'org.create', { type: 'partner', parentId: null, name: 'Bench MSP', email: 'ops@bench.example', language: 'en', country: 'US', sector: 'technology' });
  const { id: org } = await call<{ id: string }>(core, 'org.create', { type: 'client', parentId: partner, name: 'Bench Client', email: 'it@bench.test', language: 'en', country: 'US', sector: 'technology' });
  const domain = await call<{ id: string; txtRecord: { name: string; value: string } }>(core, 'domains.add', { orgId: org, name: 'bench.test' });
  dns = await startDns({ [domain.txtRecord.name]: [domain.txtRecord.value] }, ['test']);
  await call(core, 'identity.settings.set', { dnsServer: dns.server });
  await call(core, 'domains.verify', { id: domain.id });
  const t0 = performance.now();
  for (let i = 0; i < USERS; i++) await call(core, 'users.create', { orgId: org, name: `User ${i}`, email: `user${i}@bench.test`, roleId: OPERATOR });
  process.stdout.write(`  ${USERS} users created through the pipeline in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

  const idp = makeCertificate('Bench IdP', 365);
  const conn = await call<{ sp: { acsUrl: string; entityId: string } }>(core, 'sso.create', {
    id: randomUUID(), orgId: org, kind: 'entra', name: 'Bench Entra', idpEntityId: ISSUER, idpSsoUrl: 'https://login.example/saml2',
    certificates: [idp.certPem], domainIds: [domain.id],
  });
  const responses = Array.from({ length: SIGN_INS }, (_, i) => signedResponse({
    issuer: ISSUER, destination: conn.sp.acsUrl, audience: conn.sp.entityId, nameId: `user${(i * 7919) % USERS}@bench.test`,
    keyPem: idp.keyPem, certPem: idp.certPem, attributes: { 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role': 'Staff' },
  }));

  // --- 1. ACS sign-ins vs the bare signature check -----------------------------------------------
  const latencies: number[] = [];
  const started = performance.now();
  for (const r of responses) {
    const a = performance.now();
    const res = await fetch(conn.sp.acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: r.samlResponse }) });
    await res.text();
    if (res.status !== 200) throw new Error(`ACS answered ${res.status}`);
    latencies.push(performance.now() - a);
  }
  const acsSeconds = (performance.now() - started) / 1000;
  const bare: number[] = [];
  for (const r of responses) {
    const a = performance.now();
    const doc = new DOMParser().parseFromString(r.xml, 'text/xml');
    const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
    const sig = new SignedXml({ publicCert: idp.certPem });
    sig.loadSignature(signature as unknown as Node);
    if (!sig.checkSignature(r.xml)) throw new Error('reference signature check failed');
    bare.push(performance.now() - a);
  }
  latencies.sort((x, y) => x - y);
  bare.sort((x, y) => x - y);
  const bareTotal = bare.reduce((s, v) => s + v, 0) / 1000;
  line('ACS sign-in p50', ms(pct(latencies, 50)), ms(pct(bare, 50)), `${(pct(latencies, 50) / pct(bare, 50)).toFixed(1)}x`);
  line('ACS sign-in p95', ms(pct(latencies, 95)), ms(pct(bare, 95)), `${(pct(latencies, 95) / pct(bare, 95)).toFixed(1)}x`);
  line('ACS sign-ins per second (sequential)', (SIGN_INS / acsSeconds).toFixed(0), (SIGN_INS / bareTotal).toFixed(0), `${((SIGN_INS / acsSeconds) / (SIGN_INS / bareTotal)).toFixed(2)}`);

  // --- 2. the tabs' reads -------------------------------------------------------------------------
  for (let i = 0; i < 199; i++) await call(core, 'domains.add', { orgId: org, name: `d${i}.bench.test` });
  for (let i = 0; i < 19; i++) {
    await call(core, 'sso.create', { id: randomUUID(), orgId: org, kind: 'saml', name: `Conn ${i}`, idpEntityId: `https://idp${i}.example/`, idpSsoUrl: 'https://idp.example/sso', certificates: [idp.certPem], domainIds: [domain.id] });
  }
  const reads: number[] = [];
  const bareReads: number[] = [];
  for (let i = 0; i < 100; i++) {
    let a = performance.now();
    await call(core, 'domains.list', { orgId: org });
    await call(core, 'sso.list', { orgId: org });
    reads.push(performance.now() - a);
    a = performance.now();
    core.db.prepare('SELECT * FROM identity_domains WHERE org_id = ?').all(org);
    core.db.prepare('SELECT * FROM sso_connections WHERE org_id = ?').all(org);
    bareReads.push(performance.now() - a);
  }
  reads.sort((x, y) => x - y);
  bareReads.sort((x, y) => x - y);
  line('domains.list + sso.list p95 (200 d, 20 c)', ms(pct(reads, 95)), ms(pct(bareReads, 95)), `${(pct(reads, 95) / pct(bareReads, 95)).toFixed(1)}x`);
  process.stdout.write(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
} finally {
  await dns?.close();
  await portal.close();
  core.close();
  dir.remove();
}
