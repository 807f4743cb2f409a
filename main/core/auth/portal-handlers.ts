/**
 * The end user's side of sign-in, called by the Portal's pages (main/portal/pages) through the core:
 * set a password from a one-time link, sign in with email and password, enrol an authenticator app,
 * verify a code or the recovery code, the profile, sign out.
 *
 * Rules kept here, so they hold whatever calls them:
 * - five failed attempts in a row (password or second factor) lock the account for 1 minute, then
 *   each further failure doubles the lock (2, 4, 8 ... minutes, at most a day); a success resets it;
 * - a TOTP code is accepted for the current step ±1, never for a step already used by this user;
 * - every secret comparison is constant-time (sameSecret, timingSafeEqual, otplib's compare);
 * - sessions, links and recovery codes are stored as SHA-256 hashes; a session is replaced by a new
 *   one when it gains the second factor;
 * - every sign-in, successful or not, is recorded with its method, time and IP.
 */
import { randomInt } from 'node:crypto';
import { newId as uuidv7 } from '../ids.ts';
import QRCode from 'qrcode';
import { EMAIL_CODE_TTL_MINUTES } from '../../../shared/model/auth.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { codeMail } from '../mail/templates.ts';
import type { CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { AppError, fieldError } from '../errors.ts';
import { passwordProblem } from '../../../shared/rules/password-policy.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import {
  hashPassword, looksLikeRecoveryCode, newRecoveryCode, normalizeRecoveryCode, randomToken, sameSecret, sha256, verifyPassword,
} from './secrets.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.ts';
import { createAuthStore, userActor, type AuthUser, type SessionRow } from './store.ts';
import { sendLinks } from './links.ts';

/** "ana.souza@contoso.example" -> "a•••@contoso.example": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '•••' : `${email[0]}•••${email.slice(at)}`;
}

export const LOCK_AFTER_FAILURES = 5;
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 24 * 3_600_000;
/** A session that has the password but not yet the second factor lives 15 minutes; a full one 8 hours. */
const SESSION_TTL_MS = { password: 15 * 60_000, full: 8 * 3_600_000 } as const;

export function lockDurationMs(failures: number): number {
  if (failures < LOCK_AFTER_FAILURES) return 0;
  return Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** (failures - LOCK_AFTER_FAILURES));
}

type Method = 'password' | 'totp' | 'recovery' | 'email';

