/**
 * Where secrets (SIP passwords, tokens) are kept: never in the settings file. Backends: the OS
 * keyring (keyring-secrets.ts), Electron safeStorage (in the Electron shell), or a separate
 * `secrets.json` with mode 0600 (file-secrets.ts). Every UI says which one is in use (`info`).
 */
import type { SecretStoreInfo } from '../../shared/model/profile.ts';

export interface SecretStore {
  readonly info: SecretStoreInfo;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** The key of one profile's secret: `profile/NAME/password`. */
export function profileSecretKey(profile: string, which: string): string {
  return `profile/${profile}/${which}`;
}

/** A secrets store in memory (unit tests, and a fallback when nothing can be written). */
export class MemorySecrets implements SecretStore {
  readonly info: SecretStoreInfo = { kind: 'file', description: 'memory only (not saved)' };
  private readonly data = new Map<string, string>();
  get(key: string): string | undefined {
    return this.data.get(key);
  }
  set(key: string, value: string): void {
    this.data.set(key, value);
  }
  delete(key: string): void {
    this.data.delete(key);
  }
}
