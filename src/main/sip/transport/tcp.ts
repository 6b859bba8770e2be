/** TCP adapter (node:net): listening server and outbound connect with a timeout (RFC 3261 §18). */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Endpoint } from './types.ts';
import { familyOf, hostPort, normalizeAddress } from './ip.ts';

export interface StreamServer {
  readonly local: Endpoint;
  close(): Promise<void>;
}

export interface ListenOptions {
  address: string;
  port: number;
  ipv6Only?: boolean;
  /** Caps on inbound connections (connection-guard.ts); a socket it refuses is destroyed at once. */
  admit?: (socket: Socket) => boolean;
}

export interface ConnectOptions {
  timeoutMs: number;
  localAddress?: string;
  /** Called at once with the connecting socket (so a closing layer can abort it). */
  onSocket?: (socket: Socket) => void;
}

/** Wrap a net/tls server that is about to listen. */
export function listenServer(server: Server, opts: ListenOptions, what: string): Promise<StreamServer> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      server.close();
      reject(new Error(`cannot listen on ${what} ${hostPort(opts.address, opts.port)}: ${err.message}`));
    };
    // Track every accepted socket (TLS ones too, before their handshake) so close() can end them.
    const sockets = new Set<Socket>();
    server.on('connection', (s: Socket) => {
      if (opts.admit && !opts.admit(s)) return;
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    server.once('error', fail);
    server.listen({ host: opts.address, port: opts.port, ipv6Only: opts.ipv6Only ?? false, exclusive: true }, () => {
      server.off('error', fail);
      server.on('error', () => undefined); // post-listen errors are per connection; never crash
      const a = server.address();
      const local =
        a !== null && typeof a === 'object' ? { address: normalizeAddress(a.address), port: a.port } : { address: opts.address, port: opts.port };
      resolve({
        local,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

export function listenTcp(opts: ListenOptions, onConnection: (socket: Socket) => void): Promise<StreamServer> {
  const server = createServer({ noDelay: true }, onConnection);
  return listenServer(server, opts, 'TCP');
}

/** Map a Node socket error to a message that says what happened. */
export function connectError(proto: string, remote: Endpoint, err: NodeJS.ErrnoException): Error {
  const where = hostPort(remote.address, remote.port);
  if (err.code === 'ECONNREFUSED') return new Error(`${proto} connection to ${where} refused (ECONNREFUSED)`);
  return new Error(`${proto} connection to ${where} failed: ${err.message}${err.code ? ` (${err.code})` : ''}`);
}

/** Resolve when a connecting socket is ready, reject on its error or after `timeoutMs`. */
export function awaitConnected(
  socket: Socket,
  readyEvent: 'connect' | 'secureConnect',
  proto: string,
  remote: Endpoint,
  timeoutMs: number,
  mapError: (err: NodeJS.ErrnoException) => Error,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new Error(`${proto} connection to ${hostPort(remote.address, remote.port)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const onError = (err: NodeJS.ErrnoException): void => {
      cleanup();
      socket.destroy();
      reject(mapError(err));
    };
    const onReady = (): void => {
      cleanup();
      resolve(socket);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`${proto} connection to ${hostPort(remote.address, remote.port)} closed before it was established`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
      socket.off('close', onClose);
    };
    socket.once('error', onError);
    socket.once(readyEvent, onReady);
    socket.once('close', onClose);
  });
}

export function connectTcp(remote: Endpoint, opts: ConnectOptions): Promise<Socket> {
  const socket = connect({
    host: remote.address,
    port: remote.port,
    noDelay: true,
    ...(opts.localAddress !== undefined && familyOf(opts.localAddress) === familyOf(remote.address)
      ? { localAddress: opts.localAddress }
      : {}),
  });
  opts.onSocket?.(socket);
  return awaitConnected(socket, 'connect', 'TCP', remote, opts.timeoutMs, (e) => connectError('TCP', remote, e));
}
