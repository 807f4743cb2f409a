/**
 * The console API: every method once, with its input and output schema.
 * Both transports (Electron IPC in main/shell, loopback HTTP in main/host) serve exactly this,
 * and the renderer calls it through api.call(method, input) without knowing which it has.
 * Adding a feature = an entry here + a core handler + UI.
 */
import { z } from 'zod';
import {
  Actor, GeneralFields, Id, ORG_TYPES, OrgDetail, OrgName, OrgSummary, Email, Language, Country,
  SectorSchema, Description,
} from './model/organization.ts';
import { BrandingView, ImageUpload, Palette } from './model/branding.ts';
import { AuditEntry, AuditFilter } from './model/audit.ts';
import { NewUser, Role, USER_STATUSES, UserIds, UserListQuery, UserRow } from './model/user.ts';
import { ExportResult, ImportOptions } from './model/user-import.ts';
import { Job } from './model/job.ts';

const UiLanguage = z.enum(['en', 'es', 'pt']).default('en');

import { Ok, mutation, query, type Kind } from './contract-kit.ts';
import { authContract } from './contract-auth.ts';
import { identityContract } from './contract-identity.ts';
import { scimContract } from './contract-scim.ts';
import { orgSettingsContract } from './contract-org-settings.ts';
import { productsContract } from './contract-products.ts';
import { apiKeysContract } from './contract-api-keys.ts';
import { directoryContract } from './contract-directory.ts';
import { syncContract } from './contract-sync.ts';
import { syncBatchContract } from './contract-sync-batch.ts';

