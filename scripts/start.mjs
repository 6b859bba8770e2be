#!/usr/bin/env node
// `npm start`: the desktop app when Electron's runtime is installed (electron-vite preview builds
// and runs it; `npm start -- --dev` runs electron-vite dev with hot reload). Electron downloads
// its runtime on first run, which machines without internet cannot do; then this says so in one
// line and serves the same GUI to a browser instead (`trunkscope ui`, arguments passed on).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronInstalled() {
  const dir = join(root, 'node_modules', 'electron');
  const pathTxt = join(dir, 'path.txt');
  // Never require('electron') here: without its runtime it starts a download.
  if (!existsSync(pathTxt)) return false;
  const exe = readFileSync(pathTxt, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
  return exe !== '' && existsSync(join(distDir, exe));
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    process.stderr.write(`npm start: cannot run ${cmd}: ${err.message}\n`);
    process.exit(1);
  });
}

if (electronInstalled()) {
  const dev = args.includes('--dev');
  run(process.execPath, [
    join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
    dev ? 'dev' : 'preview',
  ]);
} else {
  process.stdout.write(
    "Electron's runtime is not installed (it downloads on first run, which needs internet); starting the web shell instead\n",
  );
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    // First start: build the GUI once (Vite, ~10 s) so the page the URL opens is there.
    process.stdout.write('building the GUI (first start only)…\n');
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.stdout.write('(the GUI build failed: run npm run build to see why)\n');
  }
  run(process.execPath, [
    join(root, 'bin', 'trunkscope.mjs'),
    'ui',
    ...args.filter((a) => a !== '--dev'),
  ]);
}
