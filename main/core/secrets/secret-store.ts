/**
 * Where secrets live: the OS keychain on the console (never SQLite, which keeps only a reference).
 * Keys are `<kind>:<id>`, e.g. `scim-token:<connection id>`.
 */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}
