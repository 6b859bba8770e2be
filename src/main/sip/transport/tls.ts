/**
 * TLS adapter (node:tls), RFC 3261 §26.3.1 / RFC 5922. The client verifies the server
 * certificate unless told not to (the explicit "accept self-signed" switch); the server may
 * ask for, or require, a client certificate (mutual TLS, as Teams Direct Routing SBCs use).
 */
import type { Socket } from 'node:net';
import { checkServerIdentity, connect, createServer, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Endpoint } from './types.ts';
import { connectError, listenServer, awaitConnected, type ConnectOptions, type ListenOptions, type StreamServer } from './tcp.ts';
import { familyOf, hostPort, normalizeAddress } from './ip.ts';

export type Pem = string | Buffer | Array<string | Buffer>;

export interface TlsOptions {
  /** Server certificate chain (PEM); with `key`, needed to listen on TLS. */
  cert?: Pem;
  key?: Pem;
  /** Trusted CAs (PEM) for verifying the peer; default: Node's bundled roots. */
  ca?: Pem;
  /** Client side: verify the server certificate. Default true; false accepts self-signed. */
  rejectUnauthorized?: boolean;
  /** Client certificate presented when we connect (mutual TLS). */
  clientCert?: Pem;
  clientKey?: Pem;
  /** Name checked against the server certificate and sent as SNI (default: the address). */
  servername?: string;
  /** Server side: ask connecting clients for a certificate. */
  requestClientCert?: boolean;
  /** Server side: refuse clients without a certificate that verifies against `ca`. */
  requireClientCert?: boolean;
  /** Handshake timeout for inbound connections (ms). Default 10 s. */
  handshakeTimeoutMs?: number;
}

export function listenTls(
  opts: ListenOptions,
  tls: TlsOptions,
  onConnection: (socket: TLSSocket) => void,
  onHandshakeError: (reason: string, remote: Endpoint) => void,
): Promise<StreamServer> {
  if (tls.cert === undefined || tls.key === undefined) {
    return Promise.reject(new Error(`cannot listen on TLS ${hostPort(opts.address, opts.port)}: tls.cert and tls.key are required`));
  }
  const server = createServer(
    {
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      requestCert: (tls.requestClientCert ?? false) || (tls.requireClientCert ?? false),
      rejectUnauthorized: tls.requireClientCert ?? false,
      handshakeTimeout: tls.handshakeTimeoutMs ?? 10_000,
    },
    onConnection,
  );
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    onHandshakeError(`TLS handshake failed: ${err.message}${err.code ? ` (${err.code})` : ''}`, {
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
    });
  });
  return listenServer(server, opts, 'TLS');
}

/**
 * Node's checkServerIdentity, except that IPv6 literals are matched against the certificate's
 * IP SANs here: Node 22.23 runs the host through domainToASCII first, which empties `::1`, so
 * every IPv6 peer failed with "Cert does not contain a DNS name" (RFC 5922 §7.1 / RFC 6125 §6.2).
 */
function checkIdentity(host: string, cert: PeerCertificate): Error | undefined {
  if (familyOf(host) !== 6) return checkServerIdentity(host, cert);
  const ips = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((n) => n.startsWith('IP Address:'))
    .map((n) => normalizeAddress(n.slice('IP Address:'.length)));
  if (ips.includes(normalizeAddress(host))) return undefined;
  const err: NodeJS.ErrnoException = new Error(`IP: ${host} is not in the cert's list: ${ips.join(', ')}`);
  err.code = 'ERR_TLS_CERT_ALTNAME_INVALID';
  return err;
}

/** True for the errors OpenSSL / Node raise when the peer certificate does not verify. */
function isVerifyError(err: NodeJS.ErrnoException): boolean {
  return /CERT|SELF_SIGNED|VERIFY|ALTNAME|HOSTNAME|INVALID_CA/.test(err.code ?? '');
}

export function connectTls(remote: Endpoint, opts: ConnectOptions, tls: TlsOptions, servername?: string): Promise<Socket> {
  const name = servername ?? tls.servername;
  const socket = connect({
    host: remote.address,
    port: remote.port,
    // SNI must be a host name (RFC 6066 §3); for an IP the certificate is checked against it.
    ...(name !== undefined ? { servername: name } : {}),
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    checkServerIdentity: checkIdentity,
    ...(tls.clientCert !== undefined ? { cert: tls.clientCert } : {}),
    ...(tls.clientKey !== undefined ? { key: tls.clientKey } : {}),
    ...(opts.localAddress !== undefined && familyOf(opts.localAddress) === familyOf(remote.address)
      ? { localAddress: opts.localAddress }
      : {}),
  });
  socket.setNoDelay(true);
  opts.onSocket?.(socket);
  return awaitConnected(socket, 'secureConnect', 'TLS', remote, opts.timeoutMs, (err) => {
    if (isVerifyError(err)) {
      return new Error(
        `TLS certificate verification failed for ${hostPort(remote.address, remote.port)}: ${err.message} (${err.code})`,
      );
    }
    if (err.code === 'ECONNREFUSED') return connectError('TLS', remote, err);
    return new Error(`TLS handshake with ${hostPort(remote.address, remote.port)} failed: ${err.message}${err.code ? ` (${err.code})` : ''}`);
  });
}
