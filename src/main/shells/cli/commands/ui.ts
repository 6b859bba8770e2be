/**
 * `trunkscope ui`: the GUI in a browser. Starts the engine and the web shell on 127.0.0.1 (or
 * --bind, deliberately), prints the URL with its token and opens it unless --no-open; runs until
 * Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startWebShell } from '../../web/web-server.ts';
import { intOption } from '../common.ts';
import { EngineService } from '../../../engine/index.ts';
import { ensureGuiBuilt } from '../ensure-gui.ts';

interface UiOpts {
  bind: string;
  port: string;
  open: boolean;
  renderer?: string;
}

export const DEFAULT_RENDERER_DIR = fileURLToPath(
  new URL('../../../../../out/renderer', import.meta.url),
);

export function registerUi(
  program: Command,
  run: (fn: () => Promise<number>) => Promise<void>,
): void {
  program
    .command('ui')
    .description('serve the GUI to a browser (web shell): prints the URL with its access token')
    .option(
      '--bind <address>',
      'address to serve on (anything but loopback exposes the GUI to the network)',
      '127.0.0.1',
    )
    .option('--port <port>', 'HTTP port (0: any free port)', '0')
    .option('--no-open', 'do not open a browser')
    .option('--renderer <dir>', 'folder of the built renderer (built there on first use when missing)', DEFAULT_RENDERER_DIR)
    .action((o: UiOpts) =>
      run(async () => {
        const port = intOption('port', o.port, 0, 65535)!;
        await ensureGuiBuilt(o.renderer ?? DEFAULT_RENDERER_DIR);
        const service = new EngineService();
        const shell = await startWebShell({
          service,
          host: o.bind,
          port,
          rendererDir: o.renderer ?? DEFAULT_RENDERER_DIR,
        }).catch(async (err: Error) => {
          await service.close();
          throw new Error(`cannot serve the GUI on ${o.bind}:${port}: ${err.message}`);
        });
        process.stdout.write(`Trunkscope GUI: ${shell.url}\n`);
        if (!['127.0.0.1', '::1', 'localhost'].includes(o.bind)) {
          process.stderr.write(
            `warning: serving on ${o.bind}: anyone who can reach this address and has the token can place calls\n`,
          );
        }
        if (o.open) openBrowser(shell.url);
        await untilSignal();
        await shell.close();
        await service.close();
        return 0;
      }),
    );
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () =>
      process.stderr.write(`(could not open a browser; open the URL above yourself)\n`),
    );
    child.unref();
  } catch {
    process.stderr.write(`(could not open a browser; open the URL above yourself)\n`);
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const done = (): void => {
      clearInterval(keepAlive);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
