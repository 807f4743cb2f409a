import { AsyncEntry } from '@napi-rs/keyring';
import type { SecretStore } from './secret-store.ts';

/**
 * The OS keychain through @napi-rs/keyring (Secret Service on Linux, Keychain on macOS,
 * Credential Manager on Windows). keytar, which our users named, is archived since 2022;
 * @napi-rs/keyring is its maintained successor with prebuilt binaries and no compiler step.
 */
export class KeyringSecretStore implements SecretStore {
  private readonly service: string;

  constructor(service = 'Orgdesk') {
    this.service = service;
  }

  // On Linux, require the Secret Service: the library's silent fallback (kernel keyutils) is
  // in memory only and would lose every secret at the next reboot.
  private entry(key: string) {
    return new AsyncEntry(this.service, key, { linux: { store: 'secret-service' } });
  }

  async get(key: string): Promise<string | null> {
    return (await this.entry(key).getPassword()) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.entry(key).setPassword(value);
  }

  async delete(key: string): Promise<boolean> {
    return this.entry(key).deleteCredential();
  }
}
