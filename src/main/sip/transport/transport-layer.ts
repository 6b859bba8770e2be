/**
 * The SIP transport layer (RFC 3261 §18): UDP, TCP and TLS listeners, outbound connections with
 * reuse, framing, received/rport stamping, response routing and a byte-exact trace of every
 * message. The transaction layer sees it only as a MessageSender plus 'message' events.
 */
import type { Socket } from 'node:net';
import type { SipMessage, SipResponse } from '../syntax/message.ts';
import { SipParseError } from '../syntax/message.ts';
import { parseMessage } from '../syntax/parser.ts';
import { serializeMessage } from '../syntax/serializer.ts';
import { callIdKey, scanCallId } from '../syntax/header-scan.ts';
import type { Destination, Endpoint, Flow, MessageSender, TraceRecord, TransportProto } from './types.ts';
import { StreamConnection, type ConnectionInfo } from './connection.ts';
import { ConnectionGuard, type ConnectionCaps } from './connection-guard.ts';
import { TypedEmitter } from './typed-emitter.ts';
import { UdpEndpoint } from './udp.ts';
import { connectTcp, listenTcp, type StreamServer } from './tcp.ts';
import { connectTls, listenTls, type TlsOptions } from './tls.ts';
import { stampReceived } from './inbound-via.ts';
import { computeResponseDestination } from './response-destination.ts';
import { concreteEndpoint, pickListener, streamReach } from './local-address.ts';
import { familyOf, isLoopback, isWildcard, normalizeAddress, sameAddress, type Family } from './ip.ts';

export interface ListenSpec {
  proto: TransportProto;
  address: string;
  /** 0 = ephemeral. */
  port: number;
}

export interface TransportOptions {
  listen: ListenSpec[];
  tls?: TlsOptions;
  /**
   * Framing and connection limits. idleTimeoutMs: inbound default 120 000 (0 = none);
   * headerTimeoutMs: a header section (or a new connection's first message) must arrive within
   * it, inbound default 10 000; maxConnections / maxConnectionsPerSource: connection-guard.ts.
   */
  limits?: { maxHeaderBytes?: number; maxBodyBytes?: number; idleTimeoutMs?: number; headerTimeoutMs?: number } & ConnectionCaps;
  /** TCP/TLS connect (and handshake) timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Default 4 MiB; the OS may cap it. */
  udpRecvBufferBytes?: number;
  udpSendBufferBytes?: number;
}

export interface MalformedInfo {
  raw: Buffer;
  flow: Flow;
  reason: string;
  /** The response the RFC calls for, when the bytes were a request (usually 400). */
  status?: number;
}

// A type alias (not an interface) so it satisfies EventMap's index signature.
export type TransportEvents = {
  message: [msg: SipMessage, flow: Flow];
  malformed: [info: MalformedInfo];
  trace: [record: TraceRecord];
  keepalive: [info: { flow: Flow; kind: 'ping' | 'pong' }];
  'connection-open': [info: ConnectionInfo];
  'connection-closed': [info: { flow: Flow; reason: string }];
  /** ICMP unreachable for a UDP hop we sent a request to (RFC 3261 §18.4: a transport error). */
  unreachable: [info: { proto: TransportProto; remote: Endpoint; error: string }];
};

interface Bound {
  proto: TransportProto;
  local: Endpoint;
  reach(address: string): boolean;
  close(): Promise<void>;
  udp?: UdpEndpoint;
}

/** Emits TransportEvents ('message', 'malformed', 'trace', 'keepalive', 'connection-*'). */
export class TransportLayer extends TypedEmitter<TransportEvents> implements MessageSender {
  /** The bound sockets with their actual ports. */
  readonly listeners: Array<{ proto: TransportProto; local: Endpoint }> = [];
  private readonly opts: TransportOptions;
  private readonly bound: Bound[] = [];
  private readonly ephemeralUdp = new Map<Family, Promise<UdpEndpoint>>();
  private readonly conns = new Map<number, StreamConnection>();
  private readonly connecting = new Map<string, Promise<StreamConnection>>();
  /** Sockets still connecting (destroyed by close()). */
  private readonly dialing = new Set<Socket>();
  private nextConnId = 1;
  private closed = false;
  private readonly inflight = new Set<Promise<Flow>>();
  /** Caps on inbound TCP/TLS connections, shared by every stream listener. */
  readonly guard: ConnectionGuard;

