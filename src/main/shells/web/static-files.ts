/**
 * The built renderer (out/renderer) as HTTP responses: only files under the root, by extension
 * a fixed MIME type, HTML with the Content-Security-Policy the GUI runs under, and a plain page
 * saying what to do when the renderer has not been built yet.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The GUI's CSP (the Electron shell sends the same): scripts only from the app itself, no eval,
 * no inline script, no plugins, not framed; WebSocket only back to where the page came from.
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style properties, uPlot and the first paint use style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    `connect-src 'self'${connect.map((c) => ` ${c}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface StaticFile {
  status: number;
  type: string;
  body: Buffer;
}

export const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trunkscope</title></head>
<body style="font: 16px system-ui, sans-serif; margin: 3rem; max-width: 40rem">
<h1>Trunkscope: the GUI has not been built</h1>
<p>The web shell serves the renderer from <code>out/renderer</code>, which does not exist yet.</p>
<p>Run <code>npm run build</code> in the project folder, then reload this page (keep the token in the URL).</p>
<p>The engine is running: the command line (<code>trunkscope call</code>, <code>trunkscope listen</code>) works meanwhile.</p>
</body></html>`;

/** Read `urlPath` under `root`; undefined when it is not a file there (or escapes the root). */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(join(base, normalize(path)));
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  try {
    const st = await stat(file);
    if (!st.isFile()) return undefined;
    return {
      status: 200,
      type: MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      body: await readFile(file),
    };
  } catch {
    return undefined;
  }
}
