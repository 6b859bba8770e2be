/** UDP adapter (node:dgram): one bound socket, datagrams in and out. RFC 3261 §18 over UDP. */
import { createSocket, type Socket } from 'node:dgram';
import { lookup, type LookupOptions } from 'node:dns';
import type { Endpoint } from './types.ts';
import { familyOf, normalizeAddress, type Family } from './ip.ts';
import { UdpHopSockets } from './udp-hops.ts';

export interface UdpBindOptions {
  address: string;
  port: number;
  /** Only IPv6 on a `::` socket (set when an IPv4 socket is also wanted on that port). */
  ipv6Only?: boolean;
  recvBufferBytes?: number;
  sendBufferBytes?: number;
  /** ICMP unreachable for a hop we sent a request to through {@link UdpEndpoint.sendRequest}. */
  onRefused?: (remote: Endpoint, code: string) => void;
}

export type DatagramHandler = (data: Buffer, remote: Endpoint) => void;

export class UdpEndpoint {
  readonly family: Family;
  readonly local: Endpoint;
  /** True when an IPv6 socket also carries IPv4 (addresses are then sent IPv4-mapped). */
  readonly dualStack: boolean;
  private readonly socket: Socket;
  private readonly hops: UdpHopSockets | undefined;
  private closed = false;

  private constructor(socket: Socket, family: Family, local: Endpoint, dualStack: boolean, hops: UdpHopSockets | undefined) {
    this.socket = socket;
    this.family = family;
    this.local = local;
    this.dualStack = dualStack;
    this.hops = hops;
  }

  static async bind(opts: UdpBindOptions, onDatagram: DatagramHandler, onError: (err: Error) => void): Promise<UdpEndpoint> {
    const family: Family = familyOf(opts.address) === 6 ? 6 : 4;
    // The listening socket shares its port with the per-hop connected sockets (SO_REUSEADDR), so
    // first make sure no one else holds the port: a plain exclusive bind that fails as before.
    const port = await probePort(opts, family);
    const socket = createSocket(
      family === 6
        ? { type: 'udp6', ipv6Only: opts.ipv6Only ?? false, lookup: literalLookup, reuseAddr: true }
        : { type: 'udp4', lookup: literalLookup, reuseAddr: true },
    );
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        socket.close();
        reject(new Error(`cannot bind UDP ${opts.address}:${opts.port}: ${err.message}`));
      };
      socket.once('error', fail);
      socket.bind({ address: opts.address, port, exclusive: true }, () => {
        socket.off('error', fail);
        // Large receive buffer for bursts (load tests); the OS may cap or refuse it quietly.
        trySet(() => socket.setRecvBufferSize(opts.recvBufferBytes ?? 4 * 1024 * 1024));
        if (opts.sendBufferBytes !== undefined) trySet(() => socket.setSendBufferSize(opts.sendBufferBytes!));
        const a = socket.address();
        const hops = opts.onRefused
          ? new UdpHopSockets({ family, bindAddress: opts.address, port: a.port, ipv6Only: opts.ipv6Only ?? false, onDatagram, onRefused: opts.onRefused })
          : undefined;
        const ep = new UdpEndpoint(
          socket,
          family,
          { address: normalizeAddress(a.address), port: a.port },
          family === 6 && !(opts.ipv6Only ?? false) && normalizeAddress(a.address) === '::',
          hops,
        );
        socket.on('message', (data, rinfo) => {
          onDatagram(data, { address: normalizeAddress(rinfo.address), port: rinfo.port });
        });
        // Errors after bind (e.g. ICMP-driven ECONNREFUSED on some OSes) must not crash the process.
        socket.on('error', onError);
        resolve(ep);
      });
    });
  }

  /** Can this socket send to `address`? */
  canReach(address: string): boolean {
    const f = familyOf(address);
    if (f === 0) return this.family === 4; // host name: let the OS resolve it (IPv4 socket)
    return f === this.family || (f === 4 && this.dualStack);
  }

  send(data: Buffer, remote: Endpoint): Promise<void> {
    if (this.closed) return Promise.reject(new Error('UDP socket closed'));
    const address = this.sendAddress(remote);
    return new Promise((resolve, reject) => {
      this.socket.send(data, remote.port, address, (err) => {
        if (err) reject(new Error(`UDP send to ${remote.address}:${remote.port} failed: ${err.message}`));
        else resolve();
      });
    });
  }

  /**
   * Send a request through the hop's connected socket (same source port), so an ICMP
   * unreachable for it is seen; falls back to the listening socket where none can be made.
   */
  async sendRequest(data: Buffer, remote: Endpoint): Promise<void> {
    if (this.closed) throw new Error('UDP socket closed');
    const hop = familyOf(remote.address) === 0 ? undefined : await this.hops?.socketFor(remote, this.sendAddress(remote));
    if (!hop) return this.send(data, remote);
    return new Promise((resolve, reject) => {
      hop.send(data, (err) => {
        if (!err) return resolve();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') reject(new Error(`connection-refused: ICMP port unreachable from udp ${remote.address}:${remote.port} (ECONNREFUSED)`));
        else reject(new Error(`UDP send to ${remote.address}:${remote.port} failed: ${err.message}`));
      });
    });
  }

  private sendAddress(remote: Endpoint): string {
    return this.family === 6 && familyOf(remote.address) === 4 ? `::ffff:${remote.address}` : remote.address;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.hops?.close();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * dgram resolves the address of every send; for an IP literal (what the SIP layer always sends
 * to, RFC 3263 resolution happened before) Node's default defers the answer to the next tick.
 * Answered at once here, so a send costs no extra tick; names still go to dns.lookup.
 */
function literalLookup(address: string, family: number | LookupOptions, callback: LookupCallback): void {
  const fam = familyOf(address);
  if (fam !== 0) callback(null, address, typeof family === 'number' ? family : fam);
  else lookup(address, typeof family === 'number' ? { family } : family, callback as never);
}

/** The port to bind: opts.port if a plain exclusive bind of it works (else the bind error), or the one the OS picks for 0. */
function probePort(opts: UdpBindOptions, family: Family): Promise<number> {
  const probe = createSocket(family === 6 ? { type: 'udp6', ipv6Only: opts.ipv6Only ?? false } : { type: 'udp4' });
  return new Promise((resolve, reject) => {
    probe.once('error', (err) => {
      probe.close();
      reject(new Error(`cannot bind UDP ${opts.address}:${opts.port}: ${err.message}`));
    });
    probe.bind({ address: opts.address, port: opts.port, exclusive: true }, () => {
      const port = probe.address().port;
      // The port is free once close() returns; the handle itself goes in libuv's close phase,
      // so wait one timer tick and leave no trace of the probe behind.
      probe.close(() => setTimeout(() => resolve(port), 0));
    });
  });
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

function trySet(fn: () => void): void {
  try {
    fn();
  } catch {
    // ERR_SOCKET_BUFFER_SIZE: the OS refused; keep its default.
  }
}
