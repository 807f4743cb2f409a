/**
 * Offline-first sync between consoles and the Portal (issue #6, ../shared/research/sync.md §4):
 * the wire shapes of push and pull, and what the console's sync views show.
 *
 * A pushed change is a named contract mutation (method + input, as the console ran it) plus what it
 * did locally: the base version of every entity it touched and the ids it created. The Portal runs the
 * same method with the same rules (Replicache's "named mutator"), reusing the console's ids and
 * merging field by field against those base versions.
 */
import { z } from 'zod';

export const SYNC_PROTOCOL_VERSION = 1;
/** The oldest console protocol this Portal still answers (the window is [MIN, CURRENT]). */
export const SYNC_MIN_PROTOCOL_VERSION = 1;
/**
 * The oldest console data schema (highest migration) this Portal still accepts. The schema window
 * is [SYNC_MIN_SCHEMA_VERSION, the Portal's own schema]: a console with a newer schema may send
 * fields and methods the Portal does not know (the Portal must be updated); one older than the
 * minimum lacks what the Portal now relies on (the console must be updated). 14 = sync's own schema.
 */
export const SYNC_MIN_SCHEMA_VERSION = 14;

/** What a console states about itself in hello (absent from consoles older than the version window). */
export const HelloRequest = z.object({
  protocolVersion: z.number().int().optional(),
  schemaVersion: z.number().int().optional(),
});
export type HelloRequest = z.output<typeof HelloRequest>;

/** Which side of a refused version pair must be updated. */
export const UPDATE_SIDES = ['console', 'portal'] as const;
export type UpdateSide = (typeof UPDATE_SIDES)[number];

/** A 426 answer of the Portal: the versions it accepts and which side must move. */
export const VersionRefusal = z.object({
  error: z.literal('versionNotSupported'),
  update: z.enum(UPDATE_SIDES),
  minProtocolVersion: z.number().int(),
  maxProtocolVersion: z.number().int(),
  minSchemaVersion: z.number().int().optional(),
  maxSchemaVersion: z.number().int().optional(),
});

/**
 * Sign in with a Portal account (research/sync.md §4.6): email, password and, when the account has
 * two-factor on, the authenticator code or a recovery code. The same rules as the Portal's sign-in
 * pages (lockout, replay guard) apply; the answer is a console session credential.
 */
export const SignInRequest = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
  code: z.string().trim().max(100).optional(),
  label: z.string().trim().min(1).max(100).default('Console'),
  protocolVersion: z.number().int().optional(),
  schemaVersion: z.number().int().optional(),
});
export type SignInRequest = z.output<typeof SignInRequest>;

export const SignInResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  /** A recovery code was used: it is spent, and this one replaces it (shown once). */
  newRecoveryCode: z.string().nullable(),
});
export type SignInResponse = z.output<typeof SignInResponse>;

/**
 * The poke (POST /sync/v1/poke): a long poll that answers as soon as a synced entity of the
 * caller's organizations changes after `since` (null: start listening from now), or after a while
 * with `changed: false`. `seq` is where to listen from next.
 */
export const PokeRequest = z.object({ since: z.number().int().min(0).nullable().default(null) });
export type PokeRequest = z.output<typeof PokeRequest>;
export const PokeResponse = z.object({ changed: z.boolean(), seq: z.number().int() });
export type PokeResponse = z.output<typeof PokeResponse>;

/** Why a sign-in was refused (the console shows each with its own message). */
export const SIGN_IN_ERRORS = ['signInFailed', 'locked', 'twoFactorRequired', 'twoFactorNotSetUp', 'codeWrong', 'codeReused', 'versionNotSupported'] as const;

/** An entity a change touched, as the console saw it: its server base version and the values it changed. */
export const SyncTarget = z.object({
  entity: z.string().max(60),
  id: z.string().max(200),
  op: z.enum(['create', 'update', 'delete']),
  /** The Portal's version of the entity this change was based on (0 for an entity created here). */
  base: z.number().int().min(0),
  /** field -> the value before this change (what the console showed as the base). */
  old: z.record(z.string(), z.unknown()),
  /** field -> the value this change wrote. */
  new: z.record(z.string(), z.unknown()),
});
export type SyncTarget = z.output<typeof SyncTarget>;

export const PushMutation = z.object({
  seq: z.number().int().min(1),
  mutationId: z.string().min(1).max(80),
  method: z.string().min(1).max(100),
  input: z.unknown(),
  targets: z.array(SyncTarget).max(100_000),
  /** Ids the console's run created, in creation order: the Portal's run reuses them. */
  created: z.array(z.object({ entity: z.string().max(60), id: z.string().max(200) })).max(100_000),
  /** "Keep mine" of a conflict: only these fields (by "entity:id") are written; absent = all. */
  only: z.record(z.string(), z.array(z.string())).optional(),
  clientTime: z.string().max(40),
});
export type PushMutation = z.output<typeof PushMutation>;

export const PushRequest = z.object({
  protocolVersion: z.number().int(),
  /** The console's data schema (absent from consoles older than the version window). */
  schemaVersion: z.number().int().optional(),
  clientId: z.string().min(8).max(80),
  mutations: z.array(PushMutation).max(1000),
});
export type PushRequest = z.output<typeof PushRequest>;

