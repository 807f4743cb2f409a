import { describe, expect, it } from 'vitest';
import { backoffDelay, portalOrigin, retryAfterMs } from '../../shared/rules/sync.ts';

describe('sync retry timing', () => {
  it('doubles from the base up to the cap, with half of it jittered', () => {
    expect(backoffDelay(1, 1000, 60_000, 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, 0.999999)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, 1)).toBe(4000);
    expect(backoffDelay(30, 1000, 60_000, 1)).toBe(60_000);
    expect(backoffDelay(500, 1000, 60_000, 0)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date; unreadable or absent leaves the backoff to us', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
  });
});

describe('the Portal address a person types', () => {
  it('is normalized to an http(s) origin', () => {
    expect(portalOrigin('portal.example.com')).toBe('https://portal.example.com');
    expect(portalOrigin(' https://portal.example.com/sync/v1/ ')).toBe('https://portal.example.com');
    expect(portalOrigin('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
  });
  it('refuses other schemes, credentials in the URL and nonsense', () => {
    expect(portalOrigin('ftp://portal.example.com')).toBeNull();
    expect(portalOrigin('javascript:alert(1)')).toBeNull();
    expect(portalOrigin('https://user:pw@portal.example.com')).toBeNull();
    expect(portalOrigin('http://')).toBeNull();
  });
});
