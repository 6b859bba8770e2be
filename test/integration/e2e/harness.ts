/**
 * Per test file: build the renderer when stale (once), start `trunkscope ui` on 127.0.0.1 and a
 * fresh Chromium, and stop both (by PID, bounded) afterwards. Console errors and page errors of
 * the renderer are collected so a test can show them when it fails.
 */
import { afterAll, beforeAll } from 'vitest';
import { startListen, type Listener } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { launchBrowser, type BrowserSession, type LaunchOptions } from '../../support/browser.ts';
import { stopAllStarted } from '../../support/processes.ts';
import {
  ensureRendererBuilt,
  startWebShellProcess,
  type WebShellProc,
} from '../../support/web-shell.ts';

export interface Gui {
  shell: WebShellProc;
  browser: BrowserSession;
  /** Renderer console errors and uncaught page errors seen so far. */
  pageErrors: string[];
  /** Engine (web shell) stderr so far, for failure messages. */
  engineLog(): string;
}

/**
 * Register beforeAll/afterAll hooks; the returned object is filled in by beforeAll. Tests stop
 * the peers they start themselves (by PID): stopAllStarted() would stop the shell too, so it runs
 * only in afterAll.
 */
export function useGui(opts: LaunchOptions & { shellTimeoutMs?: number } = {}): Gui {
  const gui = { pageErrors: [] as string[] } as unknown as Gui;
  beforeAll(async () => {
    await ensureRendererBuilt(120_000);
    gui.shell = await startWebShellProcess({ timeoutMs: opts.shellTimeoutMs ?? 600_000 });
    gui.engineLog = () => gui.shell.proc.stderr().slice(-4000);
    gui.browser = await launchBrowser(opts);
    gui.browser.page.on('pageerror', (e) => gui.pageErrors.push(`pageerror: ${e.message}`));
    gui.browser.page.on('console', (m) => {
      if (m.type() === 'error') gui.pageErrors.push(`console: ${m.text()}`);
    });
  }, 180_000);
  afterAll(async () => {
    await gui.browser?.close();
    await gui.shell?.stop();
    await stopAllStarted();
  }, 30_000);
  return gui;
}

/**
 * `trunkscope listen --bind 127.0.0.1 --transport udp --json …args` on a free port, as a separate
 * far end (another port when one is taken between the check and the bind; three attempts).
 */
export async function startCliListener(
  args: string[] = [],
): Promise<{ listener: Listener; port: number }> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort(2);
    const listener = startListen(
      ['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', ...args],
      { timeoutMs: 120_000 },
    );
    try {
      await listener.ready;
      return { listener, port };
    } catch (e) {
      last = e;
      await listener.stop();
      if (!/EADDRINUSE/.test(String(e))) break;
    }
  }
  throw last;
}
