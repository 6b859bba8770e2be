#!/usr/bin/env node
// Entry point of the `trunkscope` command. Trunkscope targets Node >= 22 (the Node inside
// Electron's main process). When started by an older Node (e.g. `npx` on a machine whose system
// Node is 20), re-run under the Node 22 that `npm install` put in node_modules (the `node` package).
// So package.json's `engines` names what `npm install` needs (>= 20.19, vite's floor), not 22: an
// engines field above the system Node makes npm print EBADENGINE on every `npx trunkscope`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    process.stderr.write(`trunkscope needs Node >= 22 (this is ${process.version}); run npm install first\n`);
    process.exit(2);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/main/shells/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Every command awaits its own work (reports, recordings, sockets closed). Should something still
// hold the event loop open after that (a bug), a script waiting for us must not hang: say so, exit.
setTimeout(() => {
  process.stderr.write('trunkscope: something was still open 5 s after the command finished; exiting\n');
  process.exit(code);
}, 5000).unref();
