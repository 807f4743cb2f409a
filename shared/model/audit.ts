import { z } from 'zod';
import { Actor } from './organization.ts';

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: Actor,
  orgId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  targetLabel: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.output<typeof AuditEntry>;

export { REDACTED } from './audit-values.ts';

export const AuditFilter = z.object({
  orgId: z.string().uuid(),
  actorId: z.string().optional(),
  action: z.string().optional(),
  /** Every action of one area ("reports."): what a tab's "View audit log" opens. */
  actionPrefix: z.string().max(60).optional(),
  /** ISO dates (inclusive) in UTC: 2026-11-23 or a full timestamp. */
  from: z.string().optional(),
  to: z.string().optional(),
});
export type AuditFilter = z.output<typeof AuditFilter>;
