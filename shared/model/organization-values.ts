/**
 * Plain rules about names and emails, without zod. The *-values.ts modules of shared/model hold what
 * worker threads need of a model (the export, apply and directory-read workers): loading zod costs
 * ~80 ms at every worker start. The model modules re-export them.
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
