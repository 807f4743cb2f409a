/**
 * Console sessions on the Portal (issue #6): a technician signs in from the console's Connect dialog
 * with the email, password and second factor of their Portal account. The checks are the Portal's
 * own sign-in handlers (main/core/auth/portal-handlers.ts), called as they are, so lockout, the TOTP
 * replay guard, recovery codes and the sign-in record are the very rules of the sign-in pages. The
 * web session those handlers make is ended at once: the console gets its own credential instead, a
 * `sync_tokens` row of kind 'session' (only its SHA-256 kept), which
 *   - expires after SESSION_IDLE_MS without use, renewed (slid forward) at most every RENEW_AFTER_MS
 *     by the requests that use it, and never lives past SESSION_MAX_MS: then the person signs in again;
 *   - stops at once when revoked (sync.revokeToken, or the console's Disconnect), when the user is
 *     deactivated or deleted, or loses email sign-in;
 *   - is listed with the console tokens (sync.credentials).
 */
import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { SignInRequest, SignInResponse } from '../../../shared/model/sync.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { randomToken, sameSecret, sha256 } from '../auth/secrets.ts';
import { createAuthStore, userActor } from '../auth/store.ts';
import { createPortalHandlers } from '../auth/portal-handlers.ts';

export const SESSION_PREFIX = 'odsess_';
export const TOKEN_PREFIX = 'odsync_';
export const SESSION_IDLE_MS = 14 * 86_400_000;
export const SESSION_MAX_MS = 90 * 86_400_000;
/** Renewing writes an audited change: at most twice a day per console. */
export const RENEW_AFTER_MS = 12 * 3_600_000;

/** What a route answers: an HTTP status and a JSON body. */
interface HttpAnswer { status: number; body: unknown }

export interface CredentialRow {
  id: string; token_hash: string; kind: 'token' | 'session'; revoked_at: string | null; expires_at: string | null; renewed_at: string | null;
  created_at: string; user_id: string; name: string; email: string; org_id: string; role_id: string | null; status: string;
}

