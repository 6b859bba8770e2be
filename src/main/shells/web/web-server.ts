/**
 * The web shell: the renderer over HTTP and the contract over a WebSocket (`/ws`), on 127.0.0.1
 * by default. A random token guards everything: the page URL carries `?token=…`; the first
 * page load with it sets an HttpOnly, SameSite=Strict cookie so the page's own asset requests
 * pass too; the WebSocket upgrade needs the token (query or cookie) and a same-origin Origin.
 * Anything else gets 401 (no token) or 403 (wrong token, foreign Host or Origin).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy, NOT_BUILT_PAGE, readStatic } from './static-files.ts';
import { ClientSession, MAX_REQUEST_BYTES, type EngineService } from '../../engine/index.ts';

export interface WebShellOptions {
  service: EngineService;
  /** Address to listen on, default 127.0.0.1 (anything else exposes the GUI deliberately). */
  host?: string;
  port?: number;
  /** Folder with the built renderer (index.html), default out/renderer. */
  rendererDir: string;
  /** Default: 32 random bytes, base64url. */
  token?: string;
}

export interface WebShell {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Events queued for a slow client beyond this are dropped with the connection. */
const MAX_BUFFERED = 16 * 1024 * 1024;

export async function startWebShell(o: WebShellOptions): Promise<WebShell> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? randomBytes(32).toString('base64url');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const sockets = new Set<WebSocket>();
  let cookieName = 'trunkscope_token';
  const auth = (req: IncomingMessage): 401 | 403 | 200 => {
    const given = tokenOf(req, cookieName);
    if (given === undefined) return 401;
    return sameSecret(given, token) ? 200 : 403;
  };
  const server: Server = createServer((req, res) => {
    void serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });
  const serveHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req, host)) return deny(res, 403, 'forbidden host');
    const status = auth(req);
    if (status !== 200)
      return deny(
        res,
        status,
        status === 401 ? 'token required: open the URL trunkscope ui printed' : 'wrong token',
      );
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    };
    // The page URL carries the token; the cookie lets the page's own requests through.
    if (url.searchParams.has('token'))
      headers['Set-Cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    const file = await readStatic(o.rendererDir, url.pathname);
    if (!file) {
      const isPage = url.pathname === '/' || url.pathname === '/index.html';
      if (isPage)
        return send(
          res,
          req,
          503,
          { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
          Buffer.from(NOT_BUILT_PAGE),
        );
      return send(
        res,
        req,
        404,
        { ...headers, 'Content-Type': 'text/plain' },
        Buffer.from('not found'),
      );
    }
    if (file.type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = contentSecurityPolicy(wsOrigins(req));
      headers['Cache-Control'] = 'no-store';
    } else headers['Cache-Control'] = 'private, max-age=300';
    send(res, req, 200, { ...headers, 'Content-Type': file.type }, file.body);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status =
      url.pathname !== '/ws'
        ? 404
        : !hostAllowed(req, host) || !originAllowed(req)
          ? 403
          : auth(req);
    if (status !== 200) {
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket): void => {
    sockets.add(ws);
    const session = new ClientSession(o.service, (msg) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) return ws.terminate();
      ws.send(JSON.stringify(msg));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return void ws.send(
          JSON.stringify({
            id: -1,
            ok: false,
            error: 'binary frames are not part of the contract',
          }),
        );
      void session.handleText(data.toString()).then((reply) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      session.close();
    });
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = `trunkscope_token_${port}`; // cookies are not per port: one name per server
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(`${text}\n`);
}

function tokenOf(req: IncomingMessage, cookieName: string): string | undefined {
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (q !== null && q !== '') return q; // an empty ?token= (the page after stripToken): the cookie
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookieName) return v.join('=');
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** On a loopback bind, only loopback Host names (DNS rebinding cannot reach us by another name). */
function hostAllowed(req: IncomingMessage, bound: string): boolean {
  if (!['127.0.0.1', '::1', 'localhost'].includes(bound)) return true;
  const h = (req.headers.host ?? '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return h === '127.0.0.1' || h === 'localhost' || h === '::1';
}

/** A browser's WebSocket must come from our own page (no cross-site WebSocket hijacking). */
function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (the token still applies)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function wsOrigins(req: IncomingMessage): string[] {
  const h = req.headers.host;
  return h && /^[A-Za-z0-9.[\]:-]+$/.test(h) ? [`ws://${h}`] : [];
}
