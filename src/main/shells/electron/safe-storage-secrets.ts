/**
 * Secrets through Electron's safeStorage (Keychain / DPAPI / libsecret-wrapped key): ciphertexts
 * in `secrets.safe.json` (mode 0600) in the config folder. The app prefers the OS keyring (shared
 * with the CLI), then safeStorage, then the plain 0600 file. The CLI cannot decrypt safeStorage
 * ciphertexts: passwords saved that way are the app's only.
 */
import { safeStorage } from 'electron';
import { FileSecrets, openSecrets, type SecretStore } from '../../engine/index.ts';

export class SafeStorageSecrets implements SecretStore {
  readonly info = { kind: 'safe-storage' as const, description: 'Electron safeStorage (OS-encrypted), secrets.safe.json' };
  private readonly file: FileSecrets;

  constructor(dir: string) {
    this.file = new FileSecrets(dir, 'secrets.safe.json', 'secrets.safe');
  }

  get(key: string): string | undefined {
    const b64 = this.file.get(key);
    if (b64 === undefined) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(b64, 'base64'));
    } catch {
      return undefined;
    }
  }

  set(key: string, value: string): void {
    this.file.set(key, safeStorage.encryptString(value).toString('base64'));
  }

  delete(key: string): void {
    this.file.delete(key);
  }
}

/** The app's secrets store: the keyring when reachable, else safeStorage when available, else the file. */
export function appSecrets(dir: string): SecretStore {
  const s = openSecrets(dir);
  if (s.info.kind === 'keyring') return s;
  return safeStorage.isEncryptionAvailable() ? new SafeStorageSecrets(dir) : s;
}
