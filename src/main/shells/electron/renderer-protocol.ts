/**
 * The window's content comes from `app://trunkscope/…`, a privileged scheme served from the
 * built renderer folder (never a remote URL, never file:// with its broad access), with the same
 * Content-Security-Policy the web shell sends.
 */
import { protocol } from 'electron';
import { contentSecurityPolicy, readStatic } from '../web/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://trunkscope`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    if (url.host !== 'trunkscope' || req.method !== 'GET')
      return new Response('not found', { status: 404 });
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) {
      const msg =
        url.pathname === '/' || url.pathname === '/index.html'
          ? 'The renderer has not been built: run npm run build.'
          : 'not found';
      return new Response(msg, {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const headers: Record<string, string> = {
      'Content-Type': file.type,
      'X-Content-Type-Options': 'nosniff',
    };
    if (file.type.startsWith('text/html'))
      headers['Content-Security-Policy'] = contentSecurityPolicy();
    return new Response(new Uint8Array(file.body), { status: 200, headers });
  });
}
