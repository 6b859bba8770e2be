/**
 * The one window: sandboxed, context-isolated renderer without Node, our preload as its only
 * bridge, no navigation away from the app, no new windows, no webviews, and only the microphone
 * among the permissions a page can ask for.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import type { SettingsStore } from './settings.ts';
import { isDocumentationLink } from './url-policy.ts';

export interface WindowOptions {
  preload: string;
  /** app://trunkscope/index.html, or the dev server's URL. */
  url: string;
  trusted: (url: string) => boolean;
  settings: SettingsStore;
}

export function lockDown(contents: WebContents, trusted: (url: string) => boolean): void {
  contents.on('will-navigate', (e, url) => {
    if (!trusted(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!trusted(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only the documentation links the app shows open in the user's browser; nothing opens inside the app.
    if (isDocumentationLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function allowOnlyMicrophone(trusted: (url: string) => boolean): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((wc, permission, callback, details) => {
    const media = details as { mediaTypes?: string[]; requestingUrl?: string };
    const audioOnly =
      permission === 'media' && (media.mediaTypes ?? []).every((t) => t === 'audio');
    callback(audioOnly && trusted(media.requestingUrl ?? wc.getURL()));
  });
  s.setPermissionCheckHandler(
    (_wc, permission, origin) => permission === 'media' && trusted(origin),
  );
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const bounds = o.settings.get('window', { width: 1280, height: 820 } as {
    width: number;
    height: number;
  });
  const win = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Trunkscope',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockDown(win.webContents, o.trusted);
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const [width, height] = win.getSize();
    if (width && height) o.settings.set('window', { width, height });
  });
  void win.loadURL(o.url);
  return win;
}