  private constructor(opts: TransportOptions) {
    super();
    this.opts = opts;
    this.guard = new ConnectionGuard(opts.limits);
  }

  static async start(opts: TransportOptions): Promise<TransportLayer> {
    const layer = new TransportLayer(opts);
    try {
      for (const spec of opts.listen) await layer.bind(spec);
    } catch (e) {
      await layer.close();
      throw e;
    }
    return layer;
  }

  private async bind(spec: ListenSpec): Promise<void> {
    // A `::` socket is dual-stack unless an IPv4 listener of the same protocol is also wanted.
    const ipv6Only = this.opts.listen.some((l) => l.proto === spec.proto && familyOf(l.address) === 4);
    const listen = { address: spec.address, port: spec.port, ipv6Only, admit: (s: Socket) => this.guard.admit(s) };
    let b: Bound;
    if (spec.proto === 'udp') {
      const ep = await UdpEndpoint.bind(
        {
          ...listen,
          recvBufferBytes: this.opts.udpRecvBufferBytes,
          sendBufferBytes: this.opts.udpSendBufferBytes,
          onRefused: (remote, code) => this.onIcmpUnreachable(ep, remote, code),
        },
        (data, remote) => this.onDatagram(ep, data, remote),
        () => undefined, // no ICMP errors surface on unconnected sockets; never crash on others
      );
      b = { proto: 'udp', local: ep.local, reach: (a) => ep.canReach(a), close: () => ep.close(), udp: ep };
    } else {
      let server: StreamServer;
      if (spec.proto === 'tcp') server = await listenTcp(listen, (s) => this.adopt(s, 'tcp', 'inbound'));
      else {
        server = await listenTls(
          listen,
          this.opts.tls ?? {},
          (s) => this.adopt(s, 'tls', 'inbound'),
          (reason, remote) => this.trace('in', 'tls', server.local, remote, Buffer.alloc(0), reason),
        );
      }
      b = { proto: spec.proto, local: server.local, reach: streamReach(server.local, ipv6Only), close: () => server.close() };
    }
    this.bound.push(b);
    this.listeners.push({ proto: spec.proto, local: b.local });
  }

  /** For the UA (UaTransport.onUnreachable): ICMP unreachable for a UDP hop. */
  onUnreachable(listener: (info: { proto: TransportProto; remote: Endpoint; error: string }) => void): void {
    this.on('unreachable', listener);
  }

  // ---- sending ----

  async send(msg: SipMessage, dest: Destination): Promise<Flow> {
    return this.sendRaw(serializeMessage(msg), dest);
  }

