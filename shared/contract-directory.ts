/** The console API of directory import from LDAP / Active Directory (issue #7); merged into shared/contract.ts. */
import { z } from 'zod';
import { Ok, mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import {
  ConnectionTestResult, DirectoryRun, DirectorySource, DirectorySourceInput, MappedPreview, PLAN_KINDS, PendingUser, PlanItem, RUN_MODES,
} from './model/directory.ts';

/** A source's settings as the form holds them; `sourceId` lets a saved source's keychain password be used. */
const SettingsProbe = DirectorySourceInput.extend({ sourceId: Id.optional() });

export const directoryContract = {
  'directory.sources.list': query(z.object({ orgId: Id }), z.array(DirectorySource)),
  /** Create (no id) or update a source; the bind password goes to the OS keychain. */
  'directory.sources.save': mutation(DirectorySourceInput.extend({ id: Id.optional() }), DirectorySource),
  /** Delete a source and its links (the users it imported stay); `confirm` must equal its name. */
  'directory.sources.delete': mutation(z.object({ id: Id, confirm: z.string().max(200) }), Ok),
  /** Bind, read the root DSE, check the base DN and count the users the filter matches. Writes nothing. */
  'directory.testConnection': query(SettingsProbe, ConnectionTestResult),
  /** A few real entries mapped with the form's mapping. Writes nothing. */
  'directory.previewMapping': query(SettingsProbe.extend({ limit: z.number().int().min(1).max(50).default(5) }),
    z.object({ ok: z.boolean(), problem: z.string().nullable(), detail: z.string(), entries: z.array(MappedPreview) })),
  /**
   * Read the directory and plan a run (a job: progress in entries/s, cancellable). Nothing is
   * applied: the run waits in 'previewed' for directory.run.apply, unless `apply` (scheduled-style).
   */
  'directory.run.start': mutation(z.object({ sourceId: Id, mode: z.enum(RUN_MODES).default('full'), apply: z.boolean().default(false) }),
    z.object({ jobId: z.string(), runId: z.string() })),
  'directory.run.get': query(z.object({ runId: Id }), DirectoryRun),
  /** The planned changes of a previewed run, by kind. */
  'directory.run.items': query(
    z.object({ runId: Id, kind: z.enum(PLAN_KINDS).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    z.object({ items: z.array(PlanItem), total: z.number().int() }),
  ),
  /** Apply a previewed run as one all-or-nothing write (a job). Removals above the threshold need `confirmRemovals`. */
  'directory.run.apply': mutation(z.object({ runId: Id, confirmRemovals: z.boolean().default(false) }), z.object({ jobId: z.string() })),
  'directory.run.discard': mutation(z.object({ runId: Id }), DirectoryRun),
  'directory.runs.list': query(z.object({ sourceId: Id, limit: z.number().int().min(1).max(200).default(50) }), z.array(DirectoryRun)),
  /** Users imported from a directory that wait for an administrator (status 'pending'), in the organization's tree. */
  'directory.pending.list': query(
    z.object({ orgId: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    z.object({ items: z.array(PendingUser), total: z.number().int() }),
  ),
  /** Accept pending users (they become active): the given ones, or every pending user of the organization's tree. */
  'directory.pending.accept': mutation(
    z.object({ orgId: Id, ids: z.array(Id).max(200_000).optional(), all: z.boolean().default(false) })
      .refine((v) => v.all || (v.ids?.length ?? 0) > 0, { error: 'directory.accept_select_some', path: ['ids'] }),
    z.object({ accepted: z.number().int() }),
  ),
} as const;
