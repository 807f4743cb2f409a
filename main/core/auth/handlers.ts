/**
 * The console's side of sign-in: the organization's email/password switch, per-user actions
 * (resend a link, reset two-factor) and the user card's detail.
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { OrgAuthSettings } from '../../../shared/model/auth.ts';
import { AppError, fieldError } from '../errors.ts';
import type { LongOp } from '../mutations/long-mutation.ts';
import { writeOps } from '../mutations/write-ops.ts';
import { createAuthStore } from './store.ts';
import { sendLinks } from './links.ts';

/** Above this many writes, one action runs as a long mutation (as users' bulk actions do). */

export function createAuthAdminHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const store = createAuthStore(db);
  const { tree } = store;
  const q = {
    org: db.prepare('SELECT id, name, email_password_enabled FROM organizations WHERE id = ?'),
    counts: db.prepare(`SELECT
        (SELECT count(*) FROM users WHERE org_id IN (SELECT value FROM json_each(@orgs)) AND email_login_enabled = 1) AS email_login,
        (SELECT count(*) FROM auth_credentials c JOIN users u ON u.id = c.user_id
           WHERE u.org_id IN (SELECT value FROM json_each(@orgs)) AND c.password_hash IS NOT NULL) AS with_password,
        (SELECT count(*) FROM auth_totp t JOIN users u ON u.id = t.user_id
           WHERE u.org_id IN (SELECT value FROM json_each(@orgs)) AND t.enrolled_at IS NOT NULL) AS with_totp`),
    treeRows: (table: string, key: string) =>
      db.prepare(`SELECT x.${key} AS id FROM ${table} x JOIN users u ON u.id = x.user_id WHERE u.org_id IN (SELECT value FROM json_each(?))`),
    usersLoginOn: db.prepare('SELECT id FROM users WHERE org_id IN (SELECT value FROM json_each(?)) AND email_login_enabled = 1'),
    queuedMails: db.prepare(`SELECT m.id FROM mail_outbox m JOIN users u ON u.id = m.user_id
      WHERE u.org_id IN (SELECT value FROM json_each(?)) AND m.status = 'queued' AND m.purpose IN ('welcome','reset')`),
  };
  const ids = (stmt: ReturnType<typeof q.treeRows>, orgs: string) => (stmt.all(orgs) as { id: string }[]).map((r) => r.id);

  const settings = (orgId: string): OrgAuthSettings => {
    if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
    const mainId = tree.mainOf(orgId);
    const main = q.org.get(mainId) as { id: string; name: string; email_password_enabled: number };
    const c = q.counts.get({ orgs: JSON.stringify(tree.subtree(mainId)) }) as { email_login: number; with_password: number; with_totp: number };
    return {
      orgId, mainOrgId: mainId, mainOrgName: main.name, inherited: mainId !== orgId, emailPasswordEnabled: main.email_password_enabled === 1,
      users: { emailLogin: c.email_login, withPassword: c.with_password, withTwoFactor: c.with_totp },
    };
  };

  /** Apply writes as one mutation (short, or long when there are thousands): see writeOps. */
  const apply = (name: string, actor: Actor, ops: LongOp[]) => writeOps(deps, name, actor, ops);

  const requireUser = (id: string) => {
    const u = store.user(id);
    if (!u) throw new AppError('NOT_FOUND', 'user.not_found');
    return u;
  };

  return {
    'auth.orgSettings': (input: ParsedIn<'auth.orgSettings'>): Out<'auth.orgSettings'> => settings(input.orgId),

    'auth.setEmailPassword': async (input: ParsedIn<'auth.setEmailPassword'>, ctx: CallContext): Promise<Out<'auth.setEmailPassword'>> => {
      const before = settings(input.orgId);
      if (before.inherited) throw new AppError('FORBIDDEN', 'auth.not_main_org', { mainOrg: before.mainOrgName });
      if (input.enabled) {
        mutations.run('auth.setEmailPassword', ctx.actor, (w) => {
          w.update('organization', input.orgId, { emailPasswordEnabled: true });
        });
        return { ...settings(input.orgId), removed: null };
      }
      if ((input.confirm ?? '').trim() !== before.mainOrgName) {
        throw fieldError('confirm', 'auth.confirm_mismatch', { name: before.mainOrgName });
      }
      const orgs = JSON.stringify(tree.subtree(input.orgId));
      const passwords = ids(q.treeRows('auth_credentials', 'user_id'), orgs);
      const authenticators = ids(q.treeRows('auth_totp', 'user_id'), orgs);
      const recoveryCodes = ids(q.treeRows('auth_recovery_codes', 'user_id'), orgs);
      const emailCodes = ids(q.treeRows('auth_email_codes', 'user_id'), orgs);
      const links = ids(q.treeRows('auth_login_links', 'id'), orgs);
      const sessions = ids(q.treeRows('auth_sessions', 'id'), orgs);
      const usersOn = (q.usersLoginOn.all(orgs) as { id: string }[]).map((r) => r.id);
      const mails = (q.queuedMails.all(orgs) as { id: string }[]).map((r) => r.id);
      const ops: LongOp[] = [
        { op: 'update', entity: 'organization', id: input.orgId, patch: { emailPasswordEnabled: false } },
        ...passwords.map((id): LongOp => ({ op: 'delete', entity: 'credential', id })),
        ...authenticators.map((id): LongOp => ({ op: 'delete', entity: 'totp', id })),
        ...recoveryCodes.map((id): LongOp => ({ op: 'delete', entity: 'recoveryCode', id })),
        ...emailCodes.map((id): LongOp => ({ op: 'delete', entity: 'emailCode', id })),
        ...links.map((id): LongOp => ({ op: 'delete', entity: 'loginLink', id })),
        ...sessions.map((id): LongOp => ({ op: 'delete', entity: 'session', id })),
        ...usersOn.map((id): LongOp => ({ op: 'update', entity: 'user', id, patch: { emailLoginEnabled: false } })),
        ...mails.map((id): LongOp => ({
          op: 'update', entity: 'mailMessage', id,
          patch: { status: 'cancelled', html: '', text: '', nextAttemptAt: null, lastError: 'Email/password sign-in was switched off.' },
        })),
      ];
      await apply('auth.setEmailPassword', ctx.actor, ops);
      return {
        ...settings(input.orgId),
        removed: {
          passwords: passwords.length, authenticators: authenticators.length, recoveryCodes: recoveryCodes.length, links: links.length,
          sessions: sessions.length, usersSwitchedOff: usersOn.length, mailsCancelled: mails.length,
        },
      };
    },

    'users.resendReset': (input: ParsedIn<'users.resendReset'>, ctx: CallContext): Out<'users.resendReset'> => {
      const users = input.ids.map(requireUser);
      const eligible = users.filter((u) => store.canUseEmailLogin(u));
      if (eligible.length === 0) {
        throw fieldError('ids', 'auth.user_email_login_off', { name: users[0]!.name });
      }
      const queued = sendLinks(deps, ctx.actor, eligible.map((u) => u.id), 'users.resendReset');
      return { queued, skipped: users.length - queued };
    },

    'users.resetTwoFactor': async (input: ParsedIn<'users.resetTwoFactor'>, ctx: CallContext): Promise<Out<'users.resetTwoFactor'>> => {
      const ops: LongOp[] = [];
      let reset = 0;
      for (const id of input.ids) {
        requireUser(id);
        const totp = store.totp(id);
        const recovery = store.recovery(id);
        if (totp) ops.push({ op: 'delete', entity: 'totp', id });
        if (recovery) ops.push({ op: 'delete', entity: 'recoveryCode', id });
        // Signed-in sessions were granted by the old authenticator: they end too.
        for (const sid of store.sessionsOfUser(id)) ops.push({ op: 'delete', entity: 'session', id: sid });
        if (totp || recovery) reset++;
      }
      if (ops.length > 0) await apply('users.resetTwoFactor', ctx.actor, ops);
      return { reset };
    },

    'users.setEmailCode': async (input: ParsedIn<'users.setEmailCode'>, ctx: CallContext): Promise<Out<'users.setEmailCode'>> => {
      const ops: LongOp[] = [];
      for (const id of input.ids) {
        const u = requireUser(id);
        if ((u.email_code_enabled === 1) !== input.enabled) ops.push({ op: 'update', entity: 'user', id, patch: { emailCodeEnabled: input.enabled } });
        if (!input.enabled && store.emailCode(id)) ops.push({ op: 'delete', entity: 'emailCode', id });
      }
      const changed = ops.filter((o) => o.op === 'update').length; // counted before writeOps consumes them
      if (ops.length > 0) await apply('users.setEmailCode', ctx.actor, ops);
      return { changed };
    },

    'users.authDetail': (input: ParsedIn<'users.authDetail'>): Out<'users.authDetail'> => {
      const u = requireUser(input.id);
      const cred = store.credential(u.id);
      const totp = store.totp(u.id);
      const recovery = store.recovery(u.id);
      const link = store.linksOfUser(u.id).filter((l) => l.used_at === null && l.expires_at > deps.clock.now().toISOString()).at(-1);
      const last = store.lastSuccess(u.id);
      return {
        userId: u.id,
        emailLoginEnabled: u.email_login_enabled === 1,
        emailCodeEnabled: u.email_code_enabled === 1,
        orgEmailPasswordEnabled: tree.emailPasswordEnabled(u.org_id),
        password: { set: Boolean(cred?.password_hash), changedAt: cred?.password_changed_at ?? null },
        lastLoginAt: u.last_login_at,
        loginCount: store.loginCount(u.id),
        lastIp: last?.ip ?? null,
        twoFactor: {
          status: !totp ? 'none' : totp.enrolled_at ? 'enrolled' : 'pending',
          enrolledAt: totp?.enrolled_at ?? null,
          lastUsedAt: totp?.last_used_at ?? null,
        },
        recoveryCode: recovery ? { createdAt: recovery.created_at, usedAt: recovery.used_at } : null,
        failedAttempts: cred?.failed_attempts ?? 0,
        lockedUntil: cred?.locked_until && cred.locked_until > deps.clock.now().toISOString() ? cred.locked_until : null,
        pendingLink: link ? { purpose: link.purpose, expiresAt: link.expires_at, createdAt: link.created_at } : null,
        recentSignIns: store.signIns(u.id, 20).map((s) => ({ method: s.method, at: s.at, ip: s.ip, success: s.success === 1, reason: s.reason })),
      };
    },
  };
}
