import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { generate } from 'otplib';
import { newTotpSecret, otpauthUri, stepAt, totpCode, verifyTotp } from '../../main/core/auth/totp.ts';

// RFC 6238 appendix B: SHA-1, seed "12345678901234567890" (ASCII), 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of the seed
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches the RFC 6238 test vector at T=%i', async (time, expected) => {
    expect(await totpCode(RFC_SECRET, time, 8)).toBe(expected);
    expect(await totpCode(RFC_SECRET, time, 6)).toBe(expected.slice(2));
  });

  it('agrees with oathtool for fresh secrets at many times', async () => {
    for (let i = 0; i < 5; i++) {
      const secret = newTotpSecret();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
      for (const time of [0, 59, 1_700_000_000 + i * 977, 2_000_000_000]) {
        const theirs = execFileSync('oathtool', ['--totp', '-b', secret, '-N', `@${time}`], { encoding: 'utf8' }).trim();
        expect(await totpCode(secret, time)).toBe(theirs);
      }
    }
  });

  it('accepts the current step and one either side, never further, and never a step already used', async () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015;
    const step = stepAt(now);
    const at = (s: number) => totpCode(secret, s * 30);
    expect(await verifyTotp(secret, await at(step), now, null)).toBe(step);
    expect(await verifyTotp(secret, await at(step - 1), now, null)).toBe(step - 1);
    expect(await verifyTotp(secret, await at(step + 1), now, null)).toBe(step + 1);
    expect(await verifyTotp(secret, await at(step - 2), now, null)).toBeNull();
    expect(await verifyTotp(secret, await at(step + 2), now, null)).toBeNull();
    // Replay: the step used last (or any before it) is refused; the next one is fine.
    expect(await verifyTotp(secret, await at(step), now, step)).toBeNull();
    expect(await verifyTotp(secret, await at(step - 1), now, step)).toBeNull();
    expect(await verifyTotp(secret, await at(step + 1), now, step)).toBe(step + 1);
    // A last-used step ahead of the clock (the clock went back) accepts nothing rather than throwing.
    expect(await verifyTotp(secret, await at(step + 1), now, step + 1)).toBeNull();
    expect(await verifyTotp(secret, 'abcdef', now, null)).toBeNull();
    expect(await verifyTotp(secret, '12345', now, null)).toBeNull();
  });

  it('builds the otpauth URI an authenticator app reads, and otplib computes the same codes from it', async () => {
    const secret = newTotpSecret();
    const uri = new URL(otpauthUri(secret, 'Contoso Labs', 'ana@contoso.example'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Contoso Labs:ana@contoso.example');
    expect(uri.searchParams.get('issuer')).toBe('Contoso Labs');
    const fromUri = uri.searchParams.get('secret')!;
    expect(await generate({ secret: fromUri, epoch: 1_700_000_000 })).toBe(await totpCode(secret, 1_700_000_000));
  });
});