  /** Send bytes as they are (the trunk tester's "send exactly this"). */
  sendRaw(data: Buffer, dest: Destination): Promise<Flow> {
    if (this.closed) return Promise.reject(new Error('transport layer is closed'));
    // Tracked so close() lets a last message (an ACK, a BYE's 200) leave before sockets close.
    const p = this.sendNow(data, dest);
    this.inflight.add(p);
    const done = (): void => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  private async sendNow(data: Buffer, dest: Destination): Promise<Flow> {
    const remote = { address: normalizeAddress(dest.remote.address), port: dest.remote.port };
    if (dest.proto === 'udp') {
      const ep = await this.udpFor(remote.address, dest.local);
      const flow: Flow = { proto: 'udp', local: concreteEndpoint(ep.local, remote.address), remote };
      try {
        // Requests go out through the hop's connected socket, which sees ICMP unreachable.
        await (isResponseBytes(data) ? ep.send(data, remote) : ep.sendRequest(data, remote));
      } catch (e) {
        this.trace('out', 'udp', flow.local, remote, data, (e as Error).message);
        throw e;
      }
      this.trace('out', 'udp', flow.local, remote, data);
      return flow;
    }
    const conn = await this.connectionFor(dest.proto, remote, dest.connId, dest.servername);
    try {
      await conn.write(data);
    } catch (e) {
      this.trace('out', conn.proto, conn.local, conn.remote, data, (e as Error).message);
      throw e;
    }
    this.trace('out', conn.proto, conn.local, conn.remote, data);
    return conn.flow;
  }

  /** RFC 3261 §18.2.2 + RFC 3581 §4: where to send a response to a request received on `flow`. */
  responseDestination(res: SipResponse, flow?: Flow): Destination {
    return computeResponseDestination(res, flow, (id) => this.conns.get(id)?.open ?? false);
  }

  /** Address and port for Via sent-by and Contact on `proto` towards `remoteAddress`. */
  localEndpoint(proto: TransportProto, remoteAddress?: string): Endpoint {
    const l = pickListener(
      this.bound.filter((b) => b.proto === proto),
      remoteAddress,
    );
    if (!l) throw new Error(`no ${proto} listener${remoteAddress ? ` usable for ${remoteAddress}` : ''}: add one to 'listen'`);
    return concreteEndpoint(l.local, remoteAddress);
  }

  connections(): ConnectionInfo[] {
    return [...this.conns.values()].filter((c) => c.open).map((c) => c.info());
  }

  connectionInfo(connId: number): ConnectionInfo | undefined {
    const c = this.conns.get(connId);
    return c?.open ? c.info() : undefined;
  }

  closeConnection(connId: number, reason = 'closed locally'): void {
    this.conns.get(connId)?.close(reason);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Abort connects still dialing, then let messages already handed to established sockets go
    // out (bounded, so a peer that stops reading cannot hang close).
    for (const s of this.dialing) s.destroy();
    if (this.inflight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((r) => (timer = setTimeout(r, 1000)));
      await Promise.race([Promise.allSettled([...this.inflight]), limit]);
      clearTimeout(timer);
    }
    for (const c of this.conns.values()) c.close('transport layer closed');
    await Promise.allSettled([...this.connecting.values()]);
    const eph = await Promise.allSettled([...this.ephemeralUdp.values()]);
    await Promise.all([
      ...this.bound.map((b) => b.close()),
      ...eph.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)),
    ]);
    this.conns.clear();
  }

  // ---- receiving ----

  private onDatagram(ep: UdpEndpoint, data: Buffer, remote: Endpoint): void {
    const flow: Flow = { proto: 'udp', local: concreteEndpoint(ep.local, remote.address), remote };
    // CRLF keep-alives over UDP (sent by many UAs) are not messages.
    if (data.length > 0 && data.every((b) => b === 0x0d || b === 0x0a)) {
      this.emit('keepalive', { flow, kind: data.length >= 4 ? 'ping' : 'pong' });
      return;
    }
    this.receive(data, flow);
  }

  /** RFC 3261 §18.4: an ICMP error for a request we sent is a transport error; traced and told. */
  private onIcmpUnreachable(ep: UdpEndpoint, remote: Endpoint, code: string): void {
    const error = `connection-refused: ICMP ${code === 'ECONNREFUSED' ? 'port' : 'host'} unreachable from udp ${remote.address}:${remote.port} (${code})`;
    this.trace('in', 'udp', concreteEndpoint(ep.local, remote.address), remote, Buffer.alloc(0), error);
    this.emit('unreachable', { proto: 'udp', remote, error });
  }

  private receive(raw: Buffer, flow: Flow): void {
    let msg: SipMessage;
    try {
      msg = parseMessage(raw);
      if (msg.type === 'request') stampReceived(msg, flow.remote);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const status = e instanceof SipParseError ? e.status : undefined;
      this.trace('in', flow.proto, flow.local, flow.remote, raw, reason);
      this.emit('malformed', { raw, flow, reason, ...(status !== undefined ? { status } : {}) });
      return;
    }
    this.trace('in', flow.proto, flow.local, flow.remote, raw, undefined, msg);
    this.emit('message', msg, flow);
  }

  private adopt(socket: Socket, proto: 'tcp' | 'tls', direction: 'inbound' | 'outbound'): StreamConnection {
    const id = this.nextConnId++;
    const conn = new StreamConnection(id, proto, direction, socket, this.opts.limits ?? {}, {
      onMessage: (c, data) => this.receive(data, c.flow),
      onActivity: (c) => this.guard.touch(c.remote.address, c.remote.port),
      onKeepalive: (c, kind) => {
        if (kind === 'ping') this.trace('out', c.proto, c.local, c.remote, Buffer.from('\r\n'));
        this.emit('keepalive', { flow: c.flow, kind });
      },
      onClose: (c, reason, framingError, pending) => {
        this.conns.delete(c.id);
        if (framingError) {
          this.trace('in', c.proto, c.local, c.remote, pending, reason);
          this.emit('malformed', { raw: pending, flow: c.flow, reason });
        }
        this.emit('connection-closed', { flow: c.flow, reason });
      },
    });
    if (this.closed) conn.close('transport layer closed');
    else {
      this.conns.set(id, conn);
      this.emit('connection-open', conn.info());
    }
    return conn;
  }

  // ---- choosing sockets and connections ----

  private async connectionFor(proto: TransportProto, remote: Endpoint, connId?: number, servername?: string): Promise<StreamConnection> {
    if (connId !== undefined) {
      const c = this.conns.get(connId);
      if (c?.open && c.proto === proto) return c;
    }
    // RFC 3261 §18: reuse any open connection (ours or the peer's) to the same endpoint.
    for (const c of this.conns.values()) {
      if (c.open && c.proto === proto && c.remote.port === remote.port && sameAddress(c.remote.address, remote.address)) return c;
    }
    const key = `${proto}|${remote.address}|${remote.port}`;
    let pending = this.connecting.get(key);
    if (!pending) {
      pending = this.connect(proto, remote, servername).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private async connect(proto: TransportProto, remote: Endpoint, servername?: string): Promise<StreamConnection> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 5000;
    // Bind outbound connections to a concrete listening address of the right scope, if any.
    const fixed = this.listeners.find(
      (l) => l.proto === proto && !isWildcard(l.local.address) && familyOf(l.local.address) === familyOf(remote.address) && isLoopback(l.local.address) === isLoopback(remote.address),
    );
    let dialing: Socket | undefined;
    const copts = {
      timeoutMs,
      ...(fixed ? { localAddress: fixed.local.address } : {}),
      onSocket: (s: Socket) => this.dialing.add((dialing = s)),
    };
    let socket: Socket;
    try {
      socket = proto === 'tls' ? await connectTls(remote, copts, this.opts.tls ?? {}, servername) : await connectTcp(remote, copts);
    } finally {
      if (dialing) this.dialing.delete(dialing);
    }
    const conn = this.adopt(socket, proto === 'tls' ? 'tls' : 'tcp', 'outbound');
    if (this.closed) throw new Error('transport layer is closed');
    return conn;
  }

  private async udpFor(remoteAddress: string, local?: Endpoint): Promise<UdpEndpoint> {
    const eps = this.bound.filter((b) => b.udp !== undefined && b.reach(remoteAddress));
    if (local) {
      const exact = eps.find((e) => e.local.port === local.port && (isWildcard(e.local.address) || sameAddress(e.local.address, local.address)));
      if (exact) return exact.udp!;
    }
    const l = pickListener(eps, remoteAddress);
    if (l) return l.udp!;
    // No listener of that family: one ephemeral socket per family, receiving replies too.
    const family: Family = familyOf(remoteAddress) === 6 ? 6 : 4;
    let eph = this.ephemeralUdp.get(family);
    if (!eph) {
      eph = UdpEndpoint.bind(
        {
          address: family === 6 ? '::' : '0.0.0.0',
          port: 0,
          ipv6Only: true,
          recvBufferBytes: this.opts.udpRecvBufferBytes,
          onRefused: (remote, code) => void eph!.then((ep) => this.onIcmpUnreachable(ep, remote, code)),
        },
        (data, remote) => void eph!.then((ep) => this.onDatagram(ep, data, remote)),
        () => undefined,
      );
      this.ephemeralUdp.set(family, eph);
    }
    return eph;
  }

  private trace(dir: 'in' | 'out', proto: TransportProto, local: Endpoint, remote: Endpoint, raw: Buffer, error?: string, parsed?: SipMessage): void {
    const rec: TraceRecord = { dir, at: Date.now(), proto, local, remote, raw };
    if (error !== undefined) rec.error = error;
    // The parsed message's Call-ID when there is one; else a bounded linear scan of the bytes.
    const pid = parsed?.headers.get('call-id');
    const callId = pid !== undefined && pid !== '' ? callIdKey(pid) : raw.length > 0 ? scanCallId(raw) : undefined;
    if (callId !== undefined) rec.callId = callId;
    this.emit('trace', rec);
  }
}

/** A serialized response starts with its status line (RFC 3261 §7.2). */
function isResponseBytes(data: Buffer): boolean {
  return data.length >= 8 && data.toString('latin1', 0, 8) === 'SIP/2.0 ';
}
