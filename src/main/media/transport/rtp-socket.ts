/**
 * UDP sockets of one RTP session (the only node:dgram user of the media engine, DESIGN.md):
 * an RTP socket on an even port and, unless rtcp-mux (RFC 5761), an RTCP socket on the next port
 * (RFC 3550 §11). IPv4 or IPv6 (`::` is dual-stack; IPv4 peers are then reached IPv4-mapped).
 * Socket errors never throw: they are counted, and the session keeps running.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { portPoolFor, type PortPool, type PortRange } from './port-pool.ts';

export interface RemoteAddress {
  address: string;
  port: number;
}

export type DatagramHandler = (buf: Buffer, remote: RemoteAddress) => void;

export interface SocketCounters {
  sendErrors: number;
  receiveErrors: number;
  lastError?: string;
}

/**
 * Default receive buffer (1 MiB; Linux caps it at net.core.rmem_max): room for a stalled event
 * loop's worth of packets, so a GC pause or a busy tick does not turn into loss.
 */
export const DEFAULT_RECV_BUFFER_BYTES = 1 << 20;

function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** One bound UDP socket. */
export class MediaSocket {
  readonly address: string;
  readonly port: number;
  readonly counters: SocketCounters = { sendErrors: 0, receiveErrors: 0 };
  private readonly socket: Socket;
  private readonly v6: boolean;
  private closed = false;

  private constructor(socket: Socket, v6: boolean) {
    this.socket = socket;
    this.v6 = v6;
    const a = socket.address();
    this.address = normalize(a.address);
    this.port = a.port;
  }

  /** Bind `address:port`; rejects with the OS error (its `code`, e.g. EADDRINUSE, kept). */
  static bind(
    address: string,
    port: number,
    onDatagram: DatagramHandler,
    recvBufferBytes = DEFAULT_RECV_BUFFER_BYTES,
  ): Promise<MediaSocket> {
    const v6 = isIP(address) === 6;
    if (!v6 && isIP(address) !== 4) {
      return Promise.reject(new Error(`RTP bind address "${address}" is not an IP address`));
    }
    const socket = createSocket(v6 ? { type: 'udp6', ipv6Only: false } : { type: 'udp4' });
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', fail);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.off('error', fail);
        const ms = new MediaSocket(socket, v6);
        try {
          socket.setRecvBufferSize(recvBufferBytes); // the OS may cap it (net.core.rmem_max)
        } catch {
          // keep the default buffer
        }
        socket.on('message', (buf, rinfo) => {
          onDatagram(buf, { address: normalize(rinfo.address), port: rinfo.port });
        });
        socket.on('error', (err) => ms.countError('receive', err));
        resolve(ms);
      });
    });
  }

  /** Send without throwing; failures (bad address, ICMP errors, closed socket) are counted. */
  send(buf: Buffer, to: RemoteAddress, done?: () => void): void {
    if (this.closed) {
      this.counters.sendErrors++;
      done?.();
      return;
    }
    const address = this.v6 && isIP(to.address) === 4 ? `::ffff:${to.address}` : to.address;
    try {
      this.socket.send(buf, to.port, address, (err) => {
        if (err) this.countError('send', err);
        done?.();
      });
    } catch (err) {
      this.countError('send', err);
      done?.();
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  private countError(kind: 'send' | 'receive', err: unknown): void {
    if (kind === 'send') this.counters.sendErrors++;
    else this.counters.receiveErrors++;
    this.counters.lastError = err instanceof Error ? err.message : String(err);
  }
}

export interface RtpSocketPairOptions {
  bindAddress: string;
  portRange?: PortRange;
  /** RFC 5761: one socket carries RTP and RTCP. */
  rtcpMux: boolean;
  recvBufferBytes?: number;
  /** Defaults to the process-wide pool of `portRange`. */
  pool?: PortPool;
  onRtp: DatagramHandler;
  /** Datagrams of the RTCP socket (never called with rtcp-mux: the session demultiplexes). */
  onRtcp: DatagramHandler;
}

/** The RTP socket and, without rtcp-mux, the RTCP socket of one session. */
export class RtpSocketPair {
  readonly rtp: MediaSocket;
  readonly rtcp: MediaSocket | undefined;
  private readonly release: () => void;
  private closing: Promise<void> | undefined;

  private constructor(rtp: MediaSocket, rtcp: MediaSocket | undefined, release: () => void) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.release = release;
  }

  static async open(opts: RtpSocketPairOptions): Promise<RtpSocketPair> {
    const pool = opts.pool ?? portPoolFor(opts.portRange);
    const alloc = await pool.allocate(!opts.rtcpMux, async (port) => {
      const rtp = await MediaSocket.bind(opts.bindAddress, port, opts.onRtp, opts.recvBufferBytes);
      if (opts.rtcpMux) return { rtp, rtcp: undefined };
      try {
        const rtcp = await MediaSocket.bind(
          opts.bindAddress,
          port + 1,
          opts.onRtcp,
          opts.recvBufferBytes,
        );
        return { rtp, rtcp };
      } catch (err) {
        await rtp.close();
        throw err;
      }
    });
    return new RtpSocketPair(alloc.value.rtp, alloc.value.rtcp, alloc.release);
  }

  get localAddress(): string {
    return this.rtp.address;
  }
  get rtpPort(): number {
    return this.rtp.port;
  }
  /** The RTCP port: the RTP port itself with rtcp-mux. */
  get rtcpPort(): number {
    return this.rtcp?.port ?? this.rtp.port;
  }

  sendRtp(buf: Buffer, to: RemoteAddress, done?: () => void): void {
    this.rtp.send(buf, to, done);
  }

  sendRtcp(buf: Buffer, to: RemoteAddress, done?: () => void): void {
    (this.rtcp ?? this.rtp).send(buf, to, done);
  }

  counters(): SocketCounters {
    const a = this.rtp.counters;
    const b = this.rtcp?.counters;
    return {
      sendErrors: a.sendErrors + (b?.sendErrors ?? 0),
      receiveErrors: a.receiveErrors + (b?.receiveErrors ?? 0),
      lastError: b?.lastError ?? a.lastError,
    };
  }

  /** Close both sockets, then give the ports back. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.rtp.close(), this.rtcp?.close()]).then(() => this.release());
    return this.closing;
  }
}
