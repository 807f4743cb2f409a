/** The console API of offline-first sync with a Portal server (issue #6); merged into shared/contract.ts. */
import { z } from 'zod';
import { Ok, mutation, query } from './contract-kit.ts';
import { ConflictView, HelloRequest, PokeRequest, PullRequest, PushRequest, SignInRequest, SyncStatus } from './model/sync.ts';

const Token = z.string().max(200);
/** What the Portal's sync routes answer: an HTTP status and a JSON body. */
const HttpAnswer = z.object({ status: z.number().int(), body: z.unknown(), retryAfter: z.number().int().optional() });

export const syncContract = {
  // ---- the console ----
  /** Online / offline / syncing, what waits, the last sync, the last error, each organization's state. */
  'sync.status': query(z.object({}), SyncStatus),
  /** Test the Portal URL and credential, keep the credential in the OS keychain, start syncing. */
  'sync.connect': mutation(
    z.object({
      url: z.string().trim().min(1, { error: 'sync.url_required' }).max(500),
      token: z.string().trim().min(1, { error: 'sync.token_required' }).max(200),
    }),
    SyncStatus,
  ),
  /**
   * Sign in with my Portal account: the Portal checks email, password and the second factor with the
   * rules of its sign-in pages and issues a console session, kept in the OS keychain. While connected
   * and signed out (or to change credential), signing in again as the same user resumes, outbox kept.
   */
  'sync.signIn': mutation(
    z.object({
      url: z.string().trim().min(1, { error: 'sync.url_required' }).max(500),
      email: z.string().trim().min(1, { error: 'sync.email_required' }).max(254),
      password: z.string().min(1, { error: 'sync.password_required' }).max(1000),
      code: z.string().trim().max(100).optional(),
    }),
    SyncStatus.extend({ newRecoveryCode: z.string().nullable() }),
  ),
  /** Stop syncing. With changes still waiting, `discardPending` must say so (they would never reach the Portal). */
  'sync.disconnect': mutation(z.object({ discardPending: z.boolean().default(false) }), SyncStatus),
  /** Sync now (the retry button, window focus); `wait` answers after the cycle. */
  'sync.now': query(z.object({ wait: z.boolean().default(false) }), SyncStatus),
  /** Work offline (nothing is sent or fetched) or go back online. */
  'sync.setOffline': query(z.object({ offline: z.boolean() }), SyncStatus),
  'sync.conflicts': query(
    z.object({ orgId: z.string().max(80).optional(), includeResolved: z.boolean().default(false) }),
    z.object({ items: z.array(ConflictView) }),
  ),
  'sync.resolve': mutation(
    z.object({ id: z.number().int(), resolution: z.enum(['kept_mine', 'kept_theirs', 'dismissed']) }),
    Ok,
  ),

  // ---- the Portal (its sync routes are the only callers; the token is the console's bearer token) ----
  'sync.serverHello': query(z.object({ token: Token, request: HelloRequest.default({}) }), HttpAnswer),
  /** A console signs in with a Portal account (no bearer); `ip` is the caller's, for the sign-in record. */
  'sync.serverSignIn': mutation(z.object({ request: SignInRequest, ip: z.string().max(100) }), HttpAnswer),
  /** Whether the caller's organizations changed after `since` (the poke's long-poll asks at start and at each change). */
  'sync.serverPoke': query(z.object({ token: Token, request: PokeRequest }), HttpAnswer),
  /** A console disconnects: its session credential is revoked (other credentials are left alone). */
  'sync.serverSignOut': mutation(z.object({ token: Token }), HttpAnswer),
  'sync.serverPush': mutation(z.object({ token: Token, request: PushRequest }), HttpAnswer),
  'sync.serverPull': query(z.object({ token: Token, request: PullRequest }), HttpAnswer),
  /** Issue a console credential for a Portal user (shown once). */
  'sync.issueToken': mutation(
    z.object({ userId: z.string().max(80), label: z.string().trim().min(1).max(100).default('Console') }),
    z.object({ id: z.string(), token: z.string() }),
  ),
  'sync.revokeToken': mutation(z.object({ id: z.string().max(80) }), Ok),
  /** The console credentials of the Portal (tokens and signed-in sessions), optionally of one user; never the secrets. */
  'sync.credentials': query(
    z.object({ userId: z.string().max(80).optional(), includeEnded: z.boolean().default(false) }),
    z.object({
      items: z.array(z.object({
        id: z.string(), kind: z.enum(['token', 'session']), userId: z.string(), userName: z.string(), userEmail: z.string(), label: z.string(),
        createdAt: z.string(), lastUsedAt: z.string().nullable(), expiresAt: z.string().nullable(), revokedAt: z.string().nullable(),
        active: z.boolean(),
      })),
    }),
  ),
  /** Forget change history (deleted-row tombstones included) older than `olderThanDays`. */
  'sync.compact': mutation(
    z.object({ olderThanDays: z.number().min(0).max(3650) }),
    z.object({ purged: z.number().int() }),
  ),
} as const;
