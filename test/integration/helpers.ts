import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import type { RpcResult } from '../../shared/model/errors.ts';
import type { Method, Out } from '../../shared/contract.ts';

export function tempDir(prefix = 'orgdesk-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A core on a fresh SQLite file in a temp dir. */
export function testCore(options: Partial<CoreOptions> = {}): Core & { dir: string; dispose(): void } {
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, ...options });
  return Object.assign(core, { dir: dir.path, dispose: () => { core.close(); dir.remove(); } });
}

/** Call and expect success, returning the typed value. */
export async function ok<M extends Method>(core: Pick<Core, 'call'>, method: M, input: unknown): Promise<Out<M>> {
  const r = await core.call(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value as Out<M>;
}

export async function fails(core: Pick<Core, 'call'>, method: Method, input: unknown): Promise<Extract<RpcResult, { ok: false }>['error']> {
  const r = await core.call(method, input);
  if (r.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

export const orgInput = (over: Record<string, unknown> = {}) => ({
  type: 'partner', parentId: null, name: 'Acme MSP', email: 'ops@acme.example', language: 'en', country: 'US', sector: 'technology', ...over,
});

export function counts(core: Core) {
  const n = (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { organizations: n('organizations'), branding: n('branding'), changes: n('changes'), audit: n('audit'), users: n('users') };
}
