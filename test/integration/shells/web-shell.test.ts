/**
 * The web shell on 127.0.0.1: HTTP and the WebSocket refuse requests without the token (401),
 * with a wrong one or from a foreign Host/Origin (403), serve the renderer with its CSP with the
 * token, and a WebSocket client speaks the contract: it places a call to the engine's own
 * listener and receives its events. `trunkscope ui` prints a URL that works.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CallSnapshot, EventName, ServerMessage } from '../../../src/shared/api/contract.ts';
import { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import { startWebShell, type WebShell } from '../../../src/main/shells/web/web-server.ts';
import { startProcess, stopAllStarted, waitForOutput } from '../../support/processes.ts';

let root: string;
let service: EngineService;
let shell: WebShell;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trunkscope-web-'));
  mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'renderer', 'index.html'),
    '<!doctype html><title>Trunkscope</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(root, 'renderer', 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), 'outside the root');
  service = new EngineService({
    bindAddress: '127.0.0.1',
    rtpPorts: { min: 32_000, max: 34_000 },
    statsIntervalMs: 250,
    lingerMs: 50,
  });
  shell = await startWebShell({ service, rendererDir: join(root, 'renderer') });
  base = `http://127.0.0.1:${shell.port}`;
});

afterAll(async () => {
  await shell.close();
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

afterEach(async () => {
  await stopAllStarted();
});

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  port = shell.port,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket; resolves with the socket or the HTTP status that refused it. */
function openWs(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 5000 });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

class Client {
  readonly ws: WebSocket;
  readonly events: Array<{ event: EventName; payload: unknown }> = [];
  private readonly waiting = new Map<number, (m: ServerMessage) => void>();
  private nextId = 1;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if ('event' in m) this.events.push({ event: m.event, payload: m.payload });
      else this.waiting.get(m.id)?.(m);
    });
  }

  send(command: string, args: unknown): Promise<ServerMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to ${command}`)), 10_000);
      this.waiting.set(id, (m) => {
        clearTimeout(t);
        resolve(m);
      });
      this.ws.send(JSON.stringify({ id, command, args }));
    });
  }

  async ok<T>(command: string, args: unknown): Promise<T> {
    const m = await this.send(command, args);
    if (!('ok' in m) || !m.ok) throw new Error(`${command} failed: ${JSON.stringify(m)}`);
    return m.result as T;
  }

  states(callId: string): CallSnapshot[] {
    return this.events
      .filter((e) => e.event === 'call.state' && (e.payload as CallSnapshot).callId === callId)
      .map((e) => e.payload as CallSnapshot);
  }

  async until(what: string, f: () => boolean, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!f()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('web shell: HTTP', () => {
  it('refuses requests without the token (401) and with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get('/', { Cookie: `trunkscope_token_${shell.port}=wrong` })).status).toBe(403);
    expect(shell.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with the token, its CSP, and a cookie for its own assets', async () => {
    const page = await get(`/?token=${shell.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Trunkscope</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${shell.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`trunkscope_token_${shell.port}=${shell.token}`);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await get('/assets/app.js', { Cookie: cookie });
    expect(asset).toMatchObject({ status: 200, body: 'console.log("app")' });
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('refuses foreign Host names, other methods, and paths outside the renderer', async () => {
    expect(
      (await get(`/?token=${shell.token}`, { Host: `evil.example:${shell.port}` })).status,
    ).toBe(403);
    expect((await get(`/?token=${shell.token}`, {}, 'POST')).status).toBe(405);
    expect((await get(`/../secret.txt?token=${shell.token}`)).status).toBe(404);
    expect((await get(`/%2e%2e/secret.txt?token=${shell.token}`)).status).toBe(404);
    expect((await get(`/nothing.js?token=${shell.token}`)).status).toBe(404);
  });

  it('says how to build the renderer when it has not been built', async () => {
    const other = await startWebShell({ service, rendererDir: join(root, 'missing') });
    try {
      const r = await get(`/?token=${other.token}`, {}, 'GET', other.port);
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build');
    } finally {
      await other.close();
    }
  });
});

