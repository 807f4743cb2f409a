/** Directory import from LDAP / Active Directory (issue #7): sources, mapping, runs and their plans. */
import { z } from 'zod';
import { Id } from './organization.ts';

export const DIRECTORY_KINDS = ['activeDirectory', 'openldap'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];
/** ldaps: TLS from the first byte (636); startTls: upgrade on 389; none: only for lab directories. */
export const DIRECTORY_SECURITY = ['ldaps', 'startTls', 'none'] as const;

const AttributeName = z.string().trim().max(100)
  .regex(/^(?:[A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|\d+(?:\.\d+)+)?$/, { error: 'directory.attribute_invalid' });
const RequiredAttribute = AttributeName.min(1, { error: 'directory.attribute_required' });

export const AttributeMapping = z.object({
  /** The immutable key: objectGUID (AD, binary) or entryUUID (OpenLDAP). Never DN or email. */
  anchor: RequiredAttribute,
  email: RequiredAttribute,
  displayName: AttributeName,
  givenName: AttributeName,
  surname: AttributeName,
  login: AttributeName,
  department: AttributeName,
  title: AttributeName,
  phone: AttributeName,
  manager: AttributeName,
  /** userAccountControl (bit 2) on AD; empty where the directory has no disabled flag. */
  disabled: AttributeName,
  memberOf: AttributeName,
});
export type AttributeMapping = z.output<typeof AttributeMapping>;

export const MAPPING_PRESETS: Record<DirectoryKind, AttributeMapping> = {
  activeDirectory: {
    anchor: 'objectGUID', email: 'mail', displayName: 'displayName', givenName: 'givenName', surname: 'sn',
    login: 'userPrincipalName', department: 'department', title: 'title', phone: 'telephoneNumber', manager: 'manager',
    disabled: 'userAccountControl', memberOf: 'memberOf',
  },
  openldap: {
    anchor: 'entryUUID', email: 'mail', displayName: 'cn', givenName: 'givenName', surname: 'sn',
    login: 'uid', department: 'departmentNumber', title: 'title', phone: 'telephoneNumber', manager: 'manager',
    disabled: '', memberOf: '',
  },
};

export const FILTER_PRESETS: Record<DirectoryKind, { user: string; group: string; port: Record<(typeof DIRECTORY_SECURITY)[number], number> }> = {
  activeDirectory: {
    user: '(&(objectCategory=person)(objectClass=user))', group: '(objectClass=group)',
    port: { ldaps: 636, startTls: 389, none: 389 },
  },
  openldap: {
    user: '(objectClass=inetOrgPerson)', group: '(objectClass=groupOfNames)',
    port: { ldaps: 636, startTls: 389, none: 389 },
  },
};

const Filter = z.string().trim().max(2000)
  .refine((s) => s === '' || /^\(.*\)$/s.test(s), { error: 'directory.filter_invalid' });

export const DirectorySourceInput = z.object({
  orgId: Id,
  name: z.string().trim().min(1, { error: 'directory.name_required' }).max(100, { error: 'directory.name_too_long' }),
  kind: z.enum(DIRECTORY_KINDS),
  host: z.string().trim().min(1, { error: 'directory.host_required' }).max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'directory.host_invalid' }),
  port: z.number({ error: 'directory.port_invalid' }).int({ error: 'directory.port_invalid' })
    .min(1, { error: 'directory.port_invalid' }).max(65535, { error: 'directory.port_invalid' }),
  security: z.enum(DIRECTORY_SECURITY),
  /** PEM of the CA that signed the directory's certificate; empty = the system's trusted CAs. */
  caCertificate: z.string().max(100_000).default('')
    .refine((s) => s.trim() === '' || s.includes('-----BEGIN CERTIFICATE-----'), { error: 'directory.ca_invalid' }),
  bindDn: z.string().trim().max(1000).default(''),
  /** Write-only: undefined keeps the stored one, '' removes it. Kept in the OS keychain. */
  bindPassword: z.string().max(1000).optional(),
  baseDn: z.string().trim().min(1, { error: 'directory.base_dn_required' }).max(1000),
  userFilter: Filter.default(''),
  groupFilter: Filter.default(''),
  pageSize: z.number().int().min(1, { error: 'directory.page_size_invalid' }).max(10_000, { error: 'directory.page_size_invalid' }).default(500),
  connectTimeoutMs: z.number().int().min(500).max(120_000).default(5_000),
  timeoutMs: z.number().int().min(500).max(600_000).default(30_000),
  mapping: AttributeMapping,
  /** Removals above this count or percent of linked users wait for an administrator. */
  removalThresholdCount: z.number().int().min(0).max(1_000_000).default(500),
  removalThresholdPercent: z.number().int().min(0).max(100).default(10),
  /** Groups mapped to roles, in priority order (a member of several gets the first one's role); empty = roles are not managed. */
  groupRoles: z.array(z.object({
    groupDn: z.string().trim().min(1, { error: 'directory.group_dn_required' }).max(1000),
    roleId: z.string().min(1, { error: 'user.role_required' }),
  })).max(50).default([]),
  /** Minutes between scheduled runs while the console is open; 0 = on demand only. */
  scheduleMinutes: z.number().int().min(0).max(10_080).default(0),
  /**
   * What a console's sync recorded instead of the bind password (which stays in its keychain):
   * whether one is stored. Accepted only when the Portal re-runs the change.
   */
  recorded: z.object({ hasPassword: z.boolean() }).optional(),
});
export type DirectorySourceInput = z.input<typeof DirectorySourceInput>;

