/**
 * The password rule end users meet on the Portal's set-password page: at least 12 characters, not
 * the email address (nor its local part), not one of the most common passwords. Returns the i18n
 * key of the first problem, or null. Pure: the caller passes the common-password list.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export type PasswordProblem = 'auth.password_too_short' | 'auth.password_too_long' | 'auth.password_is_email' | 'auth.password_common';

export function passwordProblem(password: string, email: string, common: ReadonlySet<string>): PasswordProblem | null {
  // Count characters as a person does (code points), not UTF-16 units.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'auth.password_too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'auth.password_too_long';
  const folded = password.trim().toLowerCase();
  const mail = email.trim().toLowerCase();
  const local = mail.split('@')[0] ?? '';
  if (folded === mail || (local.length > 0 && folded === local)) return 'auth.password_is_email';
  if (common.has(folded)) return 'auth.password_common';
  return null;
}
