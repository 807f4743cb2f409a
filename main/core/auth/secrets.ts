/**
 * The small cryptographic toolbox of sign-in: random tokens, hashes, constant-time comparison, and
 * password hashing with scrypt. Every comparison of a secret (or of its hash) goes through
 * `sameSecret`, which runs in time independent of where the inputs differ.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A 256-bit random token, base64url (43 characters): links and sessions. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, hex: what the database keeps of a link, session or recovery code. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (of a secret or its hash). Different lengths are unequal. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself so the time does not depend on b.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I
/** A recovery code: 20 characters from a 32-letter alphabet (100 bits), shown as XXXXX-XXXXX-XXXXX-XXXXX. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
/** What a typed recovery code is compared as: upper case, no spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[A-Z2-9]{20}$/.test(normalizeRecoveryCode(code));
}

// scrypt: N = 2^15, r = 8, p = 1 (about 32 MB and ~50-100 ms), 16-byte salt, 32-byte key.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };
const scrypt = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keyLength, options, (e, key) => (e ? reject(e) : resolve(key))));

/** `scrypt$N$r$p$salt$key` (base64url parts): the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Check a password against a stored hash; a null hash still costs one scrypt (no timing hint). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const valid = parts.length === 6 && parts[0] === 'scrypt';
  const N = valid ? Number(parts[1]) : SCRYPT.N;
  const r = valid ? Number(parts[2]) : SCRYPT.r;
  const p = valid ? Number(parts[3]) : SCRYPT.p;
  const salt = valid ? Buffer.from(parts[4]!, 'base64url') : randomBytes(16);
  const expected = valid ? Buffer.from(parts[5]!, 'base64url') : randomBytes(SCRYPT.keyLength);
  if (!(N > 1 && N <= 2 ** 20 && r > 0 && r <= 32 && p > 0 && p <= 16)) return false;
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 256 * N * r });
  return timingSafeEqual(key, expected) && valid;
}
