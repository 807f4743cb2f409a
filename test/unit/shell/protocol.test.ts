import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { Protocol } from 'electron';
import { electron, resetElectron } from '../../stubs/electron-double.ts';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security-policy.ts';
import { createAppProtocolHandler, installAppProtocol, registerAppScheme, resolveAppPath } from '../../../main/shell/protocol.ts';

let base: string;
let root: string;
let reads: string[];
let handle: ReturnType<typeof createAppProtocolHandler>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'orgdesk-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Orgdesk</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  // Things outside the root that a traversal would reach.
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.html'), 'EVIL'); // same prefix as root: startsWith(root) alone would accept it
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => {
  resetElectron();
  reads = [];
  handle = createAppProtocolHandler(root, (p) => {
    reads.push(p);
    return readFile(p);
  });
});

const get = (url: string, method = 'GET') => handle({ url, method });

describe('app:// protocol handler', () => {
  it('serves index.html for / and /index.html with the CSP and nosniff headers', async () => {
    for (const url of ['app://bundle/', 'app://bundle/index.html', 'app://bundle/index.html?x=1#/orgs']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toContain('<title>Orgdesk</title>');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves assets with their type', async () => {
    const res = await get('app://bundle/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers 404 (with the CSP) for missing files, directories, other hosts and credentials', async () => {
    for (const url of ['app://bundle/missing.js', 'app://bundle/assets', 'app://bundle/assets/', 'app://other/index.html', 'app://x@bundle/index.html', 'app://bundle:99/index.html', 'https://bundle/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('never reads outside the root, however the traversal is spelled', async () => {
    const attempts = [
      'app://bundle/../secret.txt',
      'app://bundle/%2e%2e/secret.txt',
      'app://bundle/%2E%2E/%2e%2e/secret.txt',
      'app://bundle/assets/../../secret.txt',
      'app://bundle/..%2fsecret.txt',
      'app://bundle/assets%2f..%2f..%2fsecret.txt',
      'app://bundle/%2e%2e%2fsecret.txt',
      'app://bundle/..%5csecret.txt',
      'app://bundle/..\\secret.txt',
      'app://bundle/assets\\..\\..\\secret.txt',
      'app://bundle/..%2frenderer-evil%2fx.html',
      'app://bundle/%252e%252e/secret.txt',
      'app://bundle/index.html%00.js',
      'app://bundle/%E0%A4%A',
    ];
    for (const url of attempts) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      const body = await res.text();
      expect(body, url).not.toContain('SECRET');
      expect(body, url).not.toContain('EVIL');
    }
    for (const p of reads) expect(p.startsWith(root + sep), p).toBe(true);
  });

  it('resolveAppPath maps only inside the root', () => {
    expect(resolveAppPath(root, 'app://bundle/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppPath(root, 'app://bundle/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://bundle/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppPath(root, 'app://bundle/a%5c..%5c..%5cb')).toBeNull();
  });

  it('refuses every method but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await get('app://bundle/index.html', method);
      expect(res.status, method).toBe(405);
    }
    expect(reads).toEqual([]);
    const head = await get('app://bundle/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('scheme registration', () => {
  it('registers app:// as standard, secure and fetch-capable before ready', () => {
    registerAppScheme(electron.protocol as unknown as Protocol);
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('installs the handler for the app scheme and it serves the root', async () => {
    electron.app.fireReady();
    installAppProtocol(electron.protocol as unknown as Protocol, root);
    const handler = electron.protocol.handlers.get('app') as unknown as (r: { url: string; method: string }) => Promise<Response>;
    expect(handler).toBeTypeOf('function');
    const res = await handler({ url: 'app://bundle/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
