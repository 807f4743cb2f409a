/**
 * Reads of the sign-in tables, and the helpers the auth handlers share. Writes go through the
 * Writer only (main/core/mutations); this file never writes.
 */
import type { Db } from '../db/open-database.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { Palette } from '../../../shared/model/branding.ts';
import { DEFAULT_PALETTE } from '../../../shared/model/branding-values.ts';
import type { LinkPurpose, PortalOrg } from '../../../shared/model/auth.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { uiLanguage } from '../mail/templates.ts';

export interface AuthUser {
  id: string; org_id: string; name: string; email: string; status: string; email_login_enabled: number; email_code_enabled: number;
  last_login_at: string | null; org_name: string; org_language: string;
}
export interface CredentialRow {
  user_id: string; password_hash: string | null; password_changed_at: string | null; failed_attempts: number;
  locked_until: string | null; created_at: string;
}
export interface TotpRow { user_id: string; secret: string; enrolled_at: string | null; last_used_step: number | null; last_used_at: string | null; created_at: string }
export interface RecoveryRow { user_id: string; code_hash: string; used_at: string | null; created_at: string }
export interface LinkRow { id: string; user_id: string; token_hash: string; purpose: LinkPurpose; expires_at: string; used_at: string | null; created_at: string }
export interface SessionRow { id: string; user_id: string; token_hash: string; stage: 'password' | 'full'; expires_at: string; ip: string }
export interface SignInRow { method: 'password' | 'totp' | 'recovery' | 'email'; at: string; ip: string; success: number; reason: string | null }

const USER = `SELECT u.id, u.org_id, u.name, u.email, u.status, u.email_login_enabled, u.email_code_enabled, u.last_login_at, o.name AS org_name, o.language AS org_language
  FROM users u JOIN organizations o ON o.id = u.org_id`;

export function createAuthStore(db: Db) {
  const tree = createOrgTree(db);
  const q = {
    user: db.prepare(`${USER} WHERE u.id = ?`),
    usersByEmail: db.prepare(`${USER} WHERE u.email_fold = ? ORDER BY u.created_at, u.id`),
    credential: db.prepare('SELECT * FROM auth_credentials WHERE user_id = ?'),
    totp: db.prepare('SELECT * FROM auth_totp WHERE user_id = ?'),
    recovery: db.prepare('SELECT * FROM auth_recovery_codes WHERE user_id = ?'),
    emailCode: db.prepare('SELECT * FROM auth_email_codes WHERE user_id = ?'),
    linkByHash: db.prepare('SELECT * FROM auth_login_links WHERE token_hash = ?'),
    linksOfUser: db.prepare('SELECT * FROM auth_login_links WHERE user_id = ? ORDER BY created_at, id'),
    sessionByHash: db.prepare('SELECT * FROM auth_sessions WHERE token_hash = ?'),
    sessionsOfUser: db.prepare('SELECT id FROM auth_sessions WHERE user_id = ?'),
    palette: db.prepare('SELECT palette FROM branding WHERE org_id = ?'),
    signIns: db.prepare('SELECT method, at, ip, success, reason FROM auth_sign_ins WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?'),
    lastSuccess: db.prepare('SELECT method, at, ip, success, reason FROM auth_sign_ins WHERE user_id = ? AND success = 1 ORDER BY at DESC, id DESC LIMIT 1'),
    lastSuccessBy: db.prepare('SELECT at FROM auth_sign_ins WHERE user_id = ? AND success = 1 AND method = ? ORDER BY at DESC, id DESC LIMIT 1'),
    loginCount: db.prepare('SELECT count(*) AS n FROM auth_sign_ins WHERE user_id = ? AND success = 1'),
    queuedMailsOfUser: db.prepare("SELECT id FROM mail_outbox WHERE user_id = ? AND status = 'queued' AND purpose IN ('welcome','reset')"),
  };
  return {
    tree,
    user: (id: string) => q.user.get(id) as AuthUser | undefined,
    usersByEmail: (email: string) => q.usersByEmail.all(email.trim().toLowerCase()) as AuthUser[],
    credential: (userId: string) => q.credential.get(userId) as CredentialRow | undefined,
    totp: (userId: string) => q.totp.get(userId) as TotpRow | undefined,
    recovery: (userId: string) => q.recovery.get(userId) as RecoveryRow | undefined,
    emailCode: (userId: string) => q.emailCode.get(userId) as { code_hash: string; expires_at: string; created_at: string } | undefined,
    linkByHash: (hash: string) => q.linkByHash.get(hash) as LinkRow | undefined,
    linksOfUser: (userId: string) => q.linksOfUser.all(userId) as LinkRow[],
    sessionByHash: (hash: string) => q.sessionByHash.get(hash) as SessionRow | undefined,
    sessionsOfUser: (userId: string) => (q.sessionsOfUser.all(userId) as { id: string }[]).map((r) => r.id),
    queuedMailsOfUser: (userId: string) => (q.queuedMailsOfUser.all(userId) as { id: string }[]).map((r) => r.id),
    signIns: (userId: string, limit: number) => q.signIns.all(userId, limit) as SignInRow[],
    lastSuccess: (userId: string) => q.lastSuccess.get(userId) as SignInRow | undefined,
    lastSuccessBy: (userId: string, method: string) => (q.lastSuccessBy.get(userId, method) as { at: string } | undefined)?.at ?? null,
    loginCount: (userId: string) => (q.loginCount.get(userId) as { n: number }).n,
    /** Whether this user may sign in with email and password at all. */
    canUseEmailLogin(u: AuthUser): boolean {
      return u.status === 'active' && u.email_login_enabled === 1 && tree.emailPasswordEnabled(u.org_id);
    },
    /** How the pages and emails of a user's organization look: its name, language and colours. */
    orgLook(u: AuthUser): PortalOrg {
      const own = q.palette.get(u.org_id) as { palette: string } | undefined;
      const main = own ? undefined : (q.palette.get(tree.mainOf(u.org_id)) as { palette: string } | undefined);
      const raw = own?.palette ?? main?.palette;
      const palette = raw ? (JSON.parse(raw) as Palette) : DEFAULT_PALETTE;
      return { name: u.org_name, language: uiLanguage(u.org_language), palette };
    },
  };
}
export type AuthStore = ReturnType<typeof createAuthStore>;

/** End users act on their own account: they are the actor of their sign-in mutations. */
export const userActor = (u: AuthUser): Actor => ({ id: u.id, name: u.name, email: u.email });
