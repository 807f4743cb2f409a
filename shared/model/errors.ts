import { z } from 'zod';

/** Every error that reaches a user has one of these codes and says what to do. */
export const ERROR_CODES = [
  'BAD_INPUT', // the input does not have the contract's shape or breaks a rule
  'NOT_FOUND',
  'CONFLICT', // someone else changed the same thing; reload and retry
  'FORBIDDEN',
  'UNAUTHORIZED',
  'UNKNOWN_METHOD',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldIssue = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type FieldIssue = z.output<typeof FieldIssue>;

export const AppErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** i18n key of the message, so the renderer can show it in the user's language. */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Per-field problems: field path -> issues. */
  fields: z.record(z.string(), z.array(FieldIssue)).optional(),
});
export type AppErrorShape = z.output<typeof AppErrorShape>;

export type RpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
