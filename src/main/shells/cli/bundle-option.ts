/** `--bundle FILE.zip` of `call` and `diagnose`: the path checked before the work, then written. */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './common.ts';

export const BUNDLE_HELP = 'write a support bundle (zip: redacted pcap, text ladder, JSON report, diagnosis; docs/diagnosis.md)';

/** Usage error (exit 2) when the bundle cannot be written there. */
export function checkBundlePath(file: string): void {
  const full = resolve(file);
  let dirOk = false;
  try {
    dirOk = statSync(dirname(full)).isDirectory();
    accessSync(dirname(full), constants.W_OK);
  } catch (err) {
    throw new UsageError(`--bundle: cannot write ${file}: ${dirOk ? 'directory not writable' : 'no such directory'} (${(err as Error).message})`);
  }
  try {
    if (statSync(full).isDirectory()) throw new UsageError(`--bundle: ${file} is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

/** Write the zip; false (with a message on stderr) when that failed. */
export function writeBundle(file: string, zip: Uint8Array): boolean {
  try {
    writeFileSync(file, zip);
    return true;
  } catch (err) {
    process.stderr.write(`trunkscope: cannot write --bundle ${file}: ${(err as Error).message}\n`);
    return false;
  }
}
