/**
 * A Portal serving SCIM 2.0 over real HTTP on 127.0.0.1, on a data dir arranged first by an
 * in-process core: a partner, two client organizations (one with a sub-organization), a SCIM
 * token per client (issued as the SSO Integrations feature does, with issueScimToken), and a user
 * who signed in with SAML before (sso_identities), so provisioning must link, not duplicate.
 */
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { issueScimToken, SCIM_BASE_PATH } from '../../main/core/identity/scim-tokens.ts';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { newId } from '../../main/core/ids.ts';
import { tempDir } from './helpers.ts';

export const ROLES = {
  admin: '00000000-0000-7000-8000-000000000001',
  operator: '00000000-0000-7000-8000-000000000002',
  readOnly: '00000000-0000-7000-8000-000000000003',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
type AnyJson = any;

export interface ScimWorld {
  core: CoreClient;
  portal: Portal;
  base: string;
  contoso: { id: string; labsId: string; token: string; linkedUserId: string };
  fabrikam: { id: string; token: string };
  /** A SCIM request with the given token; the body is JSON unless a string is given. */
  scim(token: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: AnyJson }>;
  call<T = AnyJson>(method: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startScimWorld(): Promise<ScimWorld> {
  const dir = tempDir('orgdesk-scim-');
  const setup = createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
  const create = async (input: Record<string, unknown>) => {
    const r = await setup.call('org.create', { language: 'en', country: 'US', sector: 'technology', description: '', ...input });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return (r.value as { id: string }).id;
  };
  const partner = await create({ type: 'partner', parentId: null, name: 'Acme MSP', email: 'ops@acme.example' });
  const contosoId = await create({ type: 'client', parentId: partner, name: 'Contoso', email: 'it@contoso.example' });
  const labsId = await create({ type: 'suborg', parentId: contosoId, name: 'Labs', email: 'labs@contoso.example' });
  const fabrikamId = await create({ type: 'client', parentId: partner, name: 'Fabrikam', email: 'it@fabrikam.example' });
  const linked = await setup.call('users.create', { orgId: contosoId, name: 'Ada Lovelace', email: 'ada@contoso.example', roleId: ROLES.operator });
  if (!linked.ok) throw new Error(JSON.stringify(linked.error));
  const linkedUserId = (linked.value as { id: string }).id;
  const actor = setup.profile();
  const tokens = setup.deps.mutations.run('test.scim.setup', actor, (w) => {
    w.create('ssoIdentity', newId(), { orgId: contosoId, userId: linkedUserId, connectionId: 'conn-contoso', provider: 'entra', subject: 'Ada.Lovelace@Contoso.onmicrosoft.com', loginCount: 1 });
    return {
      contoso: issueScimToken(w, setup.db, { orgId: contosoId, connectionId: 'conn-contoso' }, new Date()).token,
      fabrikam: issueScimToken(w, setup.db, { orgId: fabrikamId, connectionId: 'conn-fabrikam' }, new Date()).token,
    };
  });
  setup.close();

  const core = await startCoreWorker({ dataDir: dir.path, seedSample: false });
  const portal = await startPortal({ core });
  const base = `${portal.origin}${SCIM_BASE_PATH}`;
  return {
    core, portal, base,
    contoso: { id: contosoId, labsId, token: tokens.contoso, linkedUserId },
    fabrikam: { id: fabrikamId, token: tokens.fabrikam },
    async scim(token, method, path, body, headers = {}) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    async call(method, input) {
      const r = await core.call(method, input);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value as never;
    },
    async close() {
      await portal.close();
      await core.close();
      dir.remove();
    },
  };
}
