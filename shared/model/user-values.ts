/**
 * A user's possible statuses and sources as plain lists, without zod: the spreadsheet rules (and so
 * the export worker) need them, not the schemas of user.ts.
 */
export const USER_STATUSES = ['active', 'pending', 'deactivated', 'archived'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const USER_SOURCES = ['manual', 'import', 'scim', 'directory'] as const;
export type UserSource = (typeof USER_SOURCES)[number];
