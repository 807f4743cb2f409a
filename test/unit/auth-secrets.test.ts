import { describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Count the constant-time comparisons: sameSecret must go through crypto.timingSafeEqual.
const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.n++;
      return real.timingSafeEqual(a, b);
    },
  };
});

const { hashPassword, looksLikeRecoveryCode, newRecoveryCode, normalizeRecoveryCode, randomToken, sameSecret, sha256, verifyPassword } =
  await import('../../main/core/auth/secrets.ts');
const { lockDurationMs } = await import('../../main/core/auth/portal-handlers.ts');
const { linkUrl } = await import('../../main/core/auth/links.ts');

describe('sign-in secrets', () => {
  it('compares secrets in constant time, for equal and unequal lengths', () => {
    calls.n = 0;
    expect(sameSecret(sha256('a'), sha256('a'))).toBe(true);
    expect(sameSecret(sha256('a'), sha256('b'))).toBe(false);
    expect(sameSecret('short', 'longer value')).toBe(false);
    expect(calls.n).toBe(3);
  });

  it('never compares a hash or token with === in the auth code', () => {
    const dir = join(import.meta.dirname, '../../main/core/auth');
    for (const name of readdirSync(dir)) {
      const source = readFileSync(join(dir, name), 'utf8');
      expect(source, name).not.toMatch(/(_hash|Hash|token)\s*[!=]==/);
      expect(source, name).not.toMatch(/[!=]==\s*(sha256|typed|hash)\b/);
    }
  });

  it('hashes passwords with scrypt, salted, and verifies them', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    calls.n = 0;
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$garbage')).toBe(false);
    expect(calls.n).toBe(4);
  });

  it('makes 256-bit link and session tokens and 100-bit recovery codes', () => {
    const tokens = new Set(Array.from({ length: 100 }, randomToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    const code = newRecoveryCode();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){3}$/);
    expect(normalizeRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(looksLikeRecoveryCode(code)).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(linkUrl('https://portal.example/', 'abc')).toBe('https://portal.example/set-password?token=abc');
  });

  it('locks after five failures, for 1 minute, then doubling, at most a day', () => {
    expect([1, 4, 5, 6, 7, 8].map(lockDurationMs)).toEqual([0, 0, 60_000, 120_000, 240_000, 480_000]);
    expect(lockDurationMs(40)).toBe(24 * 3_600_000);
  });
});
