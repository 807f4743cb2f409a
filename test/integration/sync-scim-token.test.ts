/**
 * SCIM tokens travel: a token a connected console issues (SSO Integrations: enable SCIM, rotate)
 * works on the Portal, which serves SCIM, after a sync; the console records only the token's hash
 * in the change it ships, and neither token nor hash appears in the Portal's change log or audit.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testCore } from './helpers.ts';
import { must } from '../fixtures/sync/harness.ts';
import { makeCertificate } from '../fixtures/identity/certs.ts';
import { SCIM_BASE_PATH } from '../../main/core/identity/scim-tokens.ts';
import { sha256 } from '../../main/core/auth/secrets.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';
import { startSeededPortal } from '../fixtures/sync/in-process-portal.ts';

const cleanup = cleanupAfterEach();

async function world() {
  const { portalCore, portal, seed } = await startSeededPortal(cleanup, 1);
  const c = testCore();
  cleanup.push(() => c.dispose());
  await must(c, 'sync.connect', { url: portal.origin, token: seed.token });
  const scimUsers = (token: string) => fetch(`${portal.origin}${SCIM_BASE_PATH}/Users`, { headers: { authorization: `Bearer ${token}` } });
  return { portalCore, portal, seed, console: c, scimUsers };
}

const sync = (c: ReturnType<typeof testCore>) => must<SyncStatus>(c, 'sync.now', { wait: true });

describe('SCIM tokens issued on a console', () => {
  it('work on the Portal after a sync; rotating on the console stops the old one there; neither token nor hash is in the Portal\'s log', async () => {
    const w = await world();
    await sync(w.console);
    const client = w.seed.clientIds[0]!;
    const connectionId = randomUUID();
    await must(w.console, 'sso.create', {
      id: connectionId, orgId: client, kind: 'okta', name: 'Okta', idpEntityId: 'http://www.okta.com/exk1', idpSsoUrl: 'https://client.okta.example/sso',
      certificates: [makeCertificate('Client IdP signing', 3650).certPem], domainIds: [],
    });
    const first = await must<{ token: string }>(w.console, 'sso.scim.enable', { id: connectionId });
    // Not on the Portal yet.
    expect((await w.scimUsers(first.token)).status).toBe(401);
    expect(await sync(w.console)).toMatchObject({ conflicts: 0, pending: 0 });
    const listed = await w.scimUsers(first.token);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
    // The Portal stored the console's hash, under the console's id; the shipped change held the hash only.
    const onPortal = w.portalCore.db.prepare('SELECT id, token_hash, revoked_at FROM scim_tokens WHERE connection_id = ?').all(connectionId);
    const onConsole = w.console.db.prepare('SELECT id, token_hash, revoked_at FROM scim_tokens WHERE connection_id = ?').all(connectionId);
    expect(onPortal).toEqual(onConsole);
    expect(onPortal).toMatchObject([{ token_hash: sha256(first.token), revoked_at: null }]);
    expect(JSON.stringify(w.console.db.prepare('SELECT input FROM sync_outbox').all())).not.toContain(first.token);

    const second = await must<{ token: string }>(w.console, 'sso.scim.rotate', { id: connectionId });
    expect(await sync(w.console)).toMatchObject({ conflicts: 0, pending: 0 });
    expect((await w.scimUsers(first.token)).status).toBe(401);
    expect((await w.scimUsers(second.token)).status).toBe(200);

    const logs = JSON.stringify(w.portalCore.db.prepare('SELECT * FROM changes').all()) + JSON.stringify(w.portalCore.db.prepare('SELECT * FROM audit').all());
    for (const secret of [first.token, second.token, sha256(first.token), sha256(second.token)]) expect(logs).not.toContain(secret);

    // Switching SCIM off on the console stops the token on the Portal too.
    await must(w.console, 'sso.scim.disable', { id: connectionId });
    await sync(w.console);
    expect((await w.scimUsers(second.token)).status).toBe(401);
  });

  it('a keychain that refuses the new token undoes it on the console, and the undo travels: no live token on the Portal either', async () => {
    const w = await world();
    // This console's keychain refuses SCIM tokens (the sync credential is kept by the first console's store).
    const secrets = new (class extends MemorySecretStore {
      override async set(key: string, value: string) {
        if (key.startsWith('scim-token:')) throw new Error(`keychain locked (${value})`);
        await super.set(key, value);
      }
    })();
    const c = testCore({ secrets });
    cleanup.push(() => c.dispose());
    const { token } = await must<{ token: string }>(w.portalCore, 'sync.issueToken', { userId: w.seed.techId, label: 'locked keychain' });
    await must(c, 'sync.connect', { url: w.portal.origin, token });
    await sync(c);
    const client = w.seed.clientIds[0]!;
    const connectionId = randomUUID();
    await must(c, 'sso.create', {
      id: connectionId, orgId: client, kind: 'okta', name: 'Okta', idpEntityId: 'http://www.okta.com/exk3', idpSsoUrl: 'https://client.okta.example/sso',
      certificates: [makeCertificate('Client IdP signing', 3650).certPem], domainIds: [],
    });
    const refused = await c.call('sso.scim.enable', { id: connectionId });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.key).toBe('sso.keychain_failed');
    expect(await sync(c)).toMatchObject({ conflicts: 0, pending: 0 });
    const live = (core: ReturnType<typeof testCore>) => core.db.prepare('SELECT count(*) AS n FROM scim_tokens WHERE connection_id = ? AND revoked_at IS NULL').get(connectionId);
    expect(live(w.portalCore)).toEqual({ n: 0 });
    expect(live(c)).toEqual({ n: 0 });
    expect(w.portalCore.db.prepare('SELECT scim_enabled FROM sso_connections WHERE id = ?').get(connectionId)).toEqual({ scim_enabled: 0 });
  });

  it('a token made on the Portal reaches the console as its hash, and a recorded hash is refused outside the Portal\'s re-run', async () => {
    const w = await world();
    const client = w.seed.clientIds[0]!;
    const connectionId = randomUUID();
    await must(w.portalCore, 'sso.create', {
      id: connectionId, orgId: client, kind: 'okta', name: 'Okta', idpEntityId: 'http://www.okta.com/exk2', idpSsoUrl: 'https://client.okta.example/sso',
      certificates: [makeCertificate('Client IdP signing', 3650).certPem], domainIds: [],
    });
    const made = await must<{ token: string }>(w.portalCore, 'sso.scim.enable', { id: connectionId });
    await sync(w.console);
    expect(w.console.db.prepare('SELECT token_hash FROM scim_tokens WHERE connection_id = ?').get(connectionId)).toEqual({ token_hash: sha256(made.token) });
    const forged = await w.portalCore.call('sso.scim.rotate', { id: connectionId, recorded: { tokenHash: sha256('odscim_chosen-by-the-caller') } });
    expect(forged.ok).toBe(false);
    expect((await w.scimUsers(made.token)).status).toBe(200);
  });
});
