/**
 * Per test file: build the renderer when stale (once), start `trunkscope ui` on 127.0.0.1 and a
 * fresh Chromium, and stop both (by PID, bounded) afterwards. Console errors and page errors of
 * the renderer are collected so a test can show them when it fails.
 */
import { afterAll, beforeAll } from 'vitest';
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
