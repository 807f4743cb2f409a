/**
 * A console's long mutation as it travels (issue #6, "nothing lost"): an import or a bulk action of
 * thousands of writes commits on the console in the apply worker, and its outbox entries are
 * chunks of at most SYNC_CHUNK_OPS ops, each re-run on the Portal by `users.applyBatch` as one
 * short transaction. Each op is checked on its own there, so a bad one is refused alone.
 */
import { z } from 'zod';
import { Id } from './organization.ts';
import { NewUser, USER_STATUSES } from './user.ts';
import { DirectoryRun } from './directory.ts';
import { SYNC_CHUNK_OPS } from './sync-batch-values.ts';

export { SYNC_CHUNK_OPS } from './sync-batch-values.ts';

/** What the wire schema checks: the op's address. Its values are checked op by op by the handler. */
export const BatchOpWire = z.looseObject({
  entity: z.string().max(60),
  op: z.enum(['create', 'update', 'delete']),
  id: z.string().max(200),
});
export type BatchOpWire = z.output<typeof BatchOpWire>;

/** SCIM users are made by the identity provider only: a console's batch may not create one. */
export const BATCH_USER_SOURCES = ['manual', 'import', 'directory'] as const;

/** A user's fields as users.create checks them, plus what imports and directories also set. */
const UserFields = NewUser.pick({ orgId: true, name: true, email: true, roleId: true }).extend({
  status: z.enum(USER_STATUSES),
  source: z.enum(BATCH_USER_SOURCES),
  emailLoginEnabled: z.boolean().default(false),
});

export const BatchUserOp = z.discriminatedUnion('op', [
  z.object({ entity: z.literal('user'), op: z.literal('create'), id: Id, values: UserFields }),
  z.object({
    entity: z.literal('user'), op: z.literal('update'), id: Id,
    changes: UserFields.omit({ source: true }).extend({ emailLoginEnabled: z.boolean() }).partial()
      .refine((c) => Object.keys(c).length > 0, { error: 'common.bad_input' }),
  }),
  z.object({ entity: z.literal('user'), op: z.literal('delete'), id: Id }),
]);
export type BatchUserOp = z.output<typeof BatchUserOp>;

export const ApplyBatchInput = z.object({
  /** The console's mutation this chunk belongs to (users.import, users.setStatus, ...): the Portal's audit names it. */
  origin: z.string().max(60),
  /** This chunk's place in its mutation (1-based), for people reading the log. */
  part: z.number().int().min(1),
  ops: z.array(BatchOpWire).min(1).max(SYNC_CHUNK_OPS),
});

/** Where the next delta read of a directory starts (main/core/directory/plan.ts DeltaState). */
const DeltaStateWire = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('usn'), usn: z.string().max(40), dnsHostName: z.string().max(300), invocationId: z.string().max(100).nullable() }),
  z.object({ kind: z.literal('timestamp'), modifyTimestamp: z.string().max(40) }),
]);

/** A directory link's fields (a user imported from LDAP / AD and its anchor there). */
const LinkFields = z.object({
  sourceId: Id,
  orgId: Id,
  userId: Id,
  anchor: z.string().min(1).max(200),
  dn: z.string().min(1).max(2000),
  attributes: z.record(z.string().max(100), z.unknown()),
  disabled: z.boolean(),
  missing: z.boolean(),
  statusBefore: z.enum(USER_STATUSES).nullable(),
});

/**
 * What a directory import writes besides its users, by "entity.op": the links, the source's
 * watermark, and the run (a scheduled run is created as data too; see directory/index.ts) with its
 * outcome. Only those fields of a source: the rest is written by directory.sources.save.
 */
export const BATCH_DIRECTORY_OPS = {
  'directoryLink.create': z.object({ entity: z.literal('directoryLink'), op: z.literal('create'), id: Id,
    values: LinkFields.partial({ disabled: true, missing: true, statusBefore: true }) }),
  'directoryLink.update': z.object({ entity: z.literal('directoryLink'), op: z.literal('update'), id: Id,
    changes: LinkFields.omit({ sourceId: true, orgId: true, userId: true, anchor: true }).partial() }),
  'directoryLink.delete': z.object({ entity: z.literal('directoryLink'), op: z.literal('delete'), id: Id }),
  'directorySource.update': z.object({ entity: z.literal('directorySource'), op: z.literal('update'), id: Id,
    changes: z.object({ lastRunAt: z.string().max(40).nullable(), deltaState: DeltaStateWire.nullable() }).partial() }),
  'directoryRun.create': z.object({ entity: z.literal('directoryRun'), op: z.literal('create'), id: Id,
    values: DirectoryRun.omit({ id: true }).extend({ sourceId: Id, orgId: Id, error: z.string().max(2000).nullable() }) }),
  'directoryRun.update': z.object({ entity: z.literal('directoryRun'), op: z.literal('update'), id: Id,
    changes: DirectoryRun.pick({ state: true, finishedAt: true, counts: true, removalsSkipped: true, removalsNeedConfirmation: true, entriesPerSecond: true })
      .extend({ error: z.string().max(2000).nullable() }).partial() }),
};
