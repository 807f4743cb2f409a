/**
 * The pure rules of API keys: a key's status from its dates, its expiry from the chosen duration,
 * what each role may do through the REST API, the key's format, and the per-key rate limit (a
 * token bucket). The core enforces them; the console shows the same answers.
 */
import { API_KEY_MAX_DAYS, type ApiKeyExpiry, type ApiKeyStatus } from '../model/api-keys.ts';

const DAY_MS = 86_400_000;

/** Revoked wins over expired: a revoked key stays revoked even after its date passes. */
export function apiKeyStatus(key: { expiresAt: string; revokedAt: string | null }, now: Date): ApiKeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  return now.getTime() >= Date.parse(key.expiresAt) ? 'expired' : 'active';
}

export type ExpiryDecision = { ok: true; expiresAt: string } | { ok: false; key: string; params?: Record<string, string | number> };

/**
 * When a key created at `now` stops working. Presets count exact days from now; a date means the
 * key works through that whole day (UTC), which must be after today and within API_KEY_MAX_DAYS.
 */
export function apiKeyExpiresAt(expiry: ApiKeyExpiry, now: Date): ExpiryDecision {
  if (expiry.kind === 'days') return { ok: true, expiresAt: new Date(now.getTime() + expiry.days * DAY_MS).toISOString() };
  const start = Date.parse(`${expiry.date}T00:00:00.000Z`);
  // Date.parse accepts 2026-02-31 as March 3rd in some engines and NaN in others: check the round trip.
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== expiry.date) return { ok: false, key: 'apiKey.date_invalid' };
  // The last millisecond of that day: the table then shows the day that was chosen.
  const end = start + DAY_MS - 1;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  if (start <= today) return { ok: false, key: 'apiKey.date_past' };
  if (end - now.getTime() > API_KEY_MAX_DAYS * DAY_MS) return { ok: false, key: 'apiKey.date_too_far', params: { days: API_KEY_MAX_DAYS } };
  return { ok: true, expiresAt: new Date(end).toISOString() };
}

// --- roles ---------------------------------------------------------------------------------------

/** The built-in roles (fixed ids, the same in every database: migrations.ts schema 2). */
export const ROLE_IDS = {
  administrator: '00000000-0000-7000-8000-000000000001',
  operator: '00000000-0000-7000-8000-000000000002',
  readOnly: '00000000-0000-7000-8000-000000000003',
} as const;

/** What a REST request does, as far as permissions go. */
export const API_OPERATIONS = ['organizations.read', 'users.read', 'users.write', 'users.import'] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];

const GRANTS: Record<string, readonly ApiOperation[]> = {
  // Read-only: GET only.
  [ROLE_IDS.readOnly]: ['organizations.read', 'users.read'],
  // Operator: day-to-day work on users, including imports.
  [ROLE_IDS.operator]: ['organizations.read', 'users.read', 'users.write', 'users.import'],
  // Organization Administrator: everything the API offers.
  [ROLE_IDS.administrator]: API_OPERATIONS,
};

/** Whether a key with this role may do this. An unknown (custom) role may do nothing until it is given grants here. */
export function apiRoleAllows(roleId: string, operation: ApiOperation): boolean {
  return GRANTS[roleId]?.includes(operation) ?? false;
}

/** How far each built-in role reaches; a role not listed ranks as an administrator's (only they may hand it out). */
const RANK: Record<string, number> = { [ROLE_IDS.readOnly]: 1, [ROLE_IDS.operator]: 2, [ROLE_IDS.administrator]: 3 };

/**
 * A key may give a user a role no higher than its own, and may change only users whose role is no
 * higher than its own: an Operator key cannot make (or unmake) an Organization Administrator.
 */
export function apiRoleMayAssign(keyRoleId: string, roleId: string): boolean {
  const mine = RANK[keyRoleId] ?? 0;
  return mine >= (RANK[roleId] ?? RANK[ROLE_IDS.administrator]!);
}

// --- the key's format ----------------------------------------------------------------------------

export const API_KEY_PREFIX = 'odk_';
/** The public key ID: 16 characters of lower-case base32 (80 bits), unique per database. */
export const API_KEY_ID_PATTERN = /^[a-z2-7]{16}$/;
const API_KEY_PATTERN = /^odk_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;

/** The key ID of a presented key, or null if it does not have a key's shape (nothing is looked up then). */
export function parseApiKey(presented: string): { keyId: string } | null {
  const m = API_KEY_PATTERN.exec(presented);
  return m ? { keyId: m[1]! } : null;
}

/** The bearer credential of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

// --- rate limiting -------------------------------------------------------------------------------

export interface TokenBucketConfig {
  /** Requests a key may make in a burst. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

export interface TokenBucketState {
  tokens: number;
  /** When `tokens` was last computed, in ms. */
  at: number;
}

export type TakeResult = { allowed: true; state: TokenBucketState; remaining: number } | { allowed: false; state: TokenBucketState; retryAfterSeconds: number };

/** Take one token at `nowMs` from a bucket (a fresh bucket is full). Refused: how many whole seconds until one is back. */
export function takeToken(state: TokenBucketState | undefined, nowMs: number, config: TokenBucketConfig): TakeResult {
  const previous = state ?? { tokens: config.capacity, at: nowMs };
  const elapsed = Math.max(0, nowMs - previous.at) / 1000;
  const tokens = Math.min(config.capacity, previous.tokens + elapsed * config.refillPerSecond);
  if (tokens >= 1) return { allowed: true, state: { tokens: tokens - 1, at: nowMs }, remaining: Math.floor(tokens - 1) };
  return { allowed: false, state: { tokens, at: nowMs }, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / config.refillPerSecond)) };
}
