/**
 * A console connects by signing in with a Portal account (email, password, authenticator code or
 * recovery code) over real HTTP: the Portal's sign-in rules (lockout, replay guard), the console
 * session it issues (hash only, sliding expiry, revocable, listed), the tree derived per request
 * from the user's current role and organization, and a console signed out that keeps its outbox.
 */
import { describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { testCore } from './helpers.ts';
import { ADMIN_ROLE, READ_ONLY_ROLE, asClient, must, seedPortal } from '../fixtures/sync/harness.ts';
import { sha256 } from '../../main/core/auth/secrets.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { SESSION_IDLE_MS, RENEW_AFTER_MS } from '../../main/core/sync/sessions.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';

type TestCore = ReturnType<typeof testCore> & { secrets: MemorySecretStore };
const PASSWORD = 'correct horse battery staple 7';

const cleanup = cleanupAfterEach();

/** The Portal's clock, moved by the tests (TOTP steps, lock delays, session expiry). */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => { offset += ms; } };
}

async function world() {
  const clock = movableClock();
  const portalCore = testCore({ clock });
  const portal: Portal = await startPortal({ core: asClient(portalCore) });
  cleanup.push(() => portal.close(), () => portalCore.dispose());
  const seed = await seedPortal(portalCore, 2);
  const epoch = () => Math.floor(clock.now().getTime() / 1000);
  /** The TOTP code of the next 30-second step (a step never used before by this user). */
  const nextCode = async (secret: string) => {
    clock.advance(30_000);
    return generate({ secret, epoch: epoch() });
  };

  /** A Portal user of the partner who set a password from the welcome link and, unless told, enrolled an authenticator. */
  async function account(email: string, roleId = ADMIN_ROLE, enrol = true) {
    const user = await must<{ id: string }>(portalCore, 'users.create', { orgId: seed.partnerId, name: `Tech ${email.split('@')[0]}`, email, roleId, emailLoginEnabled: true });
    const mail = portalCore.db.prepare("SELECT text_body FROM mail_outbox WHERE to_address = ? AND purpose = 'welcome'").get(email) as { text_body: string };
    const linkToken = /token=([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    const { sessionToken } = await must<{ sessionToken: string }>(portalCore, 'portal.setPassword', { token: linkToken, password: PASSWORD, ip: '127.0.0.1' });
    if (!enrol) return { id: user.id, email, secret: '', recoveryCode: '' };
    const { secret } = await must<{ secret: string }>(portalCore, 'portal.enrolStart', { sessionToken });
    const { recoveryCode } = await must<{ recoveryCode: string }>(portalCore, 'portal.enrolFinish', { sessionToken, code: await nextCode(secret), ip: '127.0.0.1' });
    return { id: user.id, email, secret, recoveryCode };
  }

  const newConsole = () => {
    const secrets = new MemorySecretStore();
    const c = Object.assign(testCore({ secrets }), { secrets });
    cleanup.push(() => c.dispose());
    return c;
  };
  const signIn = (c: TestCore, input: Record<string, unknown>) => c.call('sync.signIn', { url: portal.origin, password: PASSWORD, ...input });
  return { clock, portalCore, portal, seed, account, nextCode, newConsole, signIn };
}

type AnyCore = ReturnType<typeof testCore>;
const sync = (c: AnyCore) => must<SyncStatus>(c, 'sync.now', { wait: true });
const version = (c: AnyCore, id: string) => (c.db.prepare('SELECT version FROM users WHERE id = ?').get(id) as { version: number }).version;
const userName = (c: AnyCore, id: string) => (c.db.prepare('SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined)?.name;
async function refusal(p: Promise<{ ok: boolean }>) {
  const r = await p as { ok: boolean; error?: { code: string; key?: string; params?: Record<string, unknown>; fields?: Record<string, unknown> } };
  expect(r.ok).toBe(false);
  return r.error!;
}

describe('sign in from a console with a Portal account', () => {
  it('asks for the second factor, refuses a wrong code, then syncs as that user with a session kept only as a hash', async () => {
    const w = await world();
    const tess = await w.account('tess.signin@northwind.example');
    const webSessions = () => w.portalCore.db.prepare('SELECT count(*) AS n FROM auth_sessions WHERE user_id = ?').get(tess.id);
    const webSessionsBefore = webSessions();
    const c = w.newConsole();
    // Right password, no code: the Portal asks for it (and nothing is stored on the console).
    expect(await refusal(w.signIn(c, { email: tess.email }))).toMatchObject({ key: 'sync.two_factor_required', fields: { code: expect.anything() } });
    expect((await must<SyncStatus>(c, 'sync.status', {})).state).toBe('standalone');
    expect(await refusal(w.signIn(c, { email: tess.email, code: '000000' }))).toMatchObject({ key: 'sync.code_wrong' });
    const status = await must<SyncStatus & { newRecoveryCode: string | null }>(c, 'sync.signIn', {
      url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret),
    });
    expect(status).toMatchObject({ auth: 'session', user: `Tech tess.signin <${tess.email}>`, newRecoveryCode: null });
    const synced = await sync(c);
    expect(synced.orgs.map((o) => o.orgId).sort()).toEqual([w.seed.partnerId, ...w.seed.clientIds].sort());
    // An edit made on the console lands on the Portal as that user.
    const ana = w.seed.users[0]!;
    await must(c, 'users.update', { id: ana, baseVersion: version(c, ana), changes: { name: 'Ana by Tess' } });
    await sync(c);
    expect(userName(w.portalCore, ana)).toBe('Ana by Tess');
    const audit = w.portalCore.db.prepare("SELECT actor_id FROM audit WHERE action = 'users.update' ORDER BY id DESC LIMIT 1").get() as { actor_id: string };
    expect(audit.actor_id).toBe(tess.id);
    // Listed on the Portal as a session of that user; the Portal keeps only the hash, and the web
    // sessions of the sign-in steps are gone.
    const { items } = await must<{ items: { kind: string; userId: string; active: boolean; expiresAt: string }[] }>(w.portalCore, 'sync.credentials', { userId: tess.id });
    expect(items).toMatchObject([{ kind: 'session', userId: tess.id, active: true }]);
    const secret = await c.secrets.get(`sync-token:${(c.db.prepare("SELECT value FROM sync_meta WHERE key = 'credential_ref'").get() as { value: string }).value}`);
    expect(secret).toMatch(/^odsess_/);
    const stored = JSON.stringify(w.portalCore.db.prepare('SELECT * FROM sync_tokens').all());
    expect(stored).toContain(sha256(secret!));
    expect(stored).not.toContain(secret);
    expect(JSON.stringify(w.portalCore.db.prepare('SELECT * FROM changes').all())).not.toContain(sha256(secret!));
    expect(webSessions()).toEqual(webSessionsBefore);
    // The sign-in is recorded like one on the Portal's pages.
    expect(w.portalCore.db.prepare('SELECT method, success FROM auth_sign_ins WHERE user_id = ? AND success = 1 ORDER BY at DESC LIMIT 1').get(tess.id))
      .toEqual({ method: 'totp', success: 1 });
  });

  it('gives distinct messages for a wrong password, a replayed code, an account without two-factor, and a locked account', async () => {
    const w = await world();
    const tess = await w.account('tess.rules@northwind.example');
    const c = w.newConsole();
    expect(await refusal(w.signIn(c, { email: tess.email, password: 'not the password at all' }))).toMatchObject({ code: 'UNAUTHORIZED', key: 'sync.sign_in_failed' });
    expect(await refusal(w.signIn(c, { email: 'nobody@northwind.example' }))).toMatchObject({ key: 'sync.sign_in_failed' });
    // A code already used for a sign-in is refused on another console (the replay guard).
    const code = await w.nextCode(tess.secret);
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code });
    const other = w.newConsole();
    expect(await refusal(w.signIn(other, { email: tess.email, code }))).toMatchObject({ key: 'sync.code_reused' });
    // No authenticator yet: set it up on the Portal first.
    const newbie = await w.account('new.tech@northwind.example', ADMIN_ROLE, false);
    expect(await refusal(w.signIn(other, { email: newbie.email }))).toMatchObject({ code: 'FORBIDDEN', key: 'sync.two_factor_not_set_up' });
    // Five failures lock the account (the pages' rule): then even the right password is refused, saying for how long.
    const locked = await w.account('lock.me@northwind.example');
    for (let i = 0; i < 5; i++) await refusal(w.signIn(other, { email: locked.email, password: `wrong password ${i} here` }));
    expect(await refusal(w.signIn(other, { email: locked.email, code: await w.nextCode(locked.secret) }))).toMatchObject({ code: 'FORBIDDEN', key: 'sync.locked', params: { minutes: 1 } });
    expect((await must<SyncStatus>(other, 'sync.status', {})).state).toBe('standalone');
  });

  it('a recovery code works once: the console shows the new one, and the old one is refused next time', async () => {
    const w = await world();
    const tess = await w.account('tess.recovery@northwind.example');
    const c = w.newConsole();
    const status = await must<{ newRecoveryCode: string | null }>(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: tess.recoveryCode });
    expect(status.newRecoveryCode).toMatch(/\S{8,}/);
    expect(status.newRecoveryCode).not.toBe(tess.recoveryCode);
    expect(await refusal(w.signIn(w.newConsole(), { email: tess.email, code: tess.recoveryCode }))).toMatchObject({ key: 'sync.code_wrong' });
  });

  it('a Read-only user reads the tree but cannot push', async () => {
    const w = await world();
    const reader = await w.account('reader@northwind.example', READ_ONLY_ROLE);
    const c = w.newConsole();
    await must(c, 'sync.signIn', { url: w.portal.origin, email: reader.email, password: PASSWORD, code: await w.nextCode(reader.secret) });
    await sync(c);
    const ana = w.seed.users[0]!;
    await must(c, 'users.update', { id: ana, baseVersion: version(c, ana), changes: { name: 'Not allowed' } });
    const status = await sync(c);
    expect(status.conflicts).toBeGreaterThanOrEqual(1);
    expect(userName(w.portalCore, ana)).toBe('Ana 1');
  });

  it('a revoked session signs the console out with its outbox kept; signing in again resumes and sends it', async () => {
    const w = await world();
    const tess = await w.account('tess.revoke@northwind.example');
    const c = w.newConsole();
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret) });
    await sync(c);
    const { items } = await must<{ items: { id: string }[] }>(w.portalCore, 'sync.credentials', { userId: tess.id });
    await must(w.portalCore, 'sync.revokeToken', { id: items[0]!.id });
    const ana = w.seed.users[0]!;
    await must(c, 'users.update', { id: ana, baseVersion: version(c, ana), changes: { name: 'Made while signed out' } });
    const out = await sync(c);
    expect(out).toMatchObject({ state: 'signed_out', pending: 1 });
    expect(userName(w.portalCore, ana)).toBe('Ana 1');
    // Another person cannot take over this console's outbox.
    const eve = await w.account('eve@northwind.example');
    expect(await refusal(w.signIn(c, { email: eve.email, code: await w.nextCode(eve.secret) }))).toMatchObject({ key: 'sync.other_user' });
    expect((await must<{ items: unknown[] }>(w.portalCore, 'sync.credentials', { userId: eve.id })).items).toEqual([]);
    // The same person signs in again: the waiting change goes.
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret) });
    const back = await sync(c);
    expect(back).toMatchObject({ state: 'online', pending: 0 });
    expect(userName(w.portalCore, ana)).toBe('Made while signed out');
  });

  it('slides its expiry forward while used, expires when idle, and ends when the user is deactivated', async () => {
    const w = await world();
    const tess = await w.account('tess.expiry@northwind.example');
    const c = w.newConsole();
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret) });
    await sync(c);
    const expiry = () => (w.portalCore.db.prepare("SELECT expires_at FROM sync_tokens WHERE user_id = ? AND kind = 'session'").get(tess.id) as { expires_at: string }).expires_at;
    const first = expiry();
    w.clock.advance(RENEW_AFTER_MS + 60_000);
    await sync(c);
    await expect.poll(() => expiry()).not.toBe(first);
    expect(Date.parse(expiry())).toBeGreaterThan(Date.parse(first));
    // Idle past the expiry: 401, signed out.
    w.clock.advance(SESSION_IDLE_MS + 60_000);
    expect(await sync(c)).toMatchObject({ state: 'signed_out' });
    // Signed in again, then deactivated on the Portal: signed out again.
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret) });
    expect(await sync(c)).toMatchObject({ state: 'online' });
    await must(w.portalCore, 'users.setStatus', { ids: [tess.id], status: 'deactivated' });
    expect(await sync(c)).toMatchObject({ state: 'signed_out' });
  });

  it('a console connected by token: a revoked token signs it out with its outbox kept; a new token of the same user resumes; another Portal is refused', async () => {
    const w = await world();
    const c = w.newConsole();
    await must(c, 'sync.connect', { url: w.portal.origin, token: w.seed.token });
    await sync(c);
    const { items } = await must<{ items: { id: string }[] }>(w.portalCore, 'sync.credentials', { userId: w.seed.techId });
    await must(w.portalCore, 'sync.revokeToken', { id: items[0]!.id });
    const ana = w.seed.users[0]!;
    await must(c, 'users.update', { id: ana, baseVersion: version(c, ana), changes: { name: 'Ana by token' } });
    expect(await sync(c)).toMatchObject({ state: 'signed_out', auth: 'token', pending: 1 });
    expect(await refusal(c.call('sync.connect', { url: 'http://127.0.0.1:9', token: 'odsync_x' }))).toMatchObject({ code: 'CONFLICT', key: 'sync.other_portal' });
    const fresh = await must<{ token: string }>(w.portalCore, 'sync.issueToken', { userId: w.seed.techId, label: 'new laptop token' });
    await must(c, 'sync.connect', { url: w.portal.origin, token: fresh.token });
    expect(await sync(c)).toMatchObject({ state: 'online', pending: 0 });
    expect(userName(w.portalCore, ana)).toBe('Ana by token');
  });

  it('Disconnect ends the session on the Portal', async () => {
    const w = await world();
    const tess = await w.account('tess.bye@northwind.example');
    const c = w.newConsole();
    await must(c, 'sync.signIn', { url: w.portal.origin, email: tess.email, password: PASSWORD, code: await w.nextCode(tess.secret) });
    await sync(c);
    await must(c, 'sync.disconnect', { discardPending: true });
    const { items } = await must<{ items: { active: boolean; revokedAt: string | null }[] }>(w.portalCore, 'sync.credentials', { userId: tess.id, includeEnded: true });
    expect(items).toMatchObject([{ active: false, revokedAt: expect.any(String) }]);
  });
});
