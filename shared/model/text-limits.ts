/**
 * Plain rules about names and emails, without zod: the workers that only check or write spreadsheet
 * rows (the export worker, the directory reader) import these and not the schemas of organization.ts,
 * whose zod costs ~80 ms at every worker start.
 */
export const LIMITS = {
  nameMin: 2,
  nameMax: 100,
  emailMax: 254,
  descriptionMax: 1000,
} as const;

// A pragmatic RFC 5321/5322 subset: what real mail systems accept, no quoted local parts.
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isValidEmail(value: string): boolean {
  if (value.length > LIMITS.emailMax || !EMAIL_RE.test(value)) return false;
  const local = value.slice(0, value.lastIndexOf('@'));
  return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}
