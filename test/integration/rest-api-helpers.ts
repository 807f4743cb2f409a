/**
 * A Portal with the REST API for tests: data arranged in-process on a temp data dir (with a clock
 * the test sets, so keys can be made that have already expired), then the real Portal started on
 * that dir over the core in its worker thread, and spoken to over real HTTP.
 */
import { createCore, type Core } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { ROLE_IDS } from '../../shared/rules/api-keys.ts';
import { ok, orgInput, tempDir } from './helpers.ts';

const DAY = 86_400_000;

export interface RestWorld {
  portal: Portal;
  core: CoreClient;
  orgs: { partner: string; contoso: string; labs: string; fabrikam: string };
  keys: { operator: string; readOnly: string; admin: string; expired: string; revoked: string; fabrikam: string; partner: string };
  keyIds: Record<string, string>;
  users: { contosoAda: string; labsBob: string; fabrikamEve: string };
  /** fetch against the Portal with a key. */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startRestWorld(): Promise<RestWorld> {
  const dir = tempDir('orgdesk-rest-');
  let t = Date.now();
  const arrange: Core = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, clock: { now: () => new Date(t) } });
  const partner = (await ok(arrange, 'org.create', orgInput())).id;
  const contoso = (await ok(arrange, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso', email: 'it@contoso.example' }))).id;
  const labs = (await ok(arrange, 'org.create', orgInput({ type: 'suborg', parentId: contoso, name: 'Labs', email: 'labs@contoso.example' }))).id;
  const fabrikam = (await ok(arrange, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Fabrikam', email: 'it@fabrikam.example' }))).id;
  const user = async (orgId: string, name: string, email: string) =>
    (await ok(arrange, 'users.create', { orgId, name, email, roleId: ROLE_IDS.readOnly })).id;
  const users = {
    contosoAda: await user(contoso, 'Ada Lovelace', 'ada@contoso.example'),
    labsBob: await user(labs, 'Bob Labs', 'bob@contoso.example'),
    fabrikamEve: await user(fabrikam, 'Eve Fabrikam', 'eve@fabrikam.example'),
  };
  const keyIds: Record<string, string> = {};
  const key = async (label: string, orgId: string, roleId: string) => {
    const created = await ok(arrange, 'apiKeys.create', { orgId, name: label, roleId, expiry: { kind: 'days', days: 30 } });
    keyIds[label] = created.key.id;
    return created.secret;
  };
  // Made 31 days ago with 30 days to live: expired now.
  t -= 31 * DAY;
  const expired = await key('expired', contoso, ROLE_IDS.administrator);
  t += 31 * DAY;
  const keys = {
    expired,
    operator: await key('operator', contoso, ROLE_IDS.operator),
    readOnly: await key('readOnly', contoso, ROLE_IDS.readOnly),
    admin: await key('admin', contoso, ROLE_IDS.administrator),
    revoked: await key('revoked', contoso, ROLE_IDS.administrator),
    fabrikam: await key('fabrikam', fabrikam, ROLE_IDS.operator),
    partner: await key('partner', partner, ROLE_IDS.readOnly),
  };
  await ok(arrange, 'apiKeys.revoke', { id: keyIds.revoked });
  arrange.close();

  const core = await startCoreWorker({ dataDir: dir.path, seedSample: false });
  const portal = await startPortal({ core });
  return {
    portal, core, orgs: { partner, contoso, labs, fabrikam }, keys, keyIds, users,
    call(path, init = {}) {
      const { key: k, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (k !== null) headers.set('Authorization', `Bearer ${k ?? keys.operator}`);
      return fetch(`${portal.origin}${path}`, { ...rest, headers });
    },
    async close() {
      await portal.close();
      await core.close();
      dir.remove();
    },
  };
}

export const jsonBody = (body: unknown): RequestInit => ({
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});

export function importForm(file: { name: string; content: string | Buffer }, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('file', new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]), file.name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}
