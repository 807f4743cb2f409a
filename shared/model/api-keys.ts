/**
 * API keys of an organization and the Portal REST API's payloads (issue #5).
 * A key is `odk_<keyId>_<secret>`: the key ID is public (shown in the table, named in audit), the
 * secret is shown once; the database keeps only the SHA-256 of the whole key.
 */
import { z } from 'zod';
import { Actor, Email, Id } from './organization.ts';

export const API_KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** The durations offered when creating a key, in days; a key may also run until a chosen date. */
export const API_KEY_DURATIONS = [30, 90, 180, 365] as const;
export type ApiKeyDuration = (typeof API_KEY_DURATIONS)[number];
/** The longest a key may live, whatever date is chosen. */
export const API_KEY_MAX_DAYS = 730;

export const ApiKeyName = z.string({ error: 'apiKey.name_required' }).trim()
  .min(1, { error: 'apiKey.name_required', abort: true })
  .max(100, { error: 'apiKey.name_too_long' });

/** Either a preset number of days or an expiry date (YYYY-MM-DD, the key works until the end of that day, UTC). */
export const ApiKeyExpiry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('days'), days: z.union(API_KEY_DURATIONS.map((d) => z.literal(d)), { error: 'apiKey.duration_invalid' }) }),
  z.object({ kind: z.literal('date'), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'apiKey.date_invalid' }) }),
], { error: 'apiKey.duration_invalid' });
export type ApiKeyExpiry = z.output<typeof ApiKeyExpiry>;

export const NewApiKey = z.object({
  orgId: Id,
  name: ApiKeyName,
  roleId: z.string({ error: 'apiKey.role_required' }).min(1, { error: 'apiKey.role_required' }),
  expiry: ApiKeyExpiry,
  /**
   * What a console recorded of a key it made (its public ID and the SHA-256 of the key), for the
   * Portal's re-run of the change (sync): the same key then works there. Refused anywhere else.
   */
  recorded: z.object({ keyId: z.string().regex(/^[a-z2-7]{16}$/), secretHash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

export const ApiKeyRow = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  keyId: z.string(),
  roleId: z.string(),
  roleName: z.string(),
  status: z.enum(API_KEY_STATUSES),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  version: z.number().int(),
});
export type ApiKeyRow = z.output<typeof ApiKeyRow>;

export const CreatedApiKey = z.object({
  key: ApiKeyRow,
  /** The whole key, shown once. It is also kept in the OS keychain of this console. */
  secret: z.string(),
  /** Whether the OS keychain took it (false: shown once, kept nowhere but the hash). */
  keptInKeychain: z.boolean(),
});

// --- the REST API's payloads (/api/v1) ------------------------------------------------------------

export const RestOrganization = z.object({
  id: z.string(),
  type: z.enum(['partner', 'client', 'suborg']),
  parentId: z.string().nullable(),
  name: z.string(),
  email: z.string(),
  language: z.string(),
  country: z.string(),
});
export type RestOrganization = z.output<typeof RestOrganization>;

export const RestUser = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  status: z.enum(['active', 'pending', 'deactivated', 'archived']),
  source: z.enum(['manual', 'import', 'scim', 'directory']),
  emailLoginEnabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type RestUser = z.output<typeof RestUser>;

/** The users import's answer, Flexopus's shape: row numbers of the file (the header is row 1). */
export const RestImportResult = z.object({
  dryRun: z.boolean(),
  created: z.array(z.number().int()),
  updated: z.array(z.number().int()),
  deleted: z.number().int(),
  skipped: z.array(z.number().int()),
  errors: z.array(z.number().int()),
  errorMessages: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  rows: z.number().int(),
  filename: z.string(),
});
export type RestImportResult = z.output<typeof RestImportResult>;

/** POST /api/v1/users. The role is named as in the console and the spreadsheets; new users default to Read-only. */
export const RestNewUser = z.object({
  organizationId: Id.optional(),
  name: z.string({ error: 'user.name_required' }).trim().min(1, { error: 'user.name_required', abort: true })
    .max(100, { error: 'user.name_too_long' }),
  email: Email,
  role: z.string().max(100).optional(),
  emailLoginEnabled: z.boolean().default(false),
}).strict();
export type RestNewUser = z.output<typeof RestNewUser>;

/** PATCH /api/v1/users/{id}: the fields to change; `version` (optional) makes a change by someone else since then a conflict. */
export const RestUserPatch = z.object({
  organizationId: Id.optional(),
  name: z.string({ error: 'user.name_required' }).trim().min(1, { error: 'user.name_required', abort: true })
    .max(100, { error: 'user.name_too_long' }).optional(),
  email: Email.optional(),
  role: z.string().max(100).optional(),
  status: z.enum(['active', 'deactivated', 'archived'], { error: 'apiKey.status_invalid' }).optional(),
  version: z.number().int().min(0).optional(),
}).strict();
export type RestUserPatch = z.output<typeof RestUserPatch>;

/** GET /api/v1/users query parameters. */
export const RestUserQuery = z.object({
  organizationId: Id.optional(),
  includeSubOrganizations: z.boolean().default(false),
  q: z.string().max(200).default(''),
  status: z.enum(['active', 'deactivated', 'archived'], { error: 'apiKey.status_invalid' }).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type RestUserQuery = z.output<typeof RestUserQuery>;
