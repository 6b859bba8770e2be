/**
 * The settings file on `conf` (atomic writes through its write-file-atomic/rename path, mode
 * 0600), validated with one zod schema and migrated from older versions when opened.
 *
 * Nothing saved is lost: a file that cannot be read (bad JSON, a shape the schema refuses, a
 * newer version) is moved aside as `settings.json.corrupt-<time>` — never silently replaced —
 * and the problem is reported (`problem`); the profiles that still fit the schema are kept.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { ProfileSchema, type Profile } from '../../shared/model/profile.ts';
import { configDir } from './config-dir.ts';
import { emptySettings, migrateSettings, SettingsSchema, type Settings } from './settings-schema.ts';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsProblem {
  /** Why the file could not be used as it was. */
  reason: string;
  /** Where the unreadable file was moved (null when it could not be moved: then nothing is written). */
  movedTo: string | null;
}

export class SettingsStore {
  readonly dir: string;
  readonly path: string;
  /** Set when the file found on opening could not be used as it was. */
  readonly problem?: SettingsProblem;
  /** The version the file had when opened (0: the old unversioned file; null: no file yet). */
  readonly migratedFrom: number | null = null;
  private readonly conf: Conf<Settings>;
  private readonly writable: boolean;

  constructor(dir: string = configDir()) {
    this.dir = dir;
    this.path = join(dir, SETTINGS_FILE);
    let initial: Settings | undefined;
    let writable = true;
    if (existsSync(this.path)) {
      const opened = openExisting(this.path);
      initial = opened.settings;
      this.migratedFrom = opened.from;
      if (opened.reason !== undefined) {
        const movedTo = moveAside(this.path);
        this.problem = { reason: opened.reason, movedTo };
        // Could not move it: keep it untouched and work in memory only.
        if (movedTo === null) writable = false;
      }
    }
    this.writable = writable;
    this.conf = new Conf<Settings>({
      cwd: dir,
      configName: 'settings',
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      configFileMode: 0o600,
      serialize: (v) => `${JSON.stringify(v, null, 2)}\n`,
    });
    this.memory = initial ?? emptySettings();
    if (writable && (initial === undefined ? false : this.problem !== undefined || this.migratedFrom !== 1)) this.write(this.memory);
  }

  /** In-memory copy, used when the file could not be moved aside (read-only mode). */
  private memory: Settings;

  /** The whole settings object, re-read from disk (another process may have written it). */
  read(): Settings {
    if (!this.writable) return structuredClone(this.memory);
    if (!existsSync(this.path)) return emptySettings();
    const r = SettingsSchema.safeParse(this.conf.store);
    return r.success ? r.data : structuredClone(this.memory);
  }

  /** Read, change, write — the change applied to what is on disk now. */
  update(change: (s: Settings) => void): Settings {
    const s = this.read();
    change(s);
    const checked = SettingsSchema.parse(s);
    this.write(checked);
    return checked;
  }

  private write(s: Settings): void {
    this.memory = structuredClone(s);
    if (!this.writable) return;
    this.conf.store = s;
  }

  /** An app setting (the Electron shell's window size…), or the fallback when absent or of another type. */
  getApp<T>(key: string, fallback: T): T {
    const v = this.read().app[key];
    return v === undefined || typeof v !== typeof fallback ? fallback : (v as T);
  }

  setApp(key: string, value: unknown): void {
    this.update((s) => {
      s.app[key] = value;
    });
  }

  /** Whether changes reach the disk (false when an unreadable file could not be moved aside). */
  get persistent(): boolean {
    return this.writable;
  }
}

/** Parse, migrate and validate; on failure, the reason and what could be salvaged. */
function openExisting(path: string): { settings: Settings; from: number | null; reason?: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    return { settings: emptySettings(), from: null, reason: `not valid JSON (${(err as Error).message})` };
  }
  let migrated: { data: Record<string, unknown>; from: number };
  try {
    migrated = migrateSettings(json);
  } catch (err) {
    return { settings: emptySettings(), from: null, reason: (err as Error).message };
  }
  const r = SettingsSchema.safeParse(migrated.data);
  if (r.success) {
    for (const [key, p] of Object.entries(r.data.profiles)) {
      if (key !== p.name) return { ...salvage(migrated.data), from: migrated.from, reason: `profile key "${key}" differs from its name "${p.name}"` };
    }
    return { settings: r.data, from: migrated.from };
  }
  const issue = r.error.issues[0];
  const where = issue ? issue.path.map(String).join('.') : '';
  return { ...salvage(migrated.data), from: migrated.from, reason: `${where ? `${where}: ` : ''}${issue?.message ?? 'does not fit the schema'}` };
}

/** The profiles and app settings of a file that failed validation as a whole. */
function salvage(data: Record<string, unknown>): { settings: Settings } {
  const s = emptySettings();
  const profiles = data['profiles'];
  if (profiles && typeof profiles === 'object') {
    for (const [key, value] of Object.entries(profiles)) {
      const p = ProfileSchema.safeParse(value);
      if (p.success && p.data.name === key) s.profiles[key] = p.data as Profile;
    }
  }
  const app = z.record(z.string(), z.unknown()).safeParse(data['app']);
  if (app.success) s.app = app.data;
  return { settings: s };
}

function moveAside(path: string): string | null {
  const to = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(path, to);
    return to;
  } catch {
    return null;
  }
}
