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

const Ok = z.object({ ok: z.literal(true) });

export const contract = {
  'app.info': {
    input: z.object({}),
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      profile: Actor,
      organizations: z.number().int(),
      sampleOrganizations: z.number().int(),
    }),
  },
  'profile.update': {
    input: z.object({ name: OrgName, email: Email }),
    output: Actor,
  },

  'org.tree': {
    input: z.object({}),
    output: z.object({ items: z.array(OrgSummary) }),
  },
  'org.search': {
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({
      items: z.array(OrgSummary.extend({ path: z.string() })),
    }),
  },
  'org.get': {
    input: z.object({ id: Id }),
    output: OrgDetail,
  },
  'org.create': {
    input: z.object({
      type: z.enum(ORG_TYPES),
      parentId: Id.nullable(),
      name: OrgName,
      email: Email,
      language: Language,
      country: Country,
      sector: SectorSchema,
      description: Description.default(''),
    }),
    output: z.object({ id: z.string() }),
  },
  'org.updateGeneral': {
    input: z.object({
      id: Id,
      /** The version the edit was based on: a field someone else changed since then is a conflict. */
      baseVersion: z.number().int().min(0),
      changes: GeneralFields.partial(),
    }),
    output: OrgDetail,
  },
  'org.setPartner': {
    input: z.object({ id: Id, partnerId: Id }),
    output: OrgDetail,
  },
  'org.delete': {
    input: z.object({ id: Id }),
    output: Ok,
  },
  'sample.remove': {
    input: z.object({}),
    output: z.object({ removed: z.number().int() }),
  },

  'branding.get': {
    input: z.object({ orgId: Id }),
    output: BrandingView,
  },
  'branding.update': {
    input: z.object({
      orgId: Id,
      baseVersion: z.number().int().min(0),
      logo: ImageUpload.optional(),
      cover: ImageUpload.optional(),
      palette: Palette.optional(),
    }),
    output: BrandingView,
  },

  'audit.list': {
    input: AuditFilter.extend({
      /** Entries older than this id (keyset pagination, newest first). */
      before: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ items: z.array(AuditEntry), nextBefore: z.number().int().nullable() }),
  },
  'audit.facets': {
    input: z.object({ orgId: Id }),
    output: z.object({ actors: z.array(Actor), actions: z.array(z.string()) }),
  },
  'audit.exportCsv': {
    input: AuditFilter,
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  },
} as const;

/** Events pushed from the core to every window. */
export const events = {
  'data.changed': z.object({ orgIds: z.array(z.string()), entities: z.array(z.string()) }),
} as const;

export type Contract = typeof contract;
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
