/**
 * Connected UDP sockets, one per next hop we send requests to, sharing the local address and
 * port of the listening socket (both carry SO_REUSEADDR; Linux hands a datagram to the socket
 * whose connected peer matches it, the rest to the listening socket). What they add: an ICMP
 * port-unreachable for that hop surfaces as ECONNREFUSED on a connected socket only, so a request
 * to a UDP port where nothing listens fails at once instead of after timer B (RFC 3261 §18.4:
 * "ICMP errors ... SHOULD be treated as transport errors"; §8.1.3.1 and RFC 3263 §4.3 then try
 * the next target). On the wire nothing changes: the same source address and port.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Endpoint } from './types.ts';
import { normalizeAddress, type Family } from './ip.ts';

/** At most this many hop sockets per listening socket; the least recently used is closed. */
const MAX_HOPS = 32;

export interface UdpHopOptions {
  family: Family;
  /** The address the listening socket is bound to, as given to bind. */
  bindAddress: string;
  port: number;
  ipv6Only: boolean;
  onDatagram(data: Buffer, remote: Endpoint): void;
  /** ICMP port (or host) unreachable came back for `remote`. */
  onRefused(remote: Endpoint, code: string): void;
}

export class UdpHopSockets {
  private readonly opts: UdpHopOptions;
  private readonly hops = new Map<string, Promise<Socket | undefined>>();
  private closed = false;

  constructor(opts: UdpHopOptions) {
    this.opts = opts;
  }

  /** The connected socket for `remote` (made on first use), or undefined where one cannot be made. */
  async socketFor(remote: Endpoint, sendAddress: string): Promise<Socket | undefined> {
    if (this.closed) return undefined;
    const key = `${normalizeAddress(remote.address)}|${remote.port}`;
    let hop = this.hops.get(key);
    if (hop) {
      // Most recently used last (Map keeps insertion order).
      this.hops.delete(key);
      this.hops.set(key, hop);
      return hop;
    }
    hop = this.open(remote, sendAddress);
    this.hops.set(key, hop);
    if (this.hops.size > MAX_HOPS) {
      const [oldKey, oldest] = this.hops.entries().next().value as [string, Promise<Socket | undefined>];
      this.hops.delete(oldKey);
      void oldest.then((s) => s?.close());
    }
    const s = await hop;
    if (!s) this.hops.delete(key);
    return s;
  }

  private open(remote: Endpoint, sendAddress: string): Promise<Socket | undefined> {
    const o = this.opts;
    const socket = createSocket(o.family === 6 ? { type: 'udp6', ipv6Only: o.ipv6Only, reuseAddr: true } : { type: 'udp4', reuseAddr: true });
    return new Promise((resolve) => {
      const fail = (): void => {
        socket.close();
        resolve(undefined);
      };
      socket.once('error', fail);
      socket.bind({ address: o.bindAddress, port: o.port, exclusive: true }, () => {
        socket.connect(remote.port, sendAddress, () => {
          socket.off('error', fail);
          socket.on('message', (data, rinfo) => o.onDatagram(data, { address: normalizeAddress(rinfo.address), port: rinfo.port }));
          socket.on('error', (err: NodeJS.ErrnoException) => {
            // RFC 1122 §4.1.3.3: a UDP layer passes ICMP destination unreachable up to the application.
            if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') o.onRefused(remote, err.code);
          });
          resolve(socket);
        });
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = await Promise.all(this.hops.values());
    this.hops.clear();
    await Promise.all(all.map((s) => (s ? new Promise<void>((r) => s.close(() => r())) : undefined)));
  }
}
