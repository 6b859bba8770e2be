/**
 * `trunkscope ui` on a checkout where the GUI was never built (no `npm start` yet): build the
 * renderer once with Vite, as scripts/start.mjs does, instead of serving a 503 "not built" page.
 * Progress goes to stderr so stdout keeps only the URL line.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Resolves once `dir/index.html` exists (built now when it was missing); throws why not. */
export async function ensureGuiBuilt(dir: string, timeoutMs = 300_000): Promise<'present' | 'built'> {
  if (existsSync(join(dir, 'index.html'))) return 'present';
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(root, 'vite.renderer.config.ts');
  if (!existsSync(vite) || !existsSync(config) || !existsSync(join(root, 'src', 'renderer', 'index.html'))) {
    throw new Error(`the GUI is not built in ${dir} and cannot be built here (Vite or the renderer sources are missing): run npm install, then npm run build`);
  }
  process.stderr.write('building the GUI (first start only)…\n');
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', config, '--outDir', resolve(dir), '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (c) => {
      clearTimeout(timer);
      done(c);
    });
    child.on('error', () => {
      clearTimeout(timer);
      done(null);
    });
  });
  if (code !== 0 || !existsSync(join(dir, 'index.html'))) throw new Error('the GUI build failed (run npm run build to see why)');
  return 'built';
}