export function createPortalHandlers(deps: CoreDeps) {
  const { mutations } = deps;
  const store = createAuthStore(deps.db);
  const now = () => deps.clock.now();
  const iso = () => now().toISOString();

  const invalidSession = () => new AppError('UNAUTHORIZED', 'auth.session_invalid');

  /** The session behind a token, its user still allowed to sign in; else UNAUTHORIZED. */
  function session(token: string): { s: SessionRow; u: AuthUser } {
    const hash = sha256(token);
    const s = store.sessionByHash(hash);
    if (!s || !sameSecret(s.token_hash, hash) || s.expires_at <= iso()) throw invalidSession();
    const u = store.user(s.user_id);
    if (!u || !store.canUseEmailLogin(u)) throw invalidSession();
    return { s, u };
  }

  function twoFactorOf(userId: string): 'none' | 'pending' | 'enrolled' {
    const t = store.totp(userId);
    return !t ? 'none' : t.enrolled_at ? 'enrolled' : 'pending';
  }

  /** Refuse while the account is locked, saying for how long. */
  function assertNotLocked(u: AuthUser, method: Method, ip: string) {
    const cred = store.credential(u.id);
    if (cred?.locked_until && cred.locked_until > iso()) {
      const minutes = Math.max(1, Math.ceil((Date.parse(cred.locked_until) - now().getTime()) / 60_000));
      mutations.run('auth.signInRefused', userActor(u), (w) => recordSignIn(w, u, method, ip, false, 'locked'));
      throw new AppError('FORBIDDEN', 'auth.locked', { minutes });
    }
  }

  function recordSignIn(w: Writer, u: AuthUser, method: Method, ip: string, success: boolean, reason: string | null) {
    w.create('signIn', uuidv7(), { userId: u.id, orgId: u.org_id, method, at: w.ctx.at, ip, success, reason });
  }

  /** A failed attempt: counted (and the account locked at five), recorded, committed; then the error. */
  function fail(u: AuthUser, method: Method, ip: string, reason: string, error: AppError): never {
    mutations.run('auth.signInFailed', userActor(u), (w) => {
      const cred = store.credential(u.id);
      if (cred) {
        const failures = cred.failed_attempts + 1;
        const lock = lockDurationMs(failures);
        w.update('credential', u.id, {
          orgId: u.org_id, failedAttempts: failures,
          lockedUntil: lock > 0 ? new Date(now().getTime() + lock).toISOString() : cred.locked_until,
        });
      }
      recordSignIn(w, u, method, ip, false, reason);
    });
    throw error;
  }

  function createSession(w: Writer, u: AuthUser, stage: 'password' | 'full', ip: string): string {
    const token = randomToken();
    w.create('session', uuidv7(), {
      userId: u.id, orgId: u.org_id, tokenHash: sha256(token), stage, ip,
      expiresAt: new Date(now().getTime() + SESSION_TTL_MS[stage]).toISOString(),
    });
    return token;
  }

  /** The second factor passed: reset the failure count, record the sign-in, swap the session for a full one. */
  function completeSignIn(w: Writer, u: AuthUser, old: SessionRow, method: Method, ip: string): string {
    const cred = store.credential(u.id);
    if (cred && (cred.failed_attempts !== 0 || cred.locked_until !== null)) {
      w.update('credential', u.id, { orgId: u.org_id, failedAttempts: 0, lockedUntil: null });
    }
    recordSignIn(w, u, method, ip, true, null);
    w.update('user', u.id, { lastLoginAt: w.ctx.at });
    w.delete('session', old.id);
    return createSession(w, u, 'full', ip);
  }

  function replaceRecoveryCode(w: Writer, u: AuthUser): string {
    const code = newRecoveryCode();
    if (store.recovery(u.id)) w.delete('recoveryCode', u.id);
    w.create('recoveryCode', u.id, { orgId: u.org_id, codeHash: sha256(normalizeRecoveryCode(code)), usedAt: null });
    return code;
  }

  /** The link behind a token, still usable; else the reason it is not. */
  function usableLink(token: string) {
    const hash = sha256(token);
    const link = store.linkByHash(hash);
    if (!link || !sameSecret(link.token_hash, hash)) throw new AppError('NOT_FOUND', 'auth.link_invalid');
    if (link.used_at) throw new AppError('CONFLICT', 'auth.link_used');
    if (link.expires_at <= iso()) throw new AppError('FORBIDDEN', 'auth.link_expired');
    const u = store.user(link.user_id);
    if (!u || !store.canUseEmailLogin(u)) throw new AppError('NOT_FOUND', 'auth.link_invalid');
    return { link, u };
  }

  const nextStep = (userId: string) => (twoFactorOf(userId) === 'enrolled' ? 'verify' : 'enrol');

  return {
    'portal.link': (input: ParsedIn<'portal.link'>): Out<'portal.link'> => {
      const { link, u } = usableLink(input.token);
      return { purpose: link.purpose, email: u.email, name: u.name, org: store.orgLook(u) };
    },

    'portal.setPassword': async (input: ParsedIn<'portal.setPassword'>): Promise<Out<'portal.setPassword'>> => {
      const { link, u } = usableLink(input.token);
      const problem = passwordProblem(input.password, u.email, COMMON_PASSWORDS);
      if (problem) throw fieldError('password', problem);
      const hash = await hashPassword(input.password);
      // The writer is held across the hash (a mutation method): the link cannot be used twice meanwhile.
      let sessionToken = '';
      mutations.run('auth.setPassword', userActor(u), (w) => {
        const values = { orgId: u.org_id, passwordHash: hash, passwordChangedAt: w.ctx.at, failedAttempts: 0, lockedUntil: null };
        if (store.credential(u.id)) w.update('credential', u.id, values);
        else w.create('credential', u.id, values);
        w.update('loginLink', link.id, { usedAt: w.ctx.at });
        // A new password ends every session of the old one.
        for (const sid of store.sessionsOfUser(u.id)) w.delete('session', sid);
        sessionToken = createSession(w, u, 'password', input.ip);
      });
      return { sessionToken, next: nextStep(u.id) };
    },

    'portal.signIn': async (input: ParsedIn<'portal.signIn'>): Promise<Out<'portal.signIn'>> => {
      const candidates = store.usersByEmail(input.email).filter((u) => store.canUseEmailLogin(u));
      const refuse = () => new AppError('UNAUTHORIZED', 'auth.sign_in_failed');
      if (candidates.length === 0) {
        await verifyPassword(input.password, null); // the same time as a real check: no hint that the email is unknown
        throw refuse();
      }
      // Emails are unique within a main organization's tree; the same person may exist in two.
      for (const u of candidates) assertNotLocked(u, 'password', input.ip);
      let match: AuthUser | undefined;
      for (const u of candidates) {
        if (await verifyPassword(input.password, store.credential(u.id)?.password_hash ?? null)) {
          match ??= u;
        }
      }
      if (!match) {
        const first = candidates[0]!;
        fail(first, 'password', input.ip, 'wrong password', refuse());
      }
      const u = match;
      let sessionToken = '';
      mutations.run('auth.passwordAccepted', userActor(u), (w) => {
        sessionToken = createSession(w, u, 'password', input.ip);
      });
      return { sessionToken, next: nextStep(u.id) };
    },

    'portal.session': (input: ParsedIn<'portal.session'>): Out<'portal.session'> => {
      const { s, u } = session(input.sessionToken);
      return { user: { name: u.name, email: u.email }, org: store.orgLook(u), stage: s.stage, twoFactor: twoFactorOf(u.id), emailCode: u.email_code_enabled === 1 };
    },

    'portal.enrolStart': async (input: ParsedIn<'portal.enrolStart'>): Promise<Out<'portal.enrolStart'>> => {
      const { u } = session(input.sessionToken);
      let totp = store.totp(u.id);
      if (totp?.enrolled_at) throw new AppError('CONFLICT', 'auth.enrol_first');
      if (!totp) {
        const secret = newTotpSecret();
        mutations.run('auth.enrolStart', userActor(u), (w) => {
          w.create('totp', u.id, { orgId: u.org_id, secret, enrolledAt: null, lastUsedStep: null, lastUsedAt: null });
        });
        totp = store.totp(u.id)!;
      }
      const look = store.orgLook(u);
      const uri = otpauthUri(totp.secret, look.name, u.email);
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
      return { secret: totp.secret, otpauthUri: uri, qrSvg };
    },

    'portal.enrolFinish': async (input: ParsedIn<'portal.enrolFinish'>): Promise<Out<'portal.enrolFinish'>> => {
      const { s, u } = session(input.sessionToken);
      const totp = store.totp(u.id);
      if (!totp || totp.enrolled_at) throw new AppError('CONFLICT', 'auth.enrol_first');
      assertNotLocked(u, 'totp', input.ip);
      const step = await verifyTotp(totp.secret, input.code.replace(/\s/g, ''), Math.floor(now().getTime() / 1000), null);
      if (step === null) fail(u, 'totp', input.ip, 'wrong code', fieldError('code', 'auth.code_wrong'));
      let recoveryCode = '';
      let sessionToken = '';
      mutations.run('auth.enrolFinish', userActor(u), (w) => {
        w.update('totp', u.id, { orgId: u.org_id, enrolledAt: w.ctx.at, lastUsedStep: step, lastUsedAt: w.ctx.at });
        recoveryCode = replaceRecoveryCode(w, u);
        sessionToken = completeSignIn(w, u, s, 'totp', input.ip);
      });
      return { recoveryCode, sessionToken };
    },

    'portal.sendEmailCode': (input: ParsedIn<'portal.sendEmailCode'>): Out<'portal.sendEmailCode'> => {
      const { u } = session(input.sessionToken);
      if (u.email_code_enabled !== 1) throw new AppError('FORBIDDEN', 'auth.email_code_off');
      assertNotLocked(u, 'email', input.ip);
      // A new code replaces the previous one; six digits, ten minutes, stored as a hash.
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const look = store.orgLook(u);
      mutations.run('auth.sendEmailCode', userActor(u), (w) => {
        if (store.emailCode(u.id)) w.delete('emailCode', u.id);
        w.create('emailCode', u.id, {
          orgId: u.org_id, codeHash: sha256(`${u.id}:${code}`),
          expiresAt: new Date(now().getTime() + EMAIL_CODE_TTL_MINUTES * 60_000).toISOString(),
        });
        enqueueMail(w, {
          orgId: u.org_id, userId: u.id, purpose: 'code', to: u.email,
          content: codeMail({ language: look.language, palette: look.palette, orgName: look.name, userName: u.name, code, minutes: EMAIL_CODE_TTL_MINUTES }),
        });
      });
      deps.mail.kick();
      return { sentTo: maskEmail(u.email) };
    },

    'portal.verify': async (input: ParsedIn<'portal.verify'>): Promise<Out<'portal.verify'>> => {
      const { s, u } = session(input.sessionToken);
      const code = input.code.replace(/\s/g, '');
      // A code sent by email (when one is pending) is checked before the authenticator's.
      const emailed = u.email_code_enabled === 1 && /^\d{6}$/.test(code) ? store.emailCode(u.id) : undefined;
      if (emailed) {
        assertNotLocked(u, 'email', input.ip);
        if (sameSecret(emailed.code_hash, sha256(`${u.id}:${code}`))) {
          if (emailed.expires_at <= iso()) fail(u, 'email', input.ip, 'code expired', fieldError('code', 'auth.code_expired'));
          let sessionToken = '';
          mutations.run('auth.verifyEmailCode', userActor(u), (w) => {
            w.delete('emailCode', u.id); // single use
            sessionToken = completeSignIn(w, u, s, 'email', input.ip);
          });
          return { method: 'email', newRecoveryCode: null, sessionToken };
        }
        // Not the emailed code: it may still be the authenticator's.
        if (!store.totp(u.id)?.enrolled_at) fail(u, 'email', input.ip, 'wrong code', fieldError('code', 'auth.code_wrong'));
      }
      const totp = store.totp(u.id);
      if (!totp?.enrolled_at) throw new AppError('CONFLICT', 'auth.enrol_first');
      if (/^\d{6}$/.test(code)) {
        assertNotLocked(u, 'totp', input.ip);
        const epoch = Math.floor(now().getTime() / 1000);
        const step = await verifyTotp(totp.secret, code, epoch, totp.last_used_step);
        if (step === null) {
          const replay = totp.last_used_step !== null && (await verifyTotp(totp.secret, code, epoch, null)) !== null;
          fail(u, 'totp', input.ip, replay ? 'code already used' : 'wrong code',
            fieldError('code', replay ? 'auth.code_reused' : 'auth.code_wrong'));
        }
        let sessionToken = '';
        mutations.run('auth.verify', userActor(u), (w) => {
          w.update('totp', u.id, { orgId: u.org_id, lastUsedStep: step, lastUsedAt: w.ctx.at });
          sessionToken = completeSignIn(w, u, s, 'totp', input.ip);
        });
        return { method: 'totp', newRecoveryCode: null, sessionToken };
      }
      assertNotLocked(u, 'recovery', input.ip);
      const recovery = store.recovery(u.id);
      const typed = sha256(normalizeRecoveryCode(code));
      const right = looksLikeRecoveryCode(code) && recovery !== undefined && recovery.used_at === null
        && sameSecret(recovery.code_hash, typed);
      if (!right) fail(u, 'recovery', input.ip, 'wrong recovery code', fieldError('code', 'auth.code_wrong'));
      // A recovery code works once: it is replaced at once, and the new one is shown once.
      let newRecoveryCode = '';
      let sessionToken = '';
      mutations.run('auth.verifyRecovery', userActor(u), (w) => {
        newRecoveryCode = replaceRecoveryCode(w, u);
        sessionToken = completeSignIn(w, u, s, 'recovery', input.ip);
      });
      return { method: 'recovery', newRecoveryCode, sessionToken };
    },

    'portal.profile': (input: ParsedIn<'portal.profile'>): Out<'portal.profile'> => {
      const { s, u } = session(input.sessionToken);
      if (s.stage !== 'full') throw invalidSession();
      const cred = store.credential(u.id);
      const totp = store.totp(u.id);
      const recovery = store.recovery(u.id);
      const last = store.lastSuccess(u.id);
      const methods: Out<'portal.profile'>['methods'] = [];
      if (cred?.password_hash) methods.push({ method: 'password', addedAt: cred.created_at, lastUsedAt: last?.at ?? null });
      if (totp?.enrolled_at) methods.push({ method: 'totp', addedAt: totp.enrolled_at, lastUsedAt: totp.last_used_at });
      if (recovery) methods.push({ method: 'recovery', addedAt: recovery.created_at, lastUsedAt: store.lastSuccessBy(u.id, 'recovery') });
      if (u.email_code_enabled === 1) methods.push({ method: 'email', addedAt: null, lastUsedAt: store.lastSuccessBy(u.id, 'email') });
      return {
        user: { name: u.name, email: u.email }, org: store.orgLook(u), methods,
        passwordChangedAt: cred?.password_changed_at ?? null, lastLoginAt: u.last_login_at, lastIp: last?.ip ?? null,
      };
    },

    'portal.regenerateRecovery': (input: ParsedIn<'portal.regenerateRecovery'>): Out<'portal.regenerateRecovery'> => {
      const { s, u } = session(input.sessionToken);
      if (s.stage !== 'full') throw invalidSession();
      let recoveryCode = '';
      mutations.run('auth.regenerateRecovery', userActor(u), (w) => {
        recoveryCode = replaceRecoveryCode(w, u);
      });
      return { recoveryCode };
    },

    'portal.resetOwnTwoFactor': (input: ParsedIn<'portal.resetOwnTwoFactor'>): Out<'portal.resetOwnTwoFactor'> => {
      const { s, u } = session(input.sessionToken);
      if (s.stage !== 'full') throw invalidSession();
      // Every session was granted by the old authenticator, this one included: all end.
      mutations.run('auth.resetOwnTwoFactor', userActor(u), (w) => {
        if (store.totp(u.id)) w.delete('totp', u.id);
        if (store.recovery(u.id)) w.delete('recoveryCode', u.id);
        for (const sid of store.sessionsOfUser(u.id)) w.delete('session', sid);
      });
      return { ok: true };
    },

    'portal.sendOwnReset': (input: ParsedIn<'portal.sendOwnReset'>): Out<'portal.sendOwnReset'> => {
      const { s, u } = session(input.sessionToken);
      if (s.stage !== 'full') throw invalidSession();
      sendLinks(deps, userActor(u), [u.id], 'auth.sendOwnReset');
      return { sentTo: maskEmail(u.email) };
    },

    'portal.signOut': (input: ParsedIn<'portal.signOut'>): Out<'portal.signOut'> => {
      const hash = sha256(input.sessionToken);
      const s = store.sessionByHash(hash);
      const u = s ? store.user(s.user_id) : undefined;
      if (s && u && sameSecret(s.token_hash, hash)) {
        mutations.run('auth.signOut', userActor(u), (w) => w.delete('session', s.id));
      }
      return { ok: true };
    },
  };
}
