/**
 * Where Trunkscope keeps its settings and secrets: `$TRUNKSCOPE_CONFIG_DIR` when set (tests and
 * scripts rely on it), else the platform's usual place — the same folder Electron names
 * `userData` for an app called "trunkscope", so the desktop app, the CLI and the web shell share
 * one store:
 *   Linux   `$XDG_CONFIG_HOME/trunkscope` (default `~/.config/trunkscope`)
 *   macOS   `~/Library/Application Support/trunkscope`
 *   Windows `%APPDATA%\trunkscope`
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'trunkscope';

export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['TRUNKSCOPE_CONFIG_DIR'];
  if (override && override.trim() !== '') return override;
  const home = env['HOME'] || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), APP_DIR_NAME);
}
