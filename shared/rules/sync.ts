/** Pure rules of sync's retry timing (research/sync.md §4.4): no clock of the console decides an order, only when to try again. */

/**
 * The delay before retry number `failures` (1 = the first retry): doubling from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so consoles that lost the Portal together do
 * not come back in step. `random` is in [0, 1).
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds from `nowMs`: delay-seconds or an HTTP date.
 * Absent or unreadable = null (the console's own backoff applies); a past date = 0.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday or month; Date.parse would also take "-5" as a year.
  if (!/[a-z]{3}/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** The Portal URL a person typed, normalized to its origin; null when it is not an http(s) URL. */
export function portalOrigin(input: string): string | null {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.origin;
}

/**
 * Fields an identity provider owns on a row it provisioned (source 'scim'): a console's offline
 * edit of one of them is refused by the Portal (research/sync.md §4.7), since the next SCIM push
 * would overwrite it anyway; the person sees it refused, with the reason.
 */
export const SCIM_MANAGED_FIELDS: readonly string[] = ['name', 'email', 'status'];
