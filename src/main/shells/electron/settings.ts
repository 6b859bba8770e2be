/**
 * The desktop app's settings (window size, last listener form, ...) live in the one settings
 * store the CLI and the web shell use (src/main/platform: conf, zod schema, migrations, atomic
 * writes, a corrupt file moved aside), under its `app` section. The app's old flat
 * `settings.json` in the same folder is migrated into it on first start.
 */
import { configDir, SettingsStore as PlatformStore } from '../../engine/index.ts';

export type SettingValue =
  string | number | boolean | null | SettingValue[] | { [k: string]: SettingValue };

export interface SettingsStore {
  get<T extends SettingValue>(key: string, fallback: T): T;
  set(key: string, value: SettingValue): void;
}

export class AppSettings implements SettingsStore {
  readonly store: PlatformStore;

  constructor(store: PlatformStore = new PlatformStore(configDir())) {
    this.store = store;
    if (store.problem) {
      console.error(
        `trunkscope: settings file could not be read (${store.problem.reason}); ` +
          (store.problem.movedTo ? `kept as ${store.problem.movedTo}` : 'left untouched; changes are not saved'),
      );
    }
  }

  get<T extends SettingValue>(key: string, fallback: T): T {
    return this.store.getApp(key, fallback);
  }

  set(key: string, value: SettingValue): void {
    try {
      this.store.setApp(key, value);
    } catch {
      // A read-only folder loses the setting, not the app.
    }
  }
}
