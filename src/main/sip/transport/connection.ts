/**
 * One TCP or TLS connection carrying SIP: framing (RFC 3261 §18.3), keep-alive pong
 * (RFC 5626 §4.4.1), idle timeout, and an id so responses and later requests can reuse it
 * (RFC 3261 §18, §18.2.2).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { FramingError, StreamFramer, type FramerLimits } from '../syntax/framer.ts';
import type { Endpoint, Flow, TransportProto } from './types.ts';
import { normalizeAddress } from './ip.ts';

export interface TlsPeerInfo {
  /** The peer's certificate verified against the trusted CAs. */
  authorized: boolean;
  authorizationError?: string;
  /** Subject CN of the peer certificate, when one was presented. */
  peerSubjectCN?: string;
  protocol?: string;
}

export interface ConnectionInfo {
  connId: number;
  proto: TransportProto;
  direction: 'inbound' | 'outbound';
  local: Endpoint;
  remote: Endpoint;
  tls?: TlsPeerInfo;
}

export interface ConnectionHandlers {
  onMessage(conn: StreamConnection, data: Buffer): void;
  onKeepalive(conn: StreamConnection, kind: 'ping' | 'pong'): void;
  /** Bytes arrived (the connection guard's "last active"). */
  onActivity?(conn: StreamConnection): void;
  /** The connection ended; `reason` says why, `pending` holds unframed bytes if framing broke. */
  onClose(conn: StreamConnection, reason: string, framingError: boolean, pending: Buffer): void;
}

/** Inbound defaults: idle connections close after 2 min, a header must arrive within 10 s. */
export const DEFAULT_IDLE_MS = 120_000;
export const DEFAULT_HEADER_MS = 10_000;

export class StreamConnection {
  readonly id: number;
  readonly proto: TransportProto;
  readonly direction: 'inbound' | 'outbound';
  readonly local: Endpoint;
  readonly remote: Endpoint;
  private readonly socket: Socket;
  private readonly framer: StreamFramer;
  private readonly handlers: ConnectionHandlers;
  private closeReason: string | undefined;
  private framingFailed = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly headerTimeoutMs: number;
  private headerTimer: NodeJS.Timeout | undefined;

  constructor(
    id: number,
    proto: TransportProto,
    direction: 'inbound' | 'outbound',
    socket: Socket,
    limits: FramerLimits & { idleTimeoutMs?: number; headerTimeoutMs?: number },
    handlers: ConnectionHandlers,
  ) {
    this.id = id;
    this.proto = proto;
    this.direction = direction;
    this.socket = socket;
    this.handlers = handlers;
    this.framer = new StreamFramer(limits);
    this.local = { address: normalizeAddress(socket.localAddress ?? ''), port: socket.localPort ?? 0 };
    this.remote = { address: normalizeAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.closeReason ??= `connection error: ${err.message}${err.code ? ` (${err.code})` : ''}`;
    });
    socket.on('end', () => {
      this.closeReason ??= 'closed by peer';
      socket.end();
    });
    socket.on('close', () => {
      this.closeReason ??= 'closed';
      handlers.onClose(this, this.closeReason, this.framingFailed, this.pending);
    });
    // Inbound connections close when idle (default 120 s) and when a header section is not
    // complete within headerTimeoutMs of its first byte (slowloris) — or, for a new connection,
    // when nothing arrives in that time (issue 15: 2000 idle connections were kept for 100 s).
    const idle = limits.idleTimeoutMs ?? (direction === 'inbound' ? DEFAULT_IDLE_MS : 0);
    if (idle > 0) {
      socket.setTimeout(idle, () => this.close(`idle for ${idle} ms`));
    }
    this.headerTimeoutMs = limits.headerTimeoutMs ?? (direction === 'inbound' ? DEFAULT_HEADER_MS : 0);
    if (this.headerTimeoutMs > 0) this.armHeaderTimer('no message');
    socket.once('close', () => clearTimeout(this.headerTimer));
  }

  private armHeaderTimer(what: string): void {
    if (this.headerTimer !== undefined || this.headerTimeoutMs <= 0) return;
    const ms = this.headerTimeoutMs;
    this.headerTimer = setTimeout(() => this.close(`${what} within ${ms} ms (header-read timeout)`), ms);
    this.headerTimer.unref();
  }

  private disarmHeaderTimer(): void {
    clearTimeout(this.headerTimer);
    this.headerTimer = undefined;
  }

  get open(): boolean {
    return this.closeReason === undefined && !this.socket.destroyed;
  }

  get flow(): Flow {
    return { proto: this.proto, local: this.local, remote: this.remote, connId: this.id };
  }

  info(): ConnectionInfo {
    const info: ConnectionInfo = { connId: this.id, proto: this.proto, direction: this.direction, local: this.local, remote: this.remote };
    if (this.proto === 'tls') {
      const s = this.socket as TLSSocket;
      const cert = s.getPeerCertificate?.();
      const cn = cert?.subject?.CN;
      const err = s.authorizationError as Error | string | null | undefined;
      info.tls = {
        authorized: s.authorized === true,
        ...(err ? { authorizationError: typeof err === 'string' ? err : err.message } : {}),
        ...(typeof cn === 'string' ? { peerSubjectCN: cn } : Array.isArray(cn) && cn[0] ? { peerSubjectCN: cn[0] } : {}),
        ...(s.getProtocol?.() ? { protocol: s.getProtocol()! } : {}),
      };
    }
    return info;
  }

  write(data: Buffer): Promise<void> {
    if (!this.open) return Promise.reject(new Error(`connection ${this.id} to ${this.remote.address}:${this.remote.port} is closed`));
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => {
        if (err) reject(new Error(`write on connection ${this.id} failed: ${err.message}`));
        else resolve();
      });
    });
  }

  /** Close now (destroy: no lingering half-open socket, no timers). */
  close(reason: string): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.framingFailed) return;
    this.handlers.onActivity?.(this);
    let items;
    try {
      items = this.framer.push(chunk);
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      items = e.output;
      this.framingFailed = true;
      this.pending = this.framer.peek();
      this.closeReason ??= `framing error: ${e.message}`;
    }
    for (const item of items) {
      if (item.kind === 'message') this.handlers.onMessage(this, item.data);
      else if (item.kind === 'keepalive-ping') {
        // RFC 5626 §4.4.1: answer a CRLFCRLF ping with a CRLF pong.
        if (this.open) this.socket.write('\r\n');
        this.handlers.onKeepalive(this, 'ping');
      } else this.handlers.onKeepalive(this, 'pong');
    }
    if (this.framingFailed) this.socket.destroy();
    else if (this.headerTimeoutMs > 0) {
      // A message whose header has begun must finish it in time; a complete one stops the clock.
      if (items.some((i) => i.kind === 'message')) this.disarmHeaderTimer();
      if (this.framer.headerPending) this.armHeaderTimer('header section not complete');
    }
  }
}
