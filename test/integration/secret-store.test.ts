import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { KeyringSecretStore } from '../../main/core/secrets/keyring-secret-store.ts';

// The real OS keychain: gnome-keyring's Secret Service under dbus-run-session (scripts/with-test-keyring.sh).
describe('KeyringSecretStore against the real Secret Service', () => {
  const store = new KeyringSecretStore(`Orgdesk-test-${randomBytes(4).toString('hex')}`);

  it('stores, reads, replaces and deletes a secret', async () => {
    const key = 'scim-token:0190a000-0000-7000-8000-000000000001';
    const secret = `tok_${randomBytes(24).toString('base64url')}`;
    expect(await store.get(key)).toBeNull();
    await store.set(key, secret);
    expect(await store.get(key)).toBe(secret);
    // A second store instance (another process start) reads the same item from the keychain.
    expect(await new KeyringSecretStore((store as unknown as { service: string }).service).get(key)).toBe(secret);
    await store.set(key, `${secret}-rotated`);
    expect(await store.get(key)).toBe(`${secret}-rotated`);
    expect(await store.delete(key)).toBe(true);
    expect(await store.get(key)).toBeNull();
  });

  it('keeps secrets of different keys apart, including unicode', async () => {
    await store.set('a', 'première clé 🔑');
    await store.set('b', 'second');
    expect(await store.get('a')).toBe('première clé 🔑');
    expect(await store.get('b')).toBe('second');
    await store.delete('a');
    await store.delete('b');
  });
});