export const contract = {
  'app.info': query(
    z.object({}),
    z.object({
      version: z.string(),
      dataDir: z.string(),
      profile: Actor,
      organizations: z.number().int(),
      sampleOrganizations: z.number().int(),
    }),
  ),
  'profile.update': mutation(
    z.object({ name: OrgName, email: Email }),
    Actor,
  ),

  'org.tree': query(
    z.object({}),
    z.object({ items: z.array(OrgSummary) }),
  ),
  'org.search': query(
    z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).default(50) }),
    z.object({
      items: z.array(OrgSummary.extend({ path: z.string() })),
    }),
  ),
  'org.get': query(
    z.object({ id: Id }),
    OrgDetail,
  ),
  'org.create': mutation(
    z.object({
      type: z.enum(ORG_TYPES),
      parentId: Id.nullable(),
      name: OrgName,
      email: Email,
      language: Language,
      country: Country,
      sector: SectorSchema,
      description: Description.default(''),
    }),
    z.object({ id: z.string() }),
  ),
  'org.updateGeneral': mutation(
    z.object({
      id: Id,
      /** The version the edit was based on: a field someone else changed since then is a conflict. */
      baseVersion: z.number().int().min(0),
      changes: GeneralFields.partial(),
    }),
    OrgDetail,
  ),
  'org.setPartner': mutation(
    z.object({ id: Id, partnerId: Id }),
    OrgDetail,
  ),
  'org.delete': mutation(
    z.object({ id: Id }),
    Ok,
  ),
  'sample.remove': mutation(
    z.object({}),
    z.object({ removed: z.number().int() }),
  ),

  'branding.get': query(
    z.object({ orgId: Id }),
    BrandingView,
  ),
  'branding.update': mutation(
    z.object({
      orgId: Id,
      baseVersion: z.number().int().min(0),
      logo: ImageUpload.optional(),
      cover: ImageUpload.optional(),
      palette: Palette.optional(),
    }),
    BrandingView,
  ),

  'audit.list': query(
    AuditFilter.extend({
      /** Entries older than this id (keyset pagination, newest first). */
      before: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ items: z.array(AuditEntry), nextBefore: z.number().int().nullable() }),
  ),
  'audit.facets': query(
    z.object({ orgId: Id }),
    z.object({ actors: z.array(Actor), actions: z.array(z.string()) }),
  ),
  'audit.exportCsv': query(
    AuditFilter,
    z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  ),

  'roles.list': query(
    z.object({}),
    z.object({ items: z.array(Role) }),
  ),
  'users.list': query(
    UserListQuery,
    z.object({ total: z.number().int(), items: z.array(UserRow) }),
  ),
  'users.matchingIds': query(
    z.object({ filter: UserListQuery.omit({ sort: true, dir: true, offset: true, limit: true }), except: z.array(z.string()).max(200_000).default([]) }),
    z.object({ ids: z.array(z.string()) }),
  ),
  'users.get': query(
    z.object({ id: Id }),
    UserRow,
  ),
  'users.create': mutation(
    NewUser,
    UserRow,
  ),
  'users.update': mutation(
    z.object({
      id: Id,
      baseVersion: z.number().int().min(0),
      changes: NewUser.pick({ orgId: true, name: true, email: true, roleId: true }).partial(),
    }),
    UserRow,
  ),
  'users.setStatus': mutation(
    // 'pending' is reached only by directory import; activating a pending user accepts it.
    z.object({ ids: UserIds, status: z.enum(USER_STATUSES).exclude(['pending']) }),
    z.object({ changed: z.number().int() }),
  ),
  'users.setEmailLogin': mutation(
    z.object({ ids: UserIds, enabled: z.boolean() }),
    z.object({ changed: z.number().int() }),
  ),
  'users.delete': mutation(
    z.object({ ids: UserIds }),
    z.object({ deleted: z.number().int() }),
  ),

  // Files travel in base64 chunks (both transports carry JSON): begin, append..., then use the id.
  // They never touch the database, so they are queries: an upload does not wait behind an import.
  'files.begin': query(
    z.object({ filename: z.string().min(1).max(255), bytes: z.number().int().min(0) }),
    z.object({ fileId: z.string(), chunkBytes: z.number().int() }),
  ),
  'files.append': query(
    z.object({ fileId: z.string(), offset: z.number().int().min(0), base64: z.string().max(6 * 1024 * 1024) }),
    z.object({ received: z.number().int() }),
  ),
  'files.read': query(
    z.object({ fileId: z.string(), offset: z.number().int().min(0), length: z.number().int().min(1).max(4 * 1024 * 1024) }),
    z.object({ filename: z.string(), mime: z.string(), bytes: z.number().int(), base64: z.string(), eof: z.boolean() }),
  ),
  'files.discard': query(
    z.object({ fileId: z.string() }),
    Ok,
  ),

  'jobs.get': query(
    z.object({ jobId: z.string() }),
    Job,
  ),
  'jobs.cancel': query(
    z.object({ jobId: z.string() }),
    Job,
  ),

  /** Start importing an uploaded file into an organization; progress and result come as job.progress. */
  'users.importStart': query(
    z.object({ orgId: Id, fileId: z.string(), filename: z.string().max(255).optional(), options: ImportOptions, language: UiLanguage }),
    z.object({ jobId: z.string() }),
  ),
  'users.exportStart': query(
    z.object({ orgId: Id, includeSubOrgs: z.boolean().default(false), format: z.enum(['xlsx', 'csv']), language: UiLanguage }),
    z.object({ jobId: z.string() }),
  ),
  'users.template': query(
    z.object({ format: z.enum(['xlsx', 'csv']), language: UiLanguage }),
    ExportResult,
  ),
  ...authContract,
  ...identityContract,
  ...scimContract,
  ...orgSettingsContract,
  ...productsContract,
  ...apiKeysContract,
  ...directoryContract,
  ...syncContract,
  ...syncBatchContract,
} as const;

/** Events pushed from the core to every window. */
export const events = {
  'data.changed': z.object({ orgIds: z.array(z.string()), entities: z.array(z.string()) }),
  /** A job's progress (throttled) and its final state, with its result once done. */
  'job.progress': Job,
} as const;

export type Contract = typeof contract;
export type MethodKind = Kind;
export type Method = keyof Contract;
export type In<M extends Method> = z.input<Contract[M]['input']>;
export type Out<M extends Method> = z.output<Contract[M]['output']>;
export type ParsedIn<M extends Method> = z.output<Contract[M]['input']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** What both transports implement: the preload's window.orgdesk and the renderer's HTTP client. */
export interface Transport {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
}
