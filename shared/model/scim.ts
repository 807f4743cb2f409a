/**
 * SCIM 2.0 (RFC 7643/7644): the URNs, the attribute schemas this server speaks (core User, Group,
 * enterprise User extension) and the console's SCIM Provisioning types.
 */
import { z } from 'zod';
import { Id } from './organization.ts';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** Limits every request is held to (advertised in /ServiceProviderConfig). */
export const SCIM_LIMITS = {
  /** Bytes of a request body; larger ones get 413 before the body is read in full. */
  maxBodyBytes: 1_048_576,
  /** Resources in one page (`count` above it is lowered to it, RFC 7644 §3.4.2.4). */
  maxResults: 200,
  defaultCount: 100,
  /** Characters of a filter and nodes of its parsed tree. */
  maxFilterLength: 2000,
  maxFilterNodes: 64,
  /** Operations in one PATCH and members in one group write. */
  maxPatchOperations: 1000,
  maxMembers: 10_000,
} as const;

export type ScimAttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';

export interface ScimAttribute {
  name: string;
  type: ScimAttributeType;
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: ScimAttribute[];
  referenceTypes?: string[];
}

const s = (name: string, extra: Partial<ScimAttribute> = {}): ScimAttribute => ({ name, type: 'string', ...extra });
const multi = (name: string, subs: ScimAttribute[]): ScimAttribute => ({ name, type: 'complex', multiValued: true, subAttributes: subs });
const typedValue = [s('value'), s('display'), s('type'), { name: 'primary', type: 'boolean' } as ScimAttribute];

/** Attributes every resource has (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: ScimAttribute[] = [
  s('id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  s('externalId', { caseExact: true }),
  { name: 'meta', type: 'complex', mutability: 'readOnly', subAttributes: [
    s('resourceType', { mutability: 'readOnly' }), { name: 'created', type: 'dateTime', mutability: 'readOnly' },
    { name: 'lastModified', type: 'dateTime', mutability: 'readOnly' }, s('location', { mutability: 'readOnly' }),
    s('version', { caseExact: true, mutability: 'readOnly' }),
  ] },
];

export const USER_ATTRIBUTES: ScimAttribute[] = [
  s('userName', { required: true, uniqueness: 'server' }),
  { name: 'name', type: 'complex', subAttributes: [s('formatted'), s('familyName'), s('givenName'), s('middleName'), s('honorificPrefix'), s('honorificSuffix')] },
  s('displayName'), s('nickName'), s('profileUrl'), s('title'), s('userType'), s('preferredLanguage'), s('locale'), s('timezone'),
  { name: 'active', type: 'boolean' },
  s('password', { mutability: 'writeOnly', returned: 'never' }),
  multi('emails', typedValue),
  multi('phoneNumbers', typedValue),
  multi('ims', typedValue),
  multi('photos', typedValue),
  multi('addresses', [s('formatted'), s('streetAddress'), s('locality'), s('region'), s('postalCode'), s('country'), s('type'), { name: 'primary', type: 'boolean' }]),
  { name: 'groups', type: 'complex', multiValued: true, mutability: 'readOnly', subAttributes: [s('value', { mutability: 'readOnly' }), s('$ref', { mutability: 'readOnly' }), s('display', { mutability: 'readOnly' }), s('type', { mutability: 'readOnly' })] },
  multi('entitlements', typedValue),
  multi('roles', typedValue),
  multi('x509Certificates', typedValue),
];

export const ENTERPRISE_ATTRIBUTES: ScimAttribute[] = [
  s('employeeNumber'), s('costCenter'), s('organization'), s('division'), s('department'),
  { name: 'manager', type: 'complex', subAttributes: [s('value'), s('$ref'), s('displayName', { mutability: 'readOnly' })] },
];

export const GROUP_ATTRIBUTES: ScimAttribute[] = [
  s('displayName', { required: true, uniqueness: 'server' }),
  { name: 'members', type: 'complex', multiValued: true, subAttributes: [s('value', { mutability: 'immutable' }), s('$ref', { mutability: 'immutable' }), s('display', { mutability: 'readOnly' }), s('type', { mutability: 'immutable' })] },
];

export type ScimResourceKind = 'User' | 'Group';

// ---- the console's SCIM Provisioning tab ------------------------------------------------------

export const ScimGroupRow = z.object({
  id: z.string(),
  name: z.string(),
  externalId: z.string().nullable(),
  memberCount: z.number().int(),
  roleId: z.string().nullable(),
  roleName: z.string().nullable(),
  /** The (sub-)organization the group's users belong to; null = the main organization. */
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ScimGroupRow = z.output<typeof ScimGroupRow>;

