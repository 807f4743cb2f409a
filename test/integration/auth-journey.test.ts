import { afterEach, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import type { CoreClient } from '../../main/core/worker/core-client.ts';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { linkIn, startSmtp, type TestSmtp } from '../fixtures/auth/smtp.ts';
import { Browser, textOf } from '../fixtures/auth/browser.ts';

const OPERATOR = '00000000-0000-7000-8000-000000000002';
const PASSWORD = 'correct horse battery staple 7';

/** A clock the test moves: TOTP steps, link expiry, lock delays and mail backoff all read it. */
function testClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => { offset += ms; } };
}
const epoch = (clock: { now(): Date }) => Math.floor(clock.now().getTime() / 1000);
const codeAt = (secret: string, seconds: number) => generate({ secret, epoch: seconds });

let core: ReturnType<typeof testCore>;
let portal: Portal;
let smtp: TestSmtp;
let clock: ReturnType<typeof testClock>;

async function setup() {
  clock = testClock();
  core = testCore({ clock, mail: { pollMs: 50 } });
  const client: CoreClient = { call: (m, i) => core.call(m, i), subscribe: () => () => undefined, close: async () => undefined };
  portal = await startPortal({ core: client });
  smtp = await startSmtp();
  await ok(core, 'mail.settings.set', {
    host: '127.0.0.1', port: smtp.port, security: 'none', username: '', fromAddress: 'no-reply@orgdesk.example', fromName: 'Orgdesk',
    portalBaseUrl: portal.origin,
  });
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client_ } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso', language: 'es' }));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client_, name: 'Contoso Labs', language: 'es' }));
  await ok(core, 'branding.update', { orgId: client_, baseVersion: 0, palette: { primary: '#AA3300', secondary: '#102030', accent: '#12B886' } });
  return { partner, client: client_, sub };
}

