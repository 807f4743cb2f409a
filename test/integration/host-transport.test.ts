import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { request } from 'node:http';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startHost, type Host, MAX_BODY_BYTES } from '../../main/host/host-server.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/security-policy.ts';
import { tempDir } from './helpers.ts';

// The contract over loopback HTTP, against the real core in its worker thread.
let core: CoreClient;
let host: Host;
const data = tempDir();
const site = tempDir();

beforeAll(async () => {
  writeFileSync(join(site.path, 'index.html'), '<!doctype html><title>Orgdesk</title>');
  mkdirSync(join(site.path, 'assets'));
  writeFileSync(join(site.path, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(data.path, 'secret.txt'), 'outside the site');
  core = await startCoreWorker({ dataDir: data.path });
  host = await startHost({ core, staticDir: site.path });
});
afterAll(async () => {
  await host.close();
  await core.close();
  data.remove();
  site.remove();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

const rpc = (method: string, body: unknown, token: string | null = host.token) =>
  fetch(`${host.origin}/rpc/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A raw request, to send what fetch refuses to (a foreign Host header, a literal ../ path). */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { Host: url.host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the loopback host', () => {
  it('listens on 127.0.0.1 only and hands the token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers contract calls with the token', async () => {
    const res = await rpc('org.tree', {});
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.ok).toBe(true);
    expect(body.value.items.some((o: { name: string }) => o.name === 'Northwind IT Services (sample)')).toBe(true);
  });

  it('rejects calls without the token or with a wrong one, and changes nothing', async () => {
    const before = await json(rpc('app.info', {}));
    expect((await rpc('sample.remove', {}, null)).status).toBe(401);
    expect((await rpc('sample.remove', {}, 'f'.repeat(64))).status).toBe(401);
    expect((await rpc('sample.remove', {}, host.token.slice(0, 10))).status).toBe(401);
    const after = await json(rpc('app.info', {}));
    expect(after.value.sampleOrganizations).toBe(before.value.sampleOrganizations);
  });

  it('validates input with the contract and returns typed errors', async () => {
    const bad = await json(rpc('org.get', { id: 'nope' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', fields: { id: [{ key: 'common.id_invalid' }] } } });
    const unknown = await json(rpc('org.drop_tables', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const notJson = await rpc('org.tree', '{oops');
    expect(notJson.status).toBe(400);
    expect((await rpc('org.tree', {}, host.token).then(() => fetch(`${host.origin}/rpc/org.tree`, { headers: { Authorization: `Bearer ${host.token}` } }))).status).toBe(405);
  });

  it('refuses bodies over the limit', async () => {
    const res = await rpc('org.search', JSON.stringify({ query: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(res.status).toBe(413);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await raw('/', { Host: 'evil.example:80' })).status).toBe(421);
  });

  it('serves the renderer with the CSP, and nothing outside its folder', async () => {
    const index = await fetch(`${host.origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<title>Orgdesk</title>');
    expect((await fetch(`${host.origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    const sibling = basename(data.path); // the data dir sits beside the site dir in the temp folder
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', `/..%2f${sibling}%2fsecret.txt`, `/assets/..%2f..%2f${sibling}%2fsecret.txt`,
      `/..%5c${sibling}%5csecret.txt`]) {
      const res = await raw(path);
      expect(res.body, path).not.toContain('outside the site');
    }
  });

  it('pushes data.changed events to subscribers after a mutation', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.origin}/events`, { headers: { Authorization: `Bearer ${host.token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const tree = await json(rpc('org.tree', {}));
    const target = tree.value.items[0];
    const got = (async () => {
      let text = '';
      while (!text.includes('event: data.changed')) text += new TextDecoder().decode((await reader.read()).value);
      return text;
    })();
    await rpc('org.updateGeneral', { id: target.id, baseVersion: 1, changes: { description: 'changed through HTTP' } });
    const text = await got;
    expect(text).toContain(target.id);
    controller.abort();
    expect((await fetch(`${host.origin}/events`)).status).toBe(401);
  });
});