export const DirectorySource = DirectorySourceInput.omit({ bindPassword: true, recorded: true }).extend({
  id: z.string(),
  hasPassword: z.boolean(),
  lastRunAt: z.string().nullable(),
  linkedUsers: z.number().int(),
  version: z.number().int(),
});
export type DirectorySource = z.output<typeof DirectorySource>;

export const CONNECTION_PROBLEMS = [
  'unreachable', 'timeout', 'tls_untrusted', 'tls_hostname', 'tls_failed', 'invalid_credentials', 'strong_auth_required',
  'base_dn_not_found', 'group_not_found', 'size_limit', 'page_size_too_large', 'filter_invalid', 'insufficient_access', 'password_missing', 'other',
] as const;
export type ConnectionProblem = (typeof CONNECTION_PROBLEMS)[number];

export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  problem: z.enum(CONNECTION_PROBLEMS).nullable(),
  /** The server's own words (result code, TLS error), for the technician. */
  detail: z.string(),
  vendor: z.string(),
  namingContexts: z.array(z.string()),
  /** Users that match the filter under the base DN (counted by a paged read of no attributes). */
  userCount: z.number().int().nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.output<typeof ConnectionTestResult>;

export const MappedPreview = z.object({
  dn: z.string(),
  anchor: z.string(),
  name: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  attributes: z.record(z.string(), z.string()),
  problem: z.string().nullable(),
});
export type MappedPreview = z.output<typeof MappedPreview>;

export const RUN_STATES = ['running', 'previewed', 'awaiting_confirmation', 'applied', 'discarded', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const RUN_MODES = ['full', 'delta'] as const;

export const RunCounts = z.object({
  read: z.number().int(),
  creates: z.number().int(),
  updates: z.number().int(),
  disables: z.number().int(),
  enables: z.number().int(),
  removals: z.number().int(),
  unchanged: z.number().int(),
  errors: z.number().int(),
});
export type RunCounts = z.output<typeof RunCounts>;

export const DirectoryRun = z.object({
  id: z.string(),
  sourceId: z.string(),
  orgId: z.string(),
  mode: z.enum(RUN_MODES),
  trigger: z.enum(['manual', 'schedule']),
  state: z.enum(RUN_STATES),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: RunCounts,
  /** Removals were left out because the read was empty (a directory never empties by accident). */
  removalsSkipped: z.boolean(),
  removalsNeedConfirmation: z.boolean(),
  error: z.string().nullable(),
  entriesPerSecond: z.number(),
});
export type DirectoryRun = z.output<typeof DirectoryRun>;

export const PLAN_KINDS = ['create', 'update', 'disable', 'enable', 'remove', 'error'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PlanItem = z.object({
  kind: z.enum(PLAN_KINDS),
  dn: z.string(),
  name: z.string(),
  email: z.string(),
  /** field -> [before, after] for updates. */
  changes: z.record(z.string(), z.tuple([z.string(), z.string()])),
  problem: z.string().nullable(),
});
export type PlanItem = z.output<typeof PlanItem>;

export const PendingUser = z.object({ id: z.string(), name: z.string(), email: z.string(), dn: z.string(), createdAt: z.string() });

export const RunId = Id;
export const SourceId = Id;
