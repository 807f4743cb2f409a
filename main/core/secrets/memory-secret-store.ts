import type { SecretStore } from './secret-store.ts';

/** For tools and tests that must not touch the user's keychain (benchmarks, unit tests). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string) { return this.values.get(key) ?? null; }
  async set(key: string, value: string) { this.values.set(key, value); }
  async delete(key: string) { return this.values.delete(key); }
}
