import { describe, expect, it } from 'vitest';
import {
  API_OPERATIONS, ROLE_IDS, apiKeyExpiresAt, apiRoleMayAssign, apiKeyStatus, apiRoleAllows, bearerToken, parseApiKey, takeToken,
} from '../../shared/rules/api-keys.ts';
import { ApiKeyExpiry, NewApiKey } from '../../shared/model/api-keys.ts';
import { translate } from '../../shared/i18n/index.ts';

const now = new Date('2026-11-23T10:00:00.000Z');

describe('API key status, computed from its dates', () => {
  it('is active before the expiry, expired from the expiry instant on', () => {
    const key = { expiresAt: '2026-11-23T10:00:01.000Z', revokedAt: null };
    expect(apiKeyStatus(key, now)).toBe('active');
    expect(apiKeyStatus(key, new Date('2026-11-23T10:00:01.000Z'))).toBe('expired');
    expect(apiKeyStatus(key, new Date('2027-01-01T00:00:00.000Z'))).toBe('expired');
  });
  it('is revoked once revoked, whether or not it has expired since', () => {
    const key = { expiresAt: '2026-12-01T00:00:00.000Z', revokedAt: '2026-11-20T00:00:00.000Z' };
    expect(apiKeyStatus(key, now)).toBe('revoked');
    expect(apiKeyStatus(key, new Date('2027-06-01T00:00:00.000Z'))).toBe('revoked');
  });
});

describe('API key expiry from the chosen duration', () => {
  it('counts preset days exactly from creation', () => {
    for (const days of [30, 90, 180, 365] as const) {
      const r = apiKeyExpiresAt({ kind: 'days', days }, now);
      expect(r).toEqual({ ok: true, expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString() });
    }
  });
  it('runs a chosen date through the end of that day (UTC)', () => {
    expect(apiKeyExpiresAt({ kind: 'date', date: '2026-11-24' }, now)).toEqual({ ok: true, expiresAt: '2026-11-24T23:59:59.999Z' });
    expect(apiKeyExpiresAt({ kind: 'date', date: '2028-02-29' }, now)).toEqual({ ok: true, expiresAt: '2028-02-29T23:59:59.999Z' });
  });
  it('refuses today, the past, impossible dates and dates past the longest life', () => {
    expect(apiKeyExpiresAt({ kind: 'date', date: '2026-11-23' }, now)).toEqual({ ok: false, key: 'apiKey.date_past' });
    expect(apiKeyExpiresAt({ kind: 'date', date: '2020-01-01' }, now)).toEqual({ ok: false, key: 'apiKey.date_past' });
    expect(apiKeyExpiresAt({ kind: 'date', date: '2027-02-30' }, now)).toEqual({ ok: false, key: 'apiKey.date_invalid' });
    expect(apiKeyExpiresAt({ kind: 'date', date: '2030-01-01' }, now)).toMatchObject({ ok: false, key: 'apiKey.date_too_far', params: { days: 730 } });
    expect(translate('apiKey.date_too_far', { days: 730 }, 'es')).toBe('Una clave puede durar como máximo 730 días.');
  });
  it('accepts only the offered durations', () => {
    expect(ApiKeyExpiry.safeParse({ kind: 'days', days: 90 }).success).toBe(true);
    const bad = ApiKeyExpiry.safeParse({ kind: 'days', days: 45 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('apiKey.duration_invalid');
    expect(ApiKeyExpiry.safeParse({ kind: 'date', date: '24/11/2026' }).error?.issues[0]?.message).toBe('apiKey.date_invalid');
  });
  it('asks for a name and a role with per-field messages', () => {
    const r = NewApiKey.safeParse({ orgId: '0190a1b2-0000-7000-8000-000000000001', name: '  ', roleId: '', expiry: { kind: 'days', days: 30 } });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byField).toEqual({ name: 'apiKey.name_required', roleId: 'apiKey.role_required' });
  });
});

describe('what each role may do through the REST API', () => {
  it('lets Read-only read and nothing else', () => {
    expect(API_OPERATIONS.filter((op) => apiRoleAllows(ROLE_IDS.readOnly, op))).toEqual(['organizations.read', 'users.read']);
  });
  it('lets an Operator read, write and import users', () => {
    expect(API_OPERATIONS.filter((op) => apiRoleAllows(ROLE_IDS.operator, op))).toEqual(['organizations.read', 'users.read', 'users.write', 'users.import']);
  });
  it('lets an Organization Administrator do everything', () => {
    expect(API_OPERATIONS.every((op) => apiRoleAllows(ROLE_IDS.administrator, op))).toBe(true);
  });
  it('lets an unknown role do nothing', () => {
    expect(API_OPERATIONS.some((op) => apiRoleAllows('00000000-0000-7000-8000-0000000000ff', op))).toBe(false);
  });
});

describe('no escalation through a key', () => {
  const { administrator, operator, readOnly } = ROLE_IDS;
  const custom = '00000000-0000-7000-8000-0000000000ff';
  it('hands out roles up to its own', () => {
    expect([readOnly, operator, administrator].map((r) => apiRoleMayAssign(operator, r))).toEqual([true, true, false]);
    expect([readOnly, operator, administrator].map((r) => apiRoleMayAssign(administrator, r))).toEqual([true, true, true]);
    expect(apiRoleMayAssign(readOnly, readOnly)).toBe(true);
    expect(apiRoleMayAssign(readOnly, operator)).toBe(false);
  });
  it('treats a role it does not know as an administrator\'s, and a key of an unknown role as the lowest', () => {
    expect(apiRoleMayAssign(administrator, custom)).toBe(true);
    expect(apiRoleMayAssign(operator, custom)).toBe(false);
    expect(apiRoleMayAssign(custom, readOnly)).toBe(false);
  });
});

describe('the key format and the bearer header', () => {
  const key = `odk_abcdefghij234567_${'A'.repeat(40)}-_x`;
  it('finds the public key ID of a well-formed key only', () => {
    expect(parseApiKey(key)).toEqual({ keyId: 'abcdefghij234567' });
    expect(parseApiKey(key.slice(0, -1))).toBeNull();
    expect(parseApiKey(key.replace('odk_', 'odx_'))).toBeNull();
    expect(parseApiKey(key.replace('abcdefghij234567', 'ABCDEFGHIJ234567'))).toBeNull();
    expect(parseApiKey(`${key} `)).toBeNull();
  });
  it('reads Authorization: Bearer <key>, any case of the scheme', () => {
    expect(bearerToken(`Bearer ${key}`)).toBe(key);
    expect(bearerToken(`bearer ${key}`)).toBe(key);
    expect(bearerToken(`Basic ${key}`)).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(`Bearer ${key} extra`)).toBeNull();
  });
});

