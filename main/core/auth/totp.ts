/**
 * TOTP (RFC 6238) for authenticator apps, through otplib: SHA-1, six digits, 30-second steps.
 * A code is accepted for the current step and one step either side, never for a step at or before
 * the last one this user already used (no replay). otplib compares codes in constant time.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD = 30;

/** A new authenticator secret: 20 random bytes (160 bits), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function stepAt(epochSeconds: number): number {
  return Math.floor(epochSeconds / TOTP_PERIOD);
}

/** The six-digit code for a time (seconds since the epoch). */
export function totpCode(secret: string, epochSeconds: number, digits: 6 | 8 = 6): Promise<string> {
  return generate({ secret, epoch: epochSeconds, digits, period: TOTP_PERIOD });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret, period: TOTP_PERIOD, digits: 6 });
}

/**
 * The step a code was made for, if it is right for now ±1 step and later than `afterStep`
 * (the last step used); null otherwise.
 */
export async function verifyTotp(secret: string, code: string, epochSeconds: number, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const current = stepAt(epochSeconds);
  // otplib refuses an afterTimeStep beyond its window (a clock that went back): nothing can match then.
  if (afterStep !== null && afterStep >= current + 1) return null;
  const result = await verify({
    secret, token: code, epoch: epochSeconds, period: TOTP_PERIOD, epochTolerance: TOTP_PERIOD,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