describe('web shell: WebSocket', () => {
  const ws = (q: string): string => `ws://127.0.0.1:${shell.port}/ws${q}`;

  it('refuses the upgrade without the token, with a wrong one, from a foreign origin or path', async () => {
    expect(await openWs(ws(''))).toBe(401);
    expect(await openWs(ws('?token=nope'))).toBe(403);
    expect(await openWs(ws(`?token=${shell.token}`), { Origin: 'http://evil.example' })).toBe(403);
    expect(await openWs(`ws://127.0.0.1:${shell.port}/other?token=${shell.token}`)).toBe(404);
    const good = await openWs(ws(`?token=${shell.token}`), { Origin: base });
    expect(good).toBeInstanceOf(WebSocket);
    (good as WebSocket).close();
  });

  it('carries the contract: a client places a call to the listener and receives its events', async () => {
    const a = new Client((await openWs(ws(`?token=${shell.token}`))) as WebSocket);
    const b = new Client((await openWs(ws(`?token=${shell.token}`))) as WebSocket);
    try {
      expect(await a.send('nope', {})).toMatchObject({
        ok: false,
        error: 'unknown command "nope"',
      });
      a.ws.send('not json');
      const snap = await a.ok<{ calls: unknown[] }>('app.snapshot', {});
      expect(Array.isArray(snap.calls)).toBe(true);
      const l = await a.ok<{ port: number }>('listener.start', {
        address: '127.0.0.1',
        port: 0,
        transports: ['udp'],
        answer: 'echo',
      });
      const { callId } = await a.ok<{ callId: string }>('call.place', {
        target: `sip:echo@127.0.0.1:${l.port}`,
      });
      await a.until('connected', () => a.states(callId).some((s) => s.state === 'connected'));
      await a.ok('audio.listen', { callId, on: true });
      await a.until(
        'stats and audio',
        () =>
          a.events.some((e) => e.event === 'call.stats') &&
          a.events.some((e) => e.event === 'audio.frame'),
      );
      expect(await a.ok('call.dtmf', { callId, digits: '5' })).toEqual({ ok: true });
      await a.ok('call.hangup', { callId });
      await a.until('report', () => a.states(callId).some((s) => s.report?.outcome === 'answered'));
      await a.until('BYE in the trace', () =>
        a.events.some(
          (e) =>
            e.event === 'trace.entries' &&
            (e.payload as Array<{ method?: string }>).some((t) => t.method === 'BYE'),
        ),
      );
      // The other client saw the same call, but no audio: it did not ask for it.
      expect(b.states(callId).some((s) => s.state === 'connected')).toBe(true);
      expect(b.events.some((e) => e.event === 'audio.frame')).toBe(false);
      expect(b.events.some((e) => e.event === 'listener.state')).toBe(true);
    } finally {
      a.ws.close();
      b.ws.close();
    }
  }, 30_000);
});

describe('trunkscope ui', () => {
  it('prints a URL with the token that serves the GUI, and stops on SIGTERM', async () => {
    const proc = startProcess(
      process.execPath,
      [
        'bin/trunkscope.mjs',
        'ui',
        '--no-open',
        '--port',
        '0',
        '--renderer',
        join(root, 'renderer'),
      ],
      30_000,
    );
    const out = await waitForOutput(
      proc,
      'stdout',
      (t) => /Trunkscope GUI: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/.test(t),
      20_000,
    );
    const url = new URL(/(http:\/\/\S+)/.exec(out)![1]!);
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const port = Number(url.port);
    expect((await get('/', {}, 'GET', port)).status).toBe(401);
    expect((await get(`/?token=${url.searchParams.get('token')}`, {}, 'GET', port)).status).toBe(
      200,
    );
    const exit = await proc.stop('SIGTERM', 5000);
    expect(exit.code).toBe(0);
  }, 40_000);
});