describe('the per-key token bucket', () => {
  const config = { capacity: 3, refillPerSecond: 0.5 };
  it('allows a burst of its capacity, then refuses with the seconds until the next token', () => {
    let state;
    for (let i = 0; i < 3; i++) {
      const r = takeToken(state, 1000, config);
      expect(r.allowed).toBe(true);
      state = r.state;
    }
    const refused = takeToken(state, 1000, config);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 2 });
    // One second later half a token is back: still refused, one more second to wait.
    const later = takeToken(refused.state, 2000, config);
    expect(later).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(takeToken(later.state, 3000, config).allowed).toBe(true);
  });
  it('never holds more than its capacity, however long it idles', () => {
    let r = takeToken(undefined, 0, config);
    r = takeToken(r.state, 3_600_000, config);
    expect(r).toMatchObject({ allowed: true, remaining: 2 });
  });
});

describe('API key messages', () => {
  it('exist in Spanish and Portuguese for every English key, with the same placeholders', async () => {
    const { apiKeysMessages } = await import('../../shared/i18n/api-keys.ts');
    const flat = (o: object, prefix = ''): Record<string, string> => Object.fromEntries(Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flat(v as object, `${prefix}${k}.`))));
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const en = flat(apiKeysMessages.en);
    for (const lang of ['es', 'pt'] as const) {
      const other = flat(apiKeysMessages[lang]);
      expect(Object.keys(other).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) expect(placeholders(other[key]!), `${lang} ${key}`).toEqual(placeholders(text));
    }
  });
});
