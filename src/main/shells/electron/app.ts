/**
 * The desktop app: one engine, one window, the contract over IPC. In development
 * (`electron-vite dev`) the renderer comes from Vite's dev server (ELECTRON_RENDERER_URL); built,
 * from out/renderer through the app:// scheme.
 */
import { isTrustedUrl } from './url-policy.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, session, type BrowserWindow } from 'electron';
import { contentSecurityPolicy } from '../web/static-files.ts';
import { registerIpc } from './ipc.ts';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './renderer-protocol.ts';
import { AppSettings } from './settings.ts';
import { allowOnlyMicrophone, createMainWindow, lockDown } from './window.ts';
import { EngineService } from '../../engine/index.ts';

export interface AppPaths {
  /** out/main, where the bundled main process runs from. */
  mainDir: string;
}

export function startElectronApp(
  paths: AppPaths = { mainDir: fileURLToPath(new URL('.', import.meta.url)) },
): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
  const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
  // A URL or a bare origin (permission checks pass `app://trunkscope`): url-policy.ts.
  const trusted = (url: string): boolean => isTrustedUrl(url, APP_ORIGIN, devOrigin);
  let service: EngineService | undefined;
  let win: BrowserWindow | undefined;
  let unregister: (() => void) | undefined;

  // A promise nobody awaited failed (a bug of ours): log it, keep the engine and its calls up.
  process.on('unhandledRejection', (err) => console.error('trunkscope: internal error (please report it):', err));
  app.on('web-contents-created', (_e, contents) => lockDown(contents, trusted));
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !service) return;
    // End calls (BYE) and close sockets before the process goes.
    e.preventDefault();
    quitting = true;
    unregister?.();
    void service.close().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    serveRenderer(join(paths.mainDir, '..', 'renderer'));
    if (devOrigin) {
      // The dev server's page needs Vite's inline preamble and its HMR socket.
      session.defaultSession.webRequest.onHeadersReceived(
        { urls: [`${devOrigin}/*`] },
        (details, callback) => {
          const csp = contentSecurityPolicy([devOrigin.replace(/^http/, 'ws')]).replace(
            "script-src 'self'",
            "script-src 'self' 'unsafe-inline'",
          );
          callback({
            responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
          });
        },
      );
    }
    allowOnlyMicrophone(trusted);
    service = new EngineService();
    unregister = registerIpc(service, trusted);
    const settings = new AppSettings();
    win = createMainWindow({
      preload: join(paths.mainDir, '..', 'preload', 'index.cjs'),
      url: devUrl ?? `${APP_ORIGIN}/index.html`,
      trusted,
      settings,
    });
  });
}