export function createConsoleSessions(deps: CoreDeps) {
  const { db } = deps;
  const store = createAuthStore(db);
  const portal = createPortalHandlers(deps);
  const now = () => deps.clock.now();
  const q = {
    byHash: db.prepare('SELECT id, user_id FROM sync_tokens WHERE token_hash = ? AND kind = ?'),
    list: db.prepare(`SELECT t.id, t.kind, t.user_id, u.name, u.email, t.label, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
      FROM sync_tokens t JOIN users u ON u.id = t.user_id WHERE (? IS NULL OR t.user_id = ?) ORDER BY t.created_at DESC, t.id`),
  };
  const renewing = new Set<string>();

  /** The hard end of a session: its creation + SESSION_MAX_MS. */
  const hardEnd = (createdAt: string) => new Date(Date.parse(createdAt) + SESSION_MAX_MS);
  const activeUntil = (row: { expires_at: string | null; created_at: string }) =>
    Math.min(Date.parse(row.expires_at ?? ''), hardEnd(row.created_at).getTime());

  /** A session still usable now; a sign-in it renews is done shortly after, behind the writer. */
  function usable(row: CredentialRow): boolean {
    const at = now().getTime();
    if (!(activeUntil(row) > at)) return false;
    const user = store.user(row.user_id);
    // The rules of a web session: the account may still sign in with email and password.
    if (!user || !store.canUseEmailLogin(user)) return false;
    if (at - Date.parse(row.renewed_at ?? row.created_at) >= RENEW_AFTER_MS) renewSoon(row, userActor(user));
    return true;
  }

  function renewSoon(row: CredentialRow, actor: Actor): void {
    if (renewing.has(row.id)) return;
    renewing.add(row.id);
    void deps.withWriter(() => {
      const at = now();
      const expiresAt = new Date(Math.min(at.getTime() + SESSION_IDLE_MS, hardEnd(row.created_at).getTime())).toISOString();
      deps.mutations.run('sync.renewSession', actor, (w) => {
        w.update('syncToken', row.id, { renewedAt: at.toISOString(), lastUsedAt: at.toISOString(), expiresAt });
      });
    }).catch(() => undefined).finally(() => renewing.delete(row.id));
  }

  /** The refusal of a sign-in step, from the auth handlers' error. */
  function refusal(e: unknown): HttpAnswer {
    if (!(e instanceof AppError)) throw e;
    const code = e.fields?.code?.[0]?.key ?? e.key;
    if (code === 'auth.locked') return { status: 423, body: { error: 'locked', minutes: Number(e.params?.minutes ?? 1) } };
    if (code === 'auth.code_reused') return { status: 401, body: { error: 'codeReused' } };
    if (code === 'auth.code_wrong' || code === 'auth.code_expired') return { status: 401, body: { error: 'codeWrong' } };
    if (code === 'auth.sign_in_failed') return { status: 401, body: { error: 'signInFailed' } };
    throw e;
  }

  return {
    prefixes: [TOKEN_PREFIX, SESSION_PREFIX] as const,
    usable,

    /** Email + password (+ code): a console session, or why not. Runs holding the writer (a mutation). */
    async signIn(request: SignInRequest, ip: string): Promise<HttpAnswer> {
      let first: { sessionToken: string; next: string };
      try {
        first = await portal['portal.signIn']({ email: request.email, password: request.password, ip });
      } catch (e) {
        return refusal(e);
      }
      // The step-one web session is never used by a page: it ends whatever happens next.
      const endWebSession = (sessionToken: string) => portal['portal.signOut']({ sessionToken });
      if (first.next !== 'verify') {
        endWebSession(first.sessionToken);
        return { status: 403, body: { error: 'twoFactorNotSetUp' } };
      }
      if (!request.code) {
        endWebSession(first.sessionToken);
        return { status: 401, body: { error: 'twoFactorRequired' } };
      }
      let verified: { sessionToken: string; newRecoveryCode: string | null };
      try {
        verified = await portal['portal.verify']({ sessionToken: first.sessionToken, code: request.code, ip });
      } catch (e) {
        endWebSession(first.sessionToken);
        return refusal(e);
      }
      const web = store.sessionByHash(sha256(verified.sessionToken));
      endWebSession(verified.sessionToken);
      const user = web ? store.user(web.user_id) : undefined;
      if (!user) throw new AppError('INTERNAL', 'common.internal');
      const token = `${SESSION_PREFIX}${randomToken()}`;
      const at = now();
      const expiresAt = new Date(at.getTime() + SESSION_IDLE_MS).toISOString();
      deps.mutations.run('sync.signIn', userActor(user), (w) => {
        w.create('syncToken', newId(), {
          userId: user.id, orgId: user.org_id, label: request.label, tokenHash: sha256(token), revokedAt: null,
          lastUsedAt: at.toISOString(), kind: 'session', expiresAt, renewedAt: at.toISOString(),
        });
      });
      const body: SignInResponse = {
        token, expiresAt, user: { id: user.id, name: user.name, email: user.email }, newRecoveryCode: verified.newRecoveryCode,
      };
      return { status: 200, body };
    },

    /** The console disconnects: its own session ends. Other credentials are an administrator's to revoke. */
    signOut(token: string): HttpAnswer {
      if (!token.startsWith(SESSION_PREFIX)) return { status: 200, body: { revoked: false } };
      const hash = sha256(token);
      const row = q.byHash.get(hash, 'session') as { id: string; user_id: string } | undefined;
      const user = row ? store.user(row.user_id) : undefined;
      if (!row || !user) return { status: 200, body: { revoked: false } };
      const current = db.prepare('SELECT token_hash, revoked_at FROM sync_tokens WHERE id = ?').get(row.id) as { token_hash: string; revoked_at: string | null };
      if (!sameSecret(current.token_hash, hash) || current.revoked_at !== null) return { status: 200, body: { revoked: false } };
      deps.mutations.run('sync.signOut', userActor(user), (w) => {
        w.update('syncToken', row.id, { revokedAt: now().toISOString() });
      });
      return { status: 200, body: { revoked: true } };
    },

    list(userId: string | undefined, includeEnded: boolean) {
      const at = now().getTime();
      const rows = q.list.all(userId ?? null, userId ?? null) as {
        id: string; kind: 'token' | 'session'; user_id: string; name: string; email: string; label: string; created_at: string;
        last_used_at: string | null; expires_at: string | null; revoked_at: string | null;
      }[];
      const items = rows.map((r) => {
        const expires = r.kind === 'session' ? new Date(activeUntil(r)).toISOString() : null;
        return {
          id: r.id, kind: r.kind, userId: r.user_id, userName: r.name, userEmail: r.email, label: r.label, createdAt: r.created_at,
          lastUsedAt: r.last_used_at, expiresAt: expires, revokedAt: r.revoked_at,
          active: r.revoked_at === null && (expires === null || Date.parse(expires) > at),
        };
      });
      return { items: includeEnded ? items : items.filter((i) => i.active) };
    },
  };
}
