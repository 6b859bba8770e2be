/** The profile book of this machine: the settings file and secrets store of the config folder. */
import { configDir } from '../../platform/config-dir.ts';
import { openSecrets } from '../../platform/open-secrets.ts';
import type { SecretStore } from '../../platform/secret-store.ts';
import { SettingsStore } from '../../platform/settings-store.ts';
import { ProfileBook } from './profile-book.ts';

export function openProfileBook(o: { dir?: string; secrets?: SecretStore } = {}): ProfileBook {
  const dir = o.dir ?? configDir();
  const settings = new SettingsStore(dir);
  return new ProfileBook(settings, o.secrets ?? openSecrets(dir));
}
