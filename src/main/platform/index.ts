/** Platform adapters: config folder, settings store, secrets stores. */
export { configDir } from './config-dir.ts';
export { SettingsStore, SETTINGS_FILE, type SettingsProblem } from './settings-store.ts';
export { SETTINGS_VERSION, SettingsSchema, migrateSettings, type Settings } from './settings-schema.ts';
export { type SecretStore, MemorySecrets, profileSecretKey } from './secret-store.ts';
export { FileSecrets, SECRETS_FILE } from './file-secrets.ts';
export { KeyringSecrets } from './keyring-secrets.ts';
export { openSecrets } from './open-secrets.ts';
export { migrateDialerProfiles, type DialerMigration } from './dialer-migration.ts';
