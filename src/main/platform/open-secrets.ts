/**
 * Choose the secrets store: the OS keyring where one is reachable, else `secrets.json` (0600) in
 * the config folder. `TRUNKSCOPE_SECRETS=file` forces the file (scripts, CI, tests). The Electron
 * shell passes its safeStorage store instead (shells/electron/safe-storage-secrets.ts).
 */
import { FileSecrets } from './file-secrets.ts';
import { KeyringSecrets } from './keyring-secrets.ts';
import type { SecretStore } from './secret-store.ts';

export function openSecrets(dir: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const forced = env['TRUNKSCOPE_SECRETS'];
  if (forced !== 'file') {
    const k = KeyringSecrets.open();
    if ('store' in k) return k.store;
    return new FileSecrets(dir, `${dir}/secrets.json (file, mode 0600; ${k.unavailable})`);
  }
  return new FileSecrets(dir);
}
