import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../shared/rules/password-policy.ts';
import { COMMON_PASSWORDS } from '../../main/core/auth/common-passwords.ts';
import { translate } from '../../shared/i18n/index.ts';

const check = (password: string, email = 'ana@contoso.example') => passwordProblem(password, email, COMMON_PASSWORDS);

describe('password policy', () => {
  it('wants at least 12 characters, counted as a person counts them', () => {
    expect(check('abcdefghijk')).toBe('auth.password_too_short');
    expect(check('mañana-sol-7')).toBeNull();
    expect(check('🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂')).toBe('auth.password_too_short'); // 11 emoji = 22 UTF-16 units
    expect(check('x'.repeat(1025))).toBe('auth.password_too_long');
  });

  it('refuses the email address and its local part, whatever the case', () => {
    expect(check('Ana@Contoso.example')).toBe('auth.password_is_email');
    expect(check('anapereira01', 'anapereira01@contoso.example')).toBe('auth.password_is_email');
  });

  it('refuses the most common passwords, whatever the case', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(200);
    for (const p of ['password1234', 'Password1234', 'QWERTY123456', '123456789012', '1q2w3e4r5t6y', 'iloveyou1234']) {
      expect(check(p), p).toBe('auth.password_common');
    }
    expect(check('correct horse battery staple 7')).toBeNull();
  });

  it('says each problem in the three languages', () => {
    for (const key of ['auth.password_too_short', 'auth.password_is_email', 'auth.password_common']) {
      for (const lang of ['en', 'es', 'pt'] as const) expect(translate(key, {}, lang)).not.toBe(key);
    }
    expect(translate('auth.password_too_short', {}, 'pt')).toBe('Use pelo menos 12 caracteres.');
  });
});
