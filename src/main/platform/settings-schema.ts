/**
 * The settings file (`settings.json` in the config folder): one zod schema for the CLI, the web
 * shell and the desktop app, with a schema version and the migrations from every older shape.
 *
 * Versions:
 *   (none) the Electron shell's old `settings.json`: a flat object of app settings (`window`, …).
 *   1      `{ version: 1, profiles: { NAME: Profile }, app: { KEY: value } }`.
 */
import { z } from 'zod';
import { ProfileSchema } from '../../shared/model/profile.ts';

export const SETTINGS_VERSION = 1;

const JsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Trunk profiles by name (the key equals the profile's name). */
  profiles: z.record(z.string(), ProfileSchema).default({}),
  /** The shells' own settings (window size, last listener form, …), by key. */
  app: z.record(z.string(), JsonValue).default({}),
  /** Set once the GUI has imported the dialer's old localStorage profiles. */
  dialerProfilesImported: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;

export function emptySettings(): Settings {
  return { version: SETTINGS_VERSION, profiles: {}, app: {}, dialerProfilesImported: false };
}

/** One migration: from the shape of `from` to the shape of `from + 1`. */
type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

const MIGRATIONS: Record<number, Migration> = {
  // Unversioned: the Electron shell's flat settings.json becomes the `app` section.
  0: (data) => ({ version: 1, profiles: {}, app: { ...data }, dialerProfilesImported: false }),
};

/**
 * Bring parsed JSON up to SETTINGS_VERSION. Throws with a reason when the data is not an object,
 * or is of a version newer than this program knows (written by a newer Trunkscope: left alone).
 */
export function migrateSettings(json: unknown): { data: Record<string, unknown>; from: number } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a JSON object');
  let data = json as Record<string, unknown>;
  const v = data['version'];
  let version = v === undefined ? 0 : typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : NaN;
  if (Number.isNaN(version)) throw new Error(`unknown "version": ${JSON.stringify(v)}`);
  if (version > SETTINGS_VERSION) throw new Error(`written by a newer Trunkscope (settings version ${version}; this one knows ${SETTINGS_VERSION})`);
  const from = version;
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from settings version ${version}`);
    data = step(data);
    version++;
  }
  return { data, from };
}