export const CONFLICT_KINDS = ['field', 'deleted_remotely', 'delete_over_edit', 'edited_remotely', 'rejected'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const WireConflict = z.object({
  kind: z.enum(CONFLICT_KINDS),
  entity: z.string(),
  id: z.string(),
  field: z.string().nullable(),
  base: z.unknown(),
  mine: z.unknown(),
  theirs: z.unknown(),
  theirsVersion: z.number().int().nullable(),
  theirsBy: z.string().nullable(),
  theirsAt: z.string().nullable(),
  /** Why one op of a batch was refused (users.applyBatch refuses op by op); absent = the push result's code and message. */
  code: z.string().max(60).optional(),
  message: z.string().max(500).optional(),
});
export type WireConflict = z.output<typeof WireConflict>;

/** One entity as the Portal has it now: a put (whole row, secrets never included) or a delete. */
export const WireRow = z.object({
  orgId: z.string(),
  entity: z.string(),
  id: z.string(),
  op: z.enum(['put', 'delete']),
  version: z.number().int(),
  fieldVersions: z.record(z.string(), z.number()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type WireRow = z.output<typeof WireRow>;

export const PUSH_STATUSES = ['applied', 'conflict', 'rejected'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

export const PushResult = z.object({
  seq: z.number().int(),
  mutationId: z.string(),
  status: z.enum(PUSH_STATUSES),
  code: z.string().optional(),
  message: z.string().optional(),
  conflicts: z.array(WireConflict).default([]),
  duplicate: z.boolean().optional(),
  /** The Portal's current state of every entity the change touched, so the console converges at once. */
  rows: z.array(WireRow).default([]),
});
export type PushResult = z.output<typeof PushResult>;

export const PushResponse = z.object({
  lastMutationSeq: z.number().int(),
  results: z.array(PushResult),
  serverTime: z.string(),
});
export type PushResponse = z.output<typeof PushResponse>;

/** Whole-request refusals of a push: nothing was applied. */
export const PUSH_ERRORS = ['outOfOrder', 'mutationIdReused', 'clientOfOtherUser', 'versionNotSupported'] as const;

export const PullRequest = z.object({
  protocolVersion: z.number().int(),
  schemaVersion: z.number().int().optional(),
  clientId: z.string().min(8).max(80),
  /** orgId -> cursor (0 = never pulled); the Portal ignores orgs the caller may not read. */
  cursors: z.record(z.string(), z.number().int().min(0)),
  /** An initial download in progress, per org: where it stopped. */
  snapshots: z.record(z.string(), z.string().max(400)).default({}),
  limit: z.number().int().min(1).max(10_000).default(2000),
});
export type PullRequest = z.output<typeof PullRequest>;

export const PullOrg = z.object({
  status: z.enum(['ok', 'revoked', 'reset']),
  cursor: z.number().int().optional(),
  /** While an initial download is under way: where the next page starts. */
  snapshot: z.string().nullable().optional(),
  hasMore: z.boolean().optional(),
  name: z.string().optional(),
  parentId: z.string().nullable().optional(),
  writable: z.boolean().optional(),
});
export type PullOrg = z.output<typeof PullOrg>;

export const PullResponse = z.object({
  orgs: z.record(z.string(), PullOrg),
  /** Orgs in tree order (parents first): the order the console applies them in. */
  order: z.array(z.string()),
  changes: z.array(WireRow),
  /** The page filled up before every organization was looked at: ask again (the rest are unchanged so far). */
  more: z.boolean().default(false),
  lastMutationSeq: z.number().int(),
  serverTime: z.string(),
});
export type PullResponse = z.output<typeof PullResponse>;

export const HelloResponse = z.object({
  protocolVersion: z.number().int(),
  minProtocolVersion: z.number().int(),
  /** The Portal's data schema and the oldest console schema it accepts (absent: a Portal older than the version window). */
  schemaVersion: z.number().int().optional(),
  minSchemaVersion: z.number().int().optional(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  organizations: z.number().int(),
  serverTime: z.string(),
});
export type HelloResponse = z.output<typeof HelloResponse>;

// ---- What the console shows ----

/** signed_out: the Portal refused the credential (sign in again; the outbox is kept); incompatible: outside the version window. */
export const SYNC_STATES = ['standalone', 'offline', 'syncing', 'online', 'error', 'signed_out', 'incompatible'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const SyncOrgState = z.object({
  orgId: z.string(),
  state: z.enum(['initial', 'ready', 'reset', 'revoked']),
  cursor: z.number().int(),
  lastPullAt: z.string().nullable(),
  pending: z.number().int(),
});
export type SyncOrgState = z.output<typeof SyncOrgState>;

export const SyncStatus = z.object({
  state: z.enum(SYNC_STATES),
  portalUrl: z.string().nullable(),
  user: z.string().nullable(),
  clientId: z.string().nullable(),
  pending: z.number().int(),
  conflicts: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextRetryAt: z.string().nullable(),
  orgs: z.array(SyncOrgState),
  /** How this console authenticates: a console token / API key, or a signed-in Portal account. */
  auth: z.enum(['token', 'session']).nullable().default(null),
  /** While `incompatible`: which side must be updated. */
  updateNeeded: z.enum(UPDATE_SIDES).nullable().default(null),
});
export type SyncStatus = z.output<typeof SyncStatus>;

export const ConflictView = z.object({
  id: z.number().int(),
  kind: z.enum(CONFLICT_KINDS),
  orgId: z.string(),
  orgName: z.string().nullable(),
  entity: z.string(),
  entityId: z.string(),
  label: z.string().nullable(),
  method: z.string(),
  field: z.string().nullable(),
  base: z.unknown(),
  mine: z.unknown(),
  theirs: z.unknown(),
  theirsBy: z.string().nullable(),
  theirsAt: z.string().nullable(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
});
export type ConflictView = z.output<typeof ConflictView>;