const count = (table: string, where = '1') => (core.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

afterEach(async () => {
  await portal?.close();
  await smtp?.close();
  core?.dispose();
});

describe('email/password sign-in, end to end through SMTP and the Portal pages', () => {
  it('welcome email -> set password once -> enrol -> sign in with a code and with the recovery code; replays and wrong codes refused; lockout', async () => {
    const { sub } = await setup();
    const user = await ok(core, 'users.create', { orgId: sub, name: 'Ana Pereira', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });

    // The welcome email arrives, in the organization's language, with its colours and a one-time link.
    const mail = await smtp.next(0);
    expect(mail.subject).toBe('Cree su contraseña para Contoso Labs');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('ana@contoso.example');
    expect(mail.html).toContain('#AA3300');
    expect(mail.text).toContain('caduca en 72 horas');
    const link = linkIn(mail);
    expect(link.startsWith(`${portal.origin}/set-password?token=`)).toBe(true);
    await expect.poll(async () => (await ok(core, 'mail.outbox.list', {})).items).toMatchObject([{ to: 'ana@contoso.example', status: 'sent', attempts: 1, purpose: 'welcome' }]);
    // The database keeps only the link's hash, and the sent message no longer holds the link.
    const token = new URL(link).searchParams.get('token')!;
    expect(JSON.stringify(core.db.prepare('SELECT * FROM auth_login_links').all())).not.toContain(token);
    expect(JSON.stringify(core.db.prepare('SELECT * FROM mail_outbox').all())).not.toContain(token);

    const ana = new Browser(portal.origin);
    let page = await ana.get(link);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Cree su contraseña');
    expect(page.res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(page.res.headers.get('referrer-policy')).toBe('no-referrer');

    // The password policy, with the reasons a person reads.
    let post = await ana.post('/set-password', { token, password: 'short', again: 'short' }, page.html);
    expect(post.status).toBe(400);
    expect(textOf(post.html)).toContain('Use al menos 12 caracteres.');
    post = await ana.post('/set-password', { token, password: 'Password1234', again: 'Password1234' }, page.html);
    expect(textOf(post.html)).toContain('es de las más comunes');
    post = await ana.post('/set-password', { token, password: 'ana@contoso.example', again: 'ana@contoso.example' }, page.html);
    expect(textOf(post.html)).toContain('No use su dirección de correo');
    post = await ana.post('/set-password', { token, password: PASSWORD, again: `${PASSWORD}x` }, page.html);
    expect(textOf(post.html)).toContain('no coinciden');
    // A form without its CSRF token is refused.
    post = await ana.post('/set-password', { token, password: PASSWORD, again: PASSWORD, _csrf: 'forged' });
    expect(post.status).toBe(403);

    // The right password: straight to enrolment.
    page = await ana.post('/set-password', { token, password: PASSWORD, again: PASSWORD }, page.html);
    expect(page.url).toBe(`${portal.origin}/enrol`);
    expect(page.html).toMatch(/<svg[^>]*>[\s\S]*<path/);
    const session = ana.setCookieHeaders.find((h) => h.startsWith('od_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/); // plain HTTP on loopback; Secure when the socket is TLS
    const secret = /<code id="secret">([A-Z2-7]+)<\/code>/.exec(page.html)![1]!;

    // The link works once.
    const again = await new Browser(portal.origin).get(link);
    expect(again.status).toBe(409);
    // A dead link reveals nothing of its organization: the page speaks the browser's language (none sent here: English).
    expect(textOf(again.html)).toContain('This link was already used.');

    // Enrolment: a wrong code is refused with a clear message, the right one shows the recovery code once.
    post = await ana.post('/enrol', { code: '000000' === (await codeAt(secret, epoch(clock))) ? '111111' : '000000' }, page.html);
    expect(post.status).toBe(400);
    expect(textOf(post.html)).toContain('Ese código no es correcto');
    const enrolCode = await codeAt(secret, epoch(clock));
    page = await ana.post('/enrol', { code: enrolCode }, post.html);
    expect(textOf(page.html)).toContain('Su código de recuperación');
    const recovery = /id="recovery-code">([A-Z0-9-]+)</.exec(page.html)![1]!;
    expect(recovery).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    page = await ana.get('/profile');
    expect(textOf(page.html)).toContain('Aplicación de autenticación');
    expect(textOf(page.html)).toContain('Código de recuperación');
    expect(JSON.stringify(core.db.prepare('SELECT * FROM auth_recovery_codes').all())).not.toContain(recovery);

    // Sign out, sign in again: password, then the code. The code already used at enrolment is refused.
    page = await ana.post('/sign-out', {}, page.html);
    expect(page.url).toBe(`${portal.origin}/sign-in?out=1`);
    expect(textOf(page.html)).toContain('You are signed out.');
    expect(ana.cookies.has('od_session')).toBe(false);
    expect((await ana.get('/profile')).url).toBe(`${portal.origin}/sign-in`);
    page = await ana.get('/sign-in');
    page = await ana.post('/sign-in', { email: 'ANA@contoso.example', password: PASSWORD }, page.html);
    expect(page.url).toBe(`${portal.origin}/verify`);
    post = await ana.post('/verify', { code: enrolCode }, page.html);
    expect(textOf(post.html)).toContain('Ese código ya se usó');
    clock.advance(30_000);
    page = await ana.post('/verify', { code: await codeAt(secret, epoch(clock)) }, post.html);
    expect(page.url).toBe(`${portal.origin}/profile`);
    expect(textOf(page.html)).toContain('127.0.0.1');

    // Sign in with the recovery code: it is replaced by a new one, shown once; the old one no longer works.
    await ana.post('/sign-out', {}, page.html);
    page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    page = await ana.post('/verify', { code: recovery.toLowerCase() }, page.html);
    expect(textOf(page.html)).toContain('ya no sirve');
    const recovery2 = /id="recovery-code">([A-Z0-9-]+)</.exec(page.html)![1]!;
    expect(recovery2).not.toBe(recovery);
    page = await ana.get('/profile');
    await ana.post('/sign-out', {}, page.html);
    page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    post = await ana.post('/verify', { code: recovery }, page.html);
    expect(textOf(post.html)).toContain('Ese código no es correcto');
    clock.advance(30_000);
    page = await ana.post('/verify', { code: await codeAt(secret, epoch(clock)) }, post.html);
    expect(page.url).toBe(`${portal.origin}/profile`);

    // Every sign-in is recorded with its method, time and IP; the console's card shows them.
    const detail = await ok(core, 'users.authDetail', { id: user.id });
    expect(detail).toMatchObject({ emailLoginEnabled: true, password: { set: true }, loginCount: 4, lastIp: '127.0.0.1',
      twoFactor: { status: 'enrolled' }, failedAttempts: 0, lockedUntil: null, pendingLink: null });
    expect(detail.recentSignIns.filter((s) => s.success).map((s) => s.method)).toEqual(['totp', 'recovery', 'totp', 'totp']);
    expect(detail.recentSignIns.some((s) => !s.success && s.reason === 'code already used')).toBe(true);

    // Five wrong passwords lock the account; even the right password is refused until the delay passes.
    await ana.post('/sign-out', {}, page.html);
    const visitor = new Browser(portal.origin);
    page = await visitor.get('/sign-in');
    for (let i = 0; i < 5; i++) {
      post = await visitor.post('/sign-in', { email: 'ana@contoso.example', password: `wrong password ${i}!` }, page.html);
      expect(post.status).toBe(401);
      expect(textOf(post.html)).toContain('The email address or the password is not correct.');
    }
    post = await visitor.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, page.html);
    expect(post.status).toBe(403);
    expect(textOf(post.html)).toContain('Too many failed attempts. For your security, try again in 1 minutes.');
    clock.advance(61_000);
    // The delay grows: one more failure after the lock locks it for 2 minutes.
    expect((await visitor.post('/sign-in', { email: 'ana@contoso.example', password: 'still the wrong one' }, page.html)).status).toBe(401);
    post = await visitor.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, page.html);
    expect(textOf(post.html)).toContain('try again in 2 minutes');
    clock.advance(121_000);
    page = await visitor.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, page.html);
    expect(page.url).toBe(`${portal.origin}/verify`);

    // Secrets never reach changes or audit.
    const logged = JSON.stringify([core.db.prepare('SELECT fields FROM changes').all(), core.db.prepare('SELECT before, after FROM audit').all()]);
    expect(logged).not.toContain('scrypt$');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(token);
    expect(logged).toContain('[redacted]');
  });

  it('switching email/password off at the main organization deletes every credential of its tree; on again restores none', async () => {
    const { client, sub } = await setup();
    const a = await ok(core, 'users.create', { orgId: sub, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const b = await ok(core, 'users.create', { orgId: client, name: 'Bo', email: 'bo@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const mailA = await smtp.next(0);
    await smtp.next(1);
    // Ana sets a password and enrols; Bo's link stays pending.
    const set = await ok(core, 'portal.setPassword', { token: new URL(linkIn(mailA)).searchParams.get('token'), password: PASSWORD, ip: '10.0.0.1' });
    const enrol = await ok(core, 'portal.enrolStart', { sessionToken: set.sessionToken });
    await ok(core, 'portal.enrolFinish', { sessionToken: set.sessionToken, code: await codeAt(enrol.secret, epoch(clock)), ip: '10.0.0.1' });
    const userIds = `user_id IN ('${a.id}','${b.id}')`;
    expect([count('auth_credentials', userIds), count('auth_totp', userIds), count('auth_recovery_codes', userIds),
      count('auth_login_links', userIds), count('auth_sessions', userIds)]).toEqual([1, 1, 1, 2, 1]);

    // A sub-organization shows the setting read-only and cannot change it.
    expect(await ok(core, 'auth.orgSettings', { orgId: sub })).toMatchObject({ inherited: true, mainOrgName: 'Contoso', emailPasswordEnabled: true,
      users: { emailLogin: 2, withPassword: 1, withTwoFactor: 1 } });
    const refused = await fails(core, 'auth.setEmailPassword', { orgId: sub, enabled: false, confirm: 'Contoso Labs' });
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'Email/password sign-in is set on Contoso and inherited here. Change it there.' });
    const badConfirm = await fails(core, 'auth.setEmailPassword', { orgId: client, enabled: false, confirm: 'contoso' });
    expect(badConfirm.fields?.confirm?.[0]?.key).toBe('auth.confirm_mismatch');
    expect(count('auth_credentials', userIds)).toBe(1);

    const off = await ok(core, 'auth.setEmailPassword', { orgId: client, enabled: false, confirm: 'Contoso' });
    expect(off).toMatchObject({ emailPasswordEnabled: false, removed: { passwords: 1, authenticators: 1, recoveryCodes: 1, links: 2, sessions: 1, usersSwitchedOff: 2 } });
    for (const table of ['auth_credentials', 'auth_totp', 'auth_recovery_codes', 'auth_login_links', 'auth_sessions']) {
      expect(count(table, userIds), table).toBe(0);
    }
    expect((await ok(core, 'users.get', { id: a.id })).emailLoginEnabled).toBe(false);
    expect(await fails(core, 'portal.signIn', { email: 'ana@contoso.example', password: PASSWORD })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await fails(core, 'users.setEmailLogin', { ids: [a.id], enabled: true })).toMatchObject({ key: 'user.email_login_off' });

    // On again: nothing comes back; switching a user on sends a new welcome email.
    await ok(core, 'auth.setEmailPassword', { orgId: client, enabled: true });
    expect(count('auth_credentials', userIds) + count('auth_totp', userIds) + count('auth_recovery_codes', userIds)).toBe(0);
    await ok(core, 'users.setEmailLogin', { ids: [a.id], enabled: true });
    expect((await smtp.next(2)).subject).toBe('Cree su contraseña para Contoso Labs');
    expect(await fails(core, 'portal.signIn', { email: 'ana@contoso.example', password: PASSWORD })).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('links expire (72 h welcome, 1 h reset), a newer link replaces the older, resend only for users with email login', async () => {
    const { sub } = await setup();
    const a = await ok(core, 'users.create', { orgId: sub, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const c = await ok(core, 'users.create', { orgId: sub, name: 'Cy', email: 'cy@contoso.example', roleId: OPERATOR, emailLoginEnabled: false });
    const first = new URL(linkIn(await smtp.next(0))).searchParams.get('token')!;
    clock.advance(71 * 3_600_000);
    expect((await ok(core, 'portal.link', { token: first })).purpose).toBe('welcome');
    clock.advance(2 * 3_600_000);
    expect(await fails(core, 'portal.link', { token: first })).toMatchObject({ key: 'auth.link_expired', message: 'This link has expired. Ask your administrator to send you a new one.' });

    // Resend: a new welcome (no password yet); the older link stops working at once.
    expect(await ok(core, 'users.resendReset', { ids: [a.id, c.id] })).toEqual({ queued: 1, skipped: 1 });
    expect(await fails(core, 'users.resendReset', { ids: [c.id] })).toMatchObject({ key: 'auth.user_email_login_off' });
    const second = new URL(linkIn(await smtp.next(1))).searchParams.get('token')!;
    const third = await ok(core, 'users.resendReset', { ids: [a.id] });
    expect(third.queued).toBe(1);
    const thirdToken = new URL(linkIn(await smtp.next(2))).searchParams.get('token')!;
    expect(await fails(core, 'portal.link', { token: second })).toMatchObject({ key: 'auth.link_invalid' });
    const set = await ok(core, 'portal.setPassword', { token: thirdToken, password: PASSWORD });
    expect(set.next).toBe('enrol');
    expect(await fails(core, 'portal.setPassword', { token: thirdToken, password: PASSWORD })).toMatchObject({ key: 'auth.link_used' });

    // With a password, the resend is a reset link (1 hour).
    await ok(core, 'users.resendReset', { ids: [a.id] });
    const reset = await smtp.next(3);
    expect(reset.subject).toBe('Elija una contraseña nueva para Contoso Labs');
    const resetToken = new URL(linkIn(reset)).searchParams.get('token')!;
    expect((await ok(core, 'users.authDetail', { id: a.id })).pendingLink).toMatchObject({ purpose: 'reset' });
    clock.advance(3_600_000 + 1000);
    expect(await fails(core, 'portal.setPassword', { token: resetToken, password: 'another long passphrase 9' })).toMatchObject({ key: 'auth.link_expired' });
  });

  it('admin reset of two-factor sends the user back to enrolment', async () => {
    const { sub } = await setup();
    const a = await ok(core, 'users.create', { orgId: sub, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const set = await ok(core, 'portal.setPassword', { token: new URL(linkIn(await smtp.next(0))).searchParams.get('token'), password: PASSWORD });
    const enrol = await ok(core, 'portal.enrolStart', { sessionToken: set.sessionToken });
    const done = await ok(core, 'portal.enrolFinish', { sessionToken: set.sessionToken, code: await codeAt(enrol.secret, epoch(clock)) });
    // The half-way session was replaced by a full one.
    expect(await fails(core, 'portal.session', { sessionToken: set.sessionToken })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await ok(core, 'portal.session', { sessionToken: done.sessionToken })).stage).toBe('full');
    expect(await ok(core, 'users.resetTwoFactor', { ids: [a.id] })).toEqual({ reset: 1 });
    expect(await fails(core, 'portal.session', { sessionToken: done.sessionToken })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await ok(core, 'users.authDetail', { id: a.id })).twoFactor.status).toBe('none');
    expect((await ok(core, 'portal.signIn', { email: 'ana@contoso.example', password: PASSWORD })).next).toBe('enrol');
  });

  it('a user who lost the authenticator signs in with a code by email, once the administrator allows it', async () => {
    const { sub } = await setup();
    const a = await ok(core, 'users.create', { orgId: sub, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const set = await ok(core, 'portal.setPassword', { token: new URL(linkIn(await smtp.next(0))).searchParams.get('token'), password: PASSWORD });
    const enrol = await ok(core, 'portal.enrolStart', { sessionToken: set.sessionToken });
    await ok(core, 'portal.enrolFinish', { sessionToken: set.sessionToken, code: await codeAt(enrol.secret, epoch(clock)) });
    const seen = smtp.messages.length;

    // Not allowed yet: no button on the page, and asking anyway is refused.
    const ana = new Browser(portal.origin);
    let page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    expect(page.url).toBe(`${portal.origin}/verify`);
    expect(page.html).not.toContain('action="/verify/email"');
    const refused = await ana.post('/verify/email', {}, page.html);
    expect(textOf(refused.html)).toContain('no está habilitado para su cuenta');

    // The administrator allows it (audited); the page now offers it and the code arrives by email.
    expect(await ok(core, 'users.setEmailCode', { ids: [a.id], enabled: true })).toEqual({ changed: 1 });
    expect((await ok(core, 'users.authDetail', { id: a.id })).emailCodeEnabled).toBe(true);
    page = await ana.get('/verify');
    expect(page.html).toContain('action="/verify/email"');
    page = await ana.post('/verify/email', {}, page.html);
    expect(textOf(page.html)).toContain('a•••@contoso.example');
    const mail = await smtp.next(seen);
    expect(mail.subject).toContain('Contoso Labs');
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
    // The code never reaches the log: only its hash, redacted.
    expect(JSON.stringify(core.db.prepare('SELECT fields FROM changes').all())).not.toContain(code);

    // A wrong code counts as a failure; the right one signs in, once.
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    page = await ana.post('/verify', { code: wrong }, page.html);
    expect(textOf(page.html)).toContain('Ese código no es correcto');
    page = await ana.post('/verify', { code }, page.html);
    expect(page.url).toBe(`${portal.origin}/profile`);
    expect(textOf(page.html)).toContain('Código por correo');
    const signIns = await ok(core, 'users.authDetail', { id: a.id });
    expect(signIns.recentSignIns[0]).toMatchObject({ method: 'email', success: true });

    // Used once: the same code does not work again.
    await ana.post('/sign-out', {}, page.html);
    page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    page = await ana.post('/verify', { code }, page.html);
    expect(page.url).toBe(`${portal.origin}/verify`);

    // An expired code is refused as such.
    await ana.post('/verify/email', {}, page.html);
    const code2 = /\b(\d{6})\b/.exec((await smtp.next(seen + 1)).text ?? '')![1]!;
    clock.advance(11 * 60_000);
    page = await ana.post('/verify', { code: code2 }, (await ana.get('/verify')).html);
    expect(page.url).toBe(`${portal.origin}/verify`);
    expect(textOf(page.html)).toContain('Ese código ha caducado');
  });

  it('from the profile, users send themselves a reset link and reset their own two-factor', async () => {
    const { sub } = await setup();
    await ok(core, 'users.create', { orgId: sub, name: 'Ana', email: 'ana@contoso.example', roleId: OPERATOR, emailLoginEnabled: true });
    const set = await ok(core, 'portal.setPassword', { token: new URL(linkIn(await smtp.next(0))).searchParams.get('token'), password: PASSWORD });
    const enrol = await ok(core, 'portal.enrolStart', { sessionToken: set.sessionToken });
    await ok(core, 'portal.enrolFinish', { sessionToken: set.sessionToken, code: await codeAt(enrol.secret, epoch(clock)) });

    const ana = new Browser(portal.origin);
    let page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    clock.advance(30_000);
    page = await ana.post('/verify', { code: await codeAt(enrol.secret, epoch(clock)) }, page.html);
    expect(page.url).toBe(`${portal.origin}/profile`);

    // A reset link by email, from the profile.
    const seen = smtp.messages.length;
    page = await ana.post('/profile/reset-password', {}, page.html);
    expect(textOf(page.html)).toContain('a•••@contoso.example');
    const reset = await smtp.next(seen);
    expect(linkIn(reset)).toContain('/set-password?token=');

    // Resetting their own two-factor signs them out; the next sign-in asks for enrolment.
    page = await ana.post('/profile/reset-two-factor', {}, page.html);
    expect(page.url).toBe(`${portal.origin}/sign-in?two-factor-reset=1`);
    expect(textOf(page.html)).toContain('Your authenticator was removed'); // signed out: no organization to speak its language
    expect((await ana.get('/profile')).url).toBe(`${portal.origin}/sign-in`);
    page = await ana.post('/sign-in', { email: 'ana@contoso.example', password: PASSWORD }, (await ana.get('/sign-in')).html);
    expect(page.url).toBe(`${portal.origin}/enrol`);
  });
});
