/**
 * Trunk profiles: load, save, validate (the field named on error), with secrets kept in the
 * secrets store and never in the settings file. Used by the CLI, the web shell and the app.
 */
import {
  firstIssue,
  PROFILE_SECRET_KEYS,
  ProfileNameSchema,
  ProfileSchema,
  type Profile,
  type ProfileSecretKey,
  type SecretStoreInfo,
} from '../../../shared/model/profile.ts';
import { migrateDialerProfiles, type DialerMigration } from '../../platform/dialer-migration.ts';
import { profileSecretKey, type SecretStore } from '../../platform/secret-store.ts';
import type { SettingsStore } from '../../platform/settings-store.ts';
import { ipEntryError } from './ip-list.ts';
import { ProfileError } from './profile-error.ts';

export type ProfileSecrets = Partial<Record<ProfileSecretKey, string>>;

/** The file `profile export` writes and `profile import` reads. */
export interface ProfileExport {
  trunkscopeProfiles: 1;
  profiles: Profile[];
  /** Only with --with-secrets: by profile name. */
  secrets?: Record<string, ProfileSecrets>;
}

export class ProfileBook {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;

  constructor(settings: SettingsStore, secrets: SecretStore) {
    this.settings = settings;
    this.secrets = secrets;
  }

  get secretStore(): SecretStoreInfo {
    return this.secrets.info;
  }

  list(): Profile[] {
    return Object.values(this.settings.read().profiles).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): Profile | undefined {
    return this.settings.read().profiles[name.trim()];
  }

  /** The profile or a ProfileError naming `profile`. */
  require(name: string): Profile {
    const p = this.get(name);
    if (!p) throw new ProfileError('profile', `no profile named "${name}" (see \`trunkscope profile list\`)`);
    return p;
  }

  secret(name: string, which: ProfileSecretKey): string | undefined {
    return this.secrets.get(profileSecretKey(name, which));
  }

  /** Validate a whole profile (defaults filled in); throws ProfileError naming the field. */
  validate(input: unknown): Profile {
    const r = ProfileSchema.safeParse(input);
    if (!r.success) {
      const { field, message } = firstIssue(r.error);
      throw new ProfileError(field, message);
    }
    checkAddresses(r.data);
    return r.data;
  }

  /** Add a new profile (refused when the name exists). */
  add(input: unknown, secrets: ProfileSecrets = {}): Profile {
    const p = this.validate(input);
    if (this.get(p.name)) throw new ProfileError('name', `a profile named "${p.name}" exists already (use \`profile edit\`)`);
    return this.put(p, secrets);
  }

  /** Replace fields of an existing profile; `patch` is merged one level deep (tls, inbound…). */
  edit(name: string, patch: Record<string, unknown>, secrets: ProfileSecrets = {}): Profile {
    const old = this.require(name);
    const merged: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(patch)) {
      const before = merged[k];
      merged[k] = isPlainObject(v) && isPlainObject(before) ? { ...before, ...v } : v;
    }
    const p = this.validate(merged);
    if (p.name !== old.name) {
      if (this.get(p.name)) throw new ProfileError('name', `a profile named "${p.name}" exists already`);
      for (const key of PROFILE_SECRET_KEYS) {
        const s = this.secret(old.name, key);
        if (s !== undefined && secrets[key] === undefined) secrets[key] = s;
      }
      this.remove(old.name);
    }
    return this.put(p, secrets);
  }

  remove(name: string): boolean {
    const n = name.trim();
    if (!this.get(n)) return false;
    this.settings.update((s) => {
      delete s.profiles[n];
    });
    for (const key of PROFILE_SECRET_KEYS) this.secrets.delete(profileSecretKey(n, key));
    return true;
  }

  /** Store secrets first (so a failing keyring leaves the profile file unchanged), then the profile. */
  private put(p: Profile, secrets: ProfileSecrets): Profile {
    for (const key of PROFILE_SECRET_KEYS) {
      const v = secrets[key];
      if (v === undefined) continue;
      if (v === '') this.secrets.delete(profileSecretKey(p.name, key));
      else this.secrets.set(profileSecretKey(p.name, key), v);
    }
    const stored: Profile = {
      ...p,
      hasPassword: this.secret(p.name, 'password') !== undefined,
      inbound: { ...p.inbound, hasPassword: this.secret(p.name, 'inboundPassword') !== undefined },
    };
    this.settings.update((s) => {
      s.profiles[stored.name] = stored;
    });
    return stored;
  }

  exportData(withSecrets: boolean, names?: string[]): ProfileExport {
    const profiles = this.list().filter((p) => !names || names.includes(p.name));
    const out: ProfileExport = { trunkscopeProfiles: 1, profiles };
    if (withSecrets) {
      out.secrets = {};
      for (const p of profiles) {
        const s: ProfileSecrets = {};
        for (const key of PROFILE_SECRET_KEYS) {
          const v = this.secret(p.name, key);
          if (v !== undefined) s[key] = v;
        }
        out.secrets[p.name] = s;
      }
    }
    return out;
  }

  /**
   * Import an export file: every profile validated first (nothing is written when one is bad:
   * the error names it), then added or replaced. Returns the names imported.
   */
  importData(json: unknown, replace = false): string[] {
    if (!isPlainObject(json) || json['trunkscopeProfiles'] !== 1 || !Array.isArray(json['profiles'])) {
      throw new ProfileError('file', 'not a Trunkscope profile export ({"trunkscopeProfiles":1,"profiles":[…]})');
    }
    const secrets = isPlainObject(json['secrets']) ? (json['secrets'] as Record<string, ProfileSecrets>) : {};
    const checked = (json['profiles'] as unknown[]).map((item, i) => {
      try {
        return this.validate(item);
      } catch (err) {
        if (err instanceof ProfileError) throw new ProfileError(`profiles.${i}.${err.field}`, err.message.slice(err.field.length + 2));
        throw err;
      }
    });
    for (const p of checked) {
      if (!replace && this.get(p.name)) throw new ProfileError('name', `a profile named "${p.name}" exists already (remove it first)`);
    }
    for (const p of checked) {
      const s = secrets[p.name];
      const clean: ProfileSecrets = {};
      for (const key of PROFILE_SECRET_KEYS) if (typeof s?.[key] === 'string') clean[key] = s[key];
      this.put({ ...p, hasPassword: false, inbound: { ...p.inbound, hasPassword: false } }, clean);
    }
    return checked.map((p) => p.name);
  }

  /** The GUI's first start: the dialer's localStorage profiles become trunk profiles, once. */
  importDialer(text: string): DialerMigration & { imported: string[] } {
    const m = migrateDialerProfiles(text);
    const imported: string[] = [];
    for (const { profile, password } of m.migrated) {
      if (this.get(profile.name)) {
        m.skipped.push({ name: profile.name, reason: 'a trunk profile of that name exists' });
        continue;
      }
      this.put(profile, password ? { password } : {});
      imported.push(profile.name);
    }
    this.settings.update((s) => {
      s.dialerProfilesImported = true;
    });
    return { ...m, imported };
  }
}

/** A profile name as typed on the command line, checked. */
export function profileName(text: string): string {
  const r = ProfileNameSchema.safeParse(text);
  if (!r.success) throw new ProfileError('name', firstIssue(r.error).message);
  return r.data;
}

/** inbound.allowFrom: real addresses and prefixes (the schema only checks the characters). */
function checkAddresses(p: Profile): void {
  p.inbound.allowFrom.forEach((entry, i) => {
    const err = ipEntryError(entry);
    if (err) throw new ProfileError(`inbound.allowFrom.${i}`, err);
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
