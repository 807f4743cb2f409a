import { z } from 'zod';

/** The Flexopus users-import options, plus "apply only if every row is valid". */
export const ImportOptions = z.object({
  update: z.boolean().default(false),
  deactivate: z.boolean().default(false),
  restore: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  allOrNothing: z.boolean().default(false),
});
export type ImportOptions = z.output<typeof ImportOptions>;

export const ImportPreviewRow = z.object({
  row: z.number().int(),
  action: z.enum(['create', 'update', 'restore', 'skip', 'error']),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  organization: z.string(),
  /** Fields an update changes. */
  changes: z.array(z.string()),
  messages: z.array(z.string()),
});
export type ImportPreviewRow = z.output<typeof ImportPreviewRow>;

/**
 * Flexopus's result shape (row indices are the file's row numbers; `deleted` counts the users
 * deactivated because they were not in the file), plus what the console shows around it.
 */
export const ImportResult = z.object({
  dryRun: z.boolean(),
  created: z.array(z.number().int()),
  updated: z.array(z.number().int()),
  /** Deactivated users present in the file and brought back ("restore"); also listed in `updated`, as Flexopus counts them. */
  restored: z.array(z.number().int()),
  deleted: z.number().int(),
  skipped: z.array(z.number().int()),
  errors: z.array(z.number().int()),
  errorMessages: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  rows: z.number().int(),
  filename: z.string(),
  /** False for a dry run, or when "apply only if every row is valid" found errors. */
  applied: z.boolean(),
  preview: z.array(ImportPreviewRow),
  notices: z.array(z.string()),
  unknownColumns: z.array(z.string()),
  /** The .xlsx of the failed rows with an Errors column (read it with files.read). */
  errorReportFileId: z.string().nullable(),
});
export type ImportResult = z.output<typeof ImportResult>;

export const ExportResult = z.object({
  fileId: z.string(),
  filename: z.string(),
  bytes: z.number().int(),
  rows: z.number().int(),
});
export type ExportResult = z.output<typeof ExportResult>;
