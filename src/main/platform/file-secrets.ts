/**
 * Secrets in `secrets.json` (mode 0600, atomic writes through conf) in the config folder: the
 * fallback where no OS keyring is reachable. A corrupt file is moved aside, never overwritten.
 */
import { chmodSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { SecretStoreInfo } from '../../shared/model/profile.ts';
import type { SecretStore } from './secret-store.ts';

export const SECRETS_FILE = 'secrets.json';

export class FileSecrets implements SecretStore {
  readonly info: SecretStoreInfo;
  readonly path: string;
  /** Set when an unreadable secrets file was found and moved aside. */
  readonly problem?: { reason: string; movedTo: string | null };
  private readonly conf: Conf<Record<string, string>>;

  /** `name`: the file's base name (the Electron shell keeps its safeStorage ciphertexts apart). */
  constructor(dir: string, description?: string, name = 'secrets') {
    this.path = join(dir, `${name}.json`);
    this.info = { kind: 'file', description: description ?? `${this.path} (file, mode 0600)` };
    if (existsSync(this.path)) {
      let reason: string | undefined;
      try {
        const v: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
        if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) reason = 'not an object of strings';
      } catch (err) {
        reason = `not valid JSON (${(err as Error).message})`;
      }
      if (reason) {
        const to = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        let movedTo: string | null = to;
        try {
          renameSync(this.path, to);
        } catch {
          movedTo = null;
        }
        this.problem = { reason, movedTo };
      } else {
        // Tighten a file someone loosened.
        try {
          chmodSync(this.path, 0o600);
        } catch {
          // Not ours to fix: writes set the mode again.
        }
      }
    }
    this.conf = new Conf<Record<string, string>>({
      cwd: dir,
      configName: name,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
    });
  }

  get(key: string): string | undefined {
    const v = this.conf.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  set(key: string, value: string): void {
    this.conf.set(key, value);
  }

  delete(key: string): void {
    this.conf.delete(key);
  }
}
