import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { KeyringSecretStore } from '../../main/core/secrets/keyring-secret-store.ts';
import { ROLE_IDS } from '../../shared/rules/api-keys.ts';
import { sha256 } from '../../main/core/auth/secrets.ts';

/** A clock the test moves. */
const movableClock = (iso: string) => {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms: number) => { t += ms; } };
};
const DAY = 86_400_000;

let dispose: (() => void) | null = null;
afterEach(() => {
  dispose?.();
  dispose = null;
});

async function setup(options: { keychain?: boolean } = {}) {
  const clock = movableClock('2026-11-23T10:00:00.000Z');
  const service = `Orgdesk-test-${randomBytes(4).toString('hex')}`;
  const core = testCore({ clock, ...(options.keychain ? { secrets: new KeyringSecretStore(service) } : {}) });
  dispose = core.dispose;
  const partner = await ok(core, 'org.create', orgInput());
  const client = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner.id, name: 'Contoso', email: 'it@contoso.example' }));
  return { core, clock, partner, client, service };
}

describe('API keys in the console', () => {
  it('creates a key: the whole key once, in the OS keychain, only its hash in the database, audited without it', async () => {
    const { core, client, service } = await setup({ keychain: true });
    const created = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Payroll sync', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 90 } });
    expect(created.secret).toMatch(/^odk_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.secret).toContain(created.key.keyId);
    expect(created.keptInKeychain).toBe(true);
    expect(created.key).toMatchObject({
      name: 'Payroll sync', roleName: 'Operator', status: 'active', revokedAt: null, createdAt: '2026-11-23T10:00:00.000Z',
      expiresAt: new Date(Date.parse('2026-11-23T10:00:00.000Z') + 90 * DAY).toISOString(),
    });
    // The real keychain holds the key under api-key:<id>.
    expect(await new KeyringSecretStore(service).get(`api-key:${created.key.id}`)).toBe(created.secret);
    // The database: the hash, never the key; changes and audit: not even the hash.
    const row = core.db.prepare('SELECT secret_hash FROM api_keys WHERE id = ?').get(created.key.id) as { secret_hash: string };
    expect(row.secret_hash).toBe(sha256(created.secret));
    const dump = JSON.stringify([
      core.db.prepare('SELECT * FROM changes').all(), core.db.prepare('SELECT * FROM audit').all(),
    ]);
    expect(dump).not.toContain(created.secret);
    expect(dump).not.toContain(row.secret_hash);
    const audit = core.db.prepare("SELECT action, target_label, after FROM audit WHERE target_type = 'apiKey'").all() as { action: string; target_label: string; after: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'apiKeys.create', target_label: `Payroll sync (${created.key.keyId})` });
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ secretHash: '[redacted]', roleId: ROLE_IDS.operator });

    // Revoke: the status says so, the date is kept, the keychain copy is gone, the audit has it.
    const revoked = await ok(core, 'apiKeys.revoke', { id: created.key.id });
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: '2026-11-23T10:00:00.000Z' });
    expect(await new KeyringSecretStore(service).get(`api-key:${created.key.id}`)).toBeNull();
    expect((await fails(core, 'apiKeys.revoke', { id: created.key.id })).key).toBe('apiKey.already_revoked');
    const actions = (core.db.prepare("SELECT action FROM audit WHERE target_type = 'apiKey' ORDER BY id").all() as { action: string }[]).map((a) => a.action);
    expect(actions).toEqual(['apiKeys.create', 'apiKeys.revoke']);
  });

  it('lists the organization\'s keys newest first with a status computed from the dates', async () => {
    const { core, clock, client, partner } = await setup();
    const a = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Short', roleId: ROLE_IDS.readOnly, expiry: { kind: 'days', days: 30 } });
    clock.advance(1000);
    const b = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Long', roleId: ROLE_IDS.administrator, expiry: { kind: 'date', date: '2027-06-30' } });
    clock.advance(1000);
    const c = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Gone', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 365 } });
    await ok(core, 'apiKeys.revoke', { id: c.key.id });
    await ok(core, 'apiKeys.create', { orgId: partner.id, name: 'Elsewhere', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } });

    const list = async () => (await ok(core, 'apiKeys.list', { orgId: client.id })).items.map((k) => [k.name, k.status]);
    expect(await list()).toEqual([['Gone', 'revoked'], ['Long', 'active'], ['Short', 'active']]);
    expect(b.key.expiresAt).toBe('2027-06-30T23:59:59.999Z');
    clock.advance(30 * DAY);
    expect(await list()).toEqual([['Gone', 'revoked'], ['Long', 'active'], ['Short', 'expired']]);
    // An expired key can still be revoked (the date is recorded); a revoked one stays revoked.
    expect((await ok(core, 'apiKeys.revoke', { id: a.key.id })).status).toBe('revoked');
  });

  it('refuses bad input with per-field messages and writes nothing', async () => {
    const { core, client } = await setup();
    const base = { orgId: client.id, name: 'CI', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } };
    await ok(core, 'apiKeys.create', base);
    const count = () => (core.db.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
    const auditCount = () => (core.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const before = [count(), auditCount()];

    expect((await fails(core, 'apiKeys.create', { ...base, name: 'ci' })).fields).toEqual({ name: [{ key: 'apiKey.name_taken' }] });
    expect((await fails(core, 'apiKeys.create', { ...base, name: '' })).fields?.name?.[0]?.key).toBe('apiKey.name_required');
    expect((await fails(core, 'apiKeys.create', { ...base, name: 'x'.repeat(101) })).fields?.name?.[0]?.key).toBe('apiKey.name_too_long');
    expect((await fails(core, 'apiKeys.create', { ...base, name: 'Other', expiry: { kind: 'days', days: 7 } })).fields?.['expiry.days']?.[0]?.key)
      .toBe('apiKey.duration_invalid');
    expect((await fails(core, 'apiKeys.create', { ...base, name: 'Other', expiry: { kind: 'date', date: '2026-11-23' } })).fields)
      .toEqual({ expiry: [{ key: 'apiKey.date_past' }] });
    expect((await fails(core, 'apiKeys.create', { ...base, name: 'Other', roleId: '00000000-0000-7000-8000-0000000000ff' })).fields)
      .toEqual({ roleId: [{ key: 'apiKey.role_unknown' }] });
    expect((await fails(core, 'apiKeys.create', { ...base, orgId: '0190a1b2-0000-7000-8000-000000000009' })).key).toBe('org.not_found');
    expect([count(), auditCount()]).toEqual(before);
  });

  it('frees a name once its key is revoked', async () => {
    const { core, client } = await setup();
    const base = { orgId: client.id, name: 'CI', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } };
    const first = await ok(core, 'apiKeys.create', base);
    await ok(core, 'apiKeys.revoke', { id: first.key.id });
    const second = await ok(core, 'apiKeys.create', base);
    expect(second.key.keyId).not.toBe(first.key.keyId);
  });

  it('keeps the presented key out of what sync records of a REST call made through a console', async () => {
    const { core, client } = await setup();
    const { secret } = await ok(core, 'apiKeys.create', { orgId: client.id, name: 'Script', roleId: ROLE_IDS.operator, expiry: { kind: 'days', days: 30 } });
    // What a connected console's sync hook would record: the call's input, at commit time.
    const recorded: unknown[] = [];
    core.deps.mutations.hooks!.current = { tracking: () => false, beforeCommit: (_w, scope) => recorded.push(scope?.input) };
    try {
      await ok(core, 'api.usersCreate', { key: secret, body: { name: 'Ada', email: 'ada@contoso.example' } });
    } finally {
      core.deps.mutations.hooks!.current = null;
    }
    expect(recorded).toHaveLength(1);
    expect(JSON.stringify(recorded)).not.toContain(secret);
    expect(recorded[0]).toMatchObject({ key: '[redacted]', body: { name: 'Ada' } });
  });
});