/** A user in more than one group: flagged, never silently resolved. */
export const ScimConflict = z.object({
  userId: z.string(), name: z.string(), email: z.string(), userName: z.string(), groups: z.array(z.string()),
});

export const ScimOverview = z.object({
  mainOrgId: z.string(),
  mainOrgName: z.string(),
  groups: z.array(ScimGroupRow),
  conflicts: z.array(ScimConflict),
  /** The main organization and its sub-organizations, with their paths (for the group's organization). */
  organizations: z.array(z.object({ id: z.string(), name: z.string(), path: z.string() })),
  scimUsers: z.number().int(),
  /** SCIM users not shown in the Users list: no group, or their group has no role. */
  unlistedUsers: z.number().int(),
  /** Archived SCIM users are deleted after this many days; null = never (the default). */
  archivedRetentionDays: z.number().int().nullable(),
});
export type ScimOverview = z.output<typeof ScimOverview>;

export const MapGroupInput = z.object({
  groupId: Id,
  roleId: z.string({ error: 'scim.role_required' }).min(1, { error: 'scim.role_required' }).nullable(),
  /** Where the group's users belong; null = the main organization. */
  orgId: Id.nullable().default(null),
  baseVersion: z.number().int().optional(),
});

export const ScimSyncChange = z.object({
  userId: z.string(), name: z.string(), email: z.string(), group: z.string(),
  fromRole: z.string(), toRole: z.string(), fromOrg: z.string(), toOrg: z.string(),
});
export type ScimSyncChange = z.output<typeof ScimSyncChange>;

export const ScimSyncResult = z.object({
  changed: z.array(ScimSyncChange),
  unchanged: z.number().int(),
  /** Users in several groups: left as they are and listed. */
  skippedConflicts: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string() })),
  /** Users whose group has no role mapped yet. */
  skippedUnmapped: z.number().int(),
});
export type ScimSyncResult = z.output<typeof ScimSyncResult>;

export const RetentionInput = z.object({
  orgId: Id,
  days: z.number({ error: 'scim.retention_invalid' }).int({ error: 'scim.retention_invalid' })
    .min(1, { error: 'scim.retention_invalid' }).max(3650, { error: 'scim.retention_invalid' }).nullable(),
});

/** One HTTP request to the SCIM server, as the Portal (or a test) hands it to the core. */
export const ScimHttpRequest = z.object({
  authorization: z.string().max(1000).nullable(),
  method: z.string().max(10),
  /** The path below the SCIM base path, e.g. "/Users/123". */
  path: z.string().max(2000),
  /** The raw query string without "?". */
  query: z.string().max(8000).default(''),
  body: z.string().max(SCIM_LIMITS.maxBodyBytes).default(''),
  /** The SCIM base URL as the client sees it (for meta.location and Location). */
  baseUrl: z.string().max(2000),
  ifMatch: z.string().max(200).nullable().default(null),
  ifNoneMatch: z.string().max(200).nullable().default(null),
});
export type ScimHttpRequest = z.output<typeof ScimHttpRequest>;

export const ScimHttpResponse = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type ScimHttpResponse = z.output<typeof ScimHttpResponse>;
