// `npm test`: every check CI runs, in order: peers present, typecheck, lint, unit + integration tests.
import { spawnSync } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`npm test needs Node >= 22 (found ${process.version}); run npm install so node_modules/.bin/node is used`);
  process.exit(2);
}
const steps = [
  ['bash', ['scripts/install-peers.sh']],
  ['npx', ['--no-install', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['npx', ['--no-install', 'eslint', '.']],
  ['npx', ['--no-install', 'vitest', 'run', ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
