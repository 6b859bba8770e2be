/**
 * The desktop app's settings (window size, last listener form, ...) as a small JSON file in the
 * user-data folder, behind an interface so electron-store (not installed here) or an OS keychain
 * can replace it. Writes are atomic (temporary file + rename); a corrupt file is kept as
 * `settings.json.corrupt-<time>` and the app starts with defaults, so nothing saved is lost.
 * Secrets never go here (DESIGN.md: OS keychain through safeStorage).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type SettingValue =
  string | number | boolean | null | SettingValue[] | { [k: string]: SettingValue };

export interface SettingsStore {
  get<T extends SettingValue>(key: string, fallback: T): T;
  set(key: string, value: SettingValue): void;
}

export class JsonFileSettings implements SettingsStore {
  private readonly path: string;
  private data: Record<string, SettingValue> = {};

  constructor(path: string) {
    this.path = path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return; // first run
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        this.data = parsed as Record<string, SettingValue>;
      else throw new Error('not an object');
    } catch {
      try {
        renameSync(path, `${path}.corrupt-${Date.now()}`);
      } catch {
        // Unreadable and unmovable: start with defaults, never overwrite it below.
      }
    }
  }

  get<T extends SettingValue>(key: string, fallback: T): T {
    const v = this.data[key];
    return v === undefined || typeof v !== typeof fallback ? fallback : (v as T);
  }

  set(key: string, value: SettingValue): void {
    this.data[key] = value;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp-${process.pid}`;
      writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch {
      // A read-only profile loses the setting, not the app.
    }
  }
}
