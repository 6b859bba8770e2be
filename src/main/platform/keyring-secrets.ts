/**
 * Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
 * Windows) through `@napi-rs/keyring`, an optional dependency: loaded only when present, and used
 * only when a probe write/read/delete succeeds (no D-Bus secret service → not reachable).
 */
import { createRequire } from 'node:module';
import type { SecretStoreInfo } from '../../shared/model/profile.ts';
import type { SecretStore } from './secret-store.ts';

const SERVICE = 'trunkscope';

interface KeyringEntry {
  getPassword(): string | null | undefined;
  setPassword(value: string): void;
  deletePassword(): boolean;
}
type EntryCtor = new (service: string, account: string) => KeyringEntry;

export class KeyringSecrets implements SecretStore {
  readonly info: SecretStoreInfo = { kind: 'keyring', description: `OS keyring (service "${SERVICE}")` };
  private readonly Entry: EntryCtor;

  private constructor(Entry: EntryCtor) {
    this.Entry = Entry;
  }

  /** The keyring when reachable, else why not. */
  static open(): { store: KeyringSecrets } | { unavailable: string } {
    let Entry: EntryCtor;
    try {
      const mod = createRequire(import.meta.url)('@napi-rs/keyring') as { Entry: EntryCtor };
      Entry = mod.Entry;
    } catch (err) {
      return { unavailable: `@napi-rs/keyring not loadable (${(err as Error).message.split('\n')[0]})` };
    }
    try {
      const probe = new Entry(SERVICE, '.probe');
      probe.setPassword('probe');
      const back = probe.getPassword();
      probe.deletePassword();
      if (back !== 'probe') return { unavailable: 'the keyring did not return what was stored' };
    } catch (err) {
      return { unavailable: `no OS keyring reachable (${(err as Error).message})` };
    }
    return { store: new KeyringSecrets(Entry) };
  }

  get(key: string): string | undefined {
    return new this.Entry(SERVICE, key).getPassword() ?? undefined;
  }

  set(key: string, value: string): void {
    new this.Entry(SERVICE, key).setPassword(value);
  }

  delete(key: string): void {
    try {
      new this.Entry(SERVICE, key).deletePassword();
    } catch {
      // Nothing stored under that key.
    }
  }
}
