/**
 * One-time links (welcome: create your password, 72 h; reset: choose a new one, 1 h). The token is
 * 256 random bits handed out once, in the email; the database keeps its SHA-256 only. Issuing a
 * link deletes the user's older ones, so only the newest email works. The email is queued in the
 * same mutation as its link.
 */
import { newId as uuidv7 } from '../ids.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { LinkPurpose } from '../../../shared/model/auth.ts';
import { LINK_TTL_HOURS } from '../../../shared/model/auth-values.ts';
import type { CoreDeps } from '../handlers/context.ts';
import { enqueueMail, readMailSettings } from '../mail/outbox.ts';
import { linkMail } from '../mail/templates.ts';
import { randomToken, sha256 } from './secrets.ts';
import { createAuthStore, type AuthStore, type AuthUser } from './store.ts';

/** The Portal page a link opens. */
export const SET_PASSWORD_PATH = '/set-password';

export function linkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${SET_PASSWORD_PATH}?token=${encodeURIComponent(token)}`;
}

/** Inside a mutation: replace the user's links with a new one and queue its email. Returns the token. */
export function issueLink(w: Writer, store: AuthStore, user: AuthUser, purpose: LinkPurpose, now: Date, baseUrl: string): string {
  for (const old of store.linksOfUser(user.id)) w.delete('loginLink', old.id);
  for (const queued of store.queuedMailsOfUser(user.id)) {
    w.update('mailMessage', queued, { status: 'cancelled', html: '', text: '', nextAttemptAt: null, lastError: 'Replaced by a newer email.' });
  }
  const token = randomToken();
  w.create('loginLink', uuidv7(), {
    userId: user.id, orgId: user.org_id, tokenHash: sha256(token), purpose,
    expiresAt: new Date(now.getTime() + LINK_TTL_HOURS[purpose] * 3_600_000).toISOString(), usedAt: null,
  });
  const look = store.orgLook(user);
  enqueueMail(w, {
    orgId: user.org_id, userId: user.id, purpose, to: user.email,
    content: linkMail({ purpose, language: look.language, palette: look.palette, orgName: look.name, userName: user.name, link: linkUrl(baseUrl, token) }),
  });
  return token;
}

/**
 * Email a link to each user who may sign in with email and password: `reset` when they already
 * have a password, else `welcome`. One mutation for all of them.
 * Returns how many were queued.
 */
export function sendLinks(deps: CoreDeps, actor: Actor, userIds: readonly string[], name = 'auth.sendLinks'): number {
  const store = createAuthStore(deps.db);
  const users = userIds.map((id) => store.user(id)).filter((u): u is AuthUser => u !== undefined && store.canUseEmailLogin(u));
  if (users.length === 0) return 0;
  const now = deps.clock.now();
  const { portalBaseUrl } = readMailSettings(deps.db);
  deps.mutations.run(name, actor, (w) => {
    for (const u of users) {
      const purpose: LinkPurpose = store.credential(u.id)?.password_hash ? 'reset' : 'welcome';
      issueLink(w, store, u, purpose, now, portalBaseUrl);
    }
  });
  deps.mail.kick();
  return users.length;
}
