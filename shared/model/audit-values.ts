/** What worker threads need of audit.ts, without zod (see organization-values.ts). */

/** What a value of a secret field turns into before it is written to the audit log. */
export const REDACTED = '[redacted]';
