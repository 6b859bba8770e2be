// `npm test`: every check CI runs, in order: peers present, typecheck, lint, unit + integration
// tests. Runs under the Node 22 that `npm install` put in node_modules (installing it if needed).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Tools started from here (vitest, eslint, the CLI under test) must find Node 22 first on PATH.
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env }).status ?? 1;

if (Number(process.versions.node.split('.')[0]) < 22) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local) && run('npm', ['install', '--no-audit', '--no-fund']) !== 0) process.exit(1);
  process.exit(run(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)]));
}
const bin = join(root, 'node_modules', '.bin');
const steps = [
  ['bash', ['scripts/install-peers.sh']],
  [join(bin, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  [join(bin, 'tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
  [join(bin, 'eslint'), ['.']],
  // The app's build (main, preload, renderer) must work; the browser tests then use this build.
  [join(bin, 'electron-vite'), ['build', '--logLevel', 'warn']],
  // Unit first, then integration on its own: real-peer tests get the machine's two cores.
  [join(bin, 'vitest'), ['run', '--project', 'unit', ...process.argv.slice(2)]],
  [join(bin, 'vitest'), ['run', '--project', 'integration', ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd.replace(`${root}/`, '')} ${args.join(' ')}`);
  const status = run(cmd, args);
  if (status !== 0) process.exit(status);
}
