/**
 * An in-memory network for unit tests of the UA layer: messages are serialized and parsed again
 * (so tests exercise the real wire format) and delivered asynchronously; a drop filter simulates
 * loss.
 */
import { EventEmitter } from 'node:events';
import { parseMessage } from '../../src/main/sip/syntax/parser.ts';
import { serializeMessage } from '../../src/main/sip/syntax/serializer.ts';
import type { SipMessage, SipResponse } from '../../src/main/sip/syntax/message.ts';
import type { Destination, Endpoint, Flow, TransportProto } from '../../src/main/sip/transport/types.ts';
import type { UaTransport } from '../../src/main/sip/ua/types.ts';

export class MemoryNetwork {
  readonly nodes = new Map<string, MemoryTransport>();
  /** Return true to drop a message (first line given for convenience). */
  drop: (firstLine: string, from: Endpoint, to: Endpoint) => boolean = () => false;
  readonly log: string[] = [];

  node(address: string, port = 5060): MemoryTransport {
    const t = new MemoryTransport(this, { address, port });
    this.nodes.set(`${address}:${port}`, t);
    return t;
  }
}

export class MemoryTransport extends EventEmitter<{ message: [SipMessage, Flow] }> implements UaTransport {
  readonly net: MemoryNetwork;
  readonly local: Endpoint;
  sent: SipMessage[] = [];

  constructor(net: MemoryNetwork, local: Endpoint) {
    super();
    this.net = net;
    this.local = local;
  }

  async send(msg: SipMessage, dest: Destination): Promise<Flow> {
    const flow: Flow = { proto: dest.proto, local: this.local, remote: dest.remote };
    const peer = this.net.nodes.get(`${dest.remote.address}:${dest.remote.port}`);
    if (!peer) throw new Error(`connection refused by ${dest.remote.address}:${dest.remote.port}`);
    const bytes = serializeMessage(msg);
    const first = bytes.toString('latin1', 0, bytes.indexOf('\r\n'));
    this.sent.push(parseMessage(bytes));
    this.net.log.push(`${this.local.address} -> ${dest.remote.address}: ${first}`);
    if (this.net.drop(first, this.local, dest.remote)) return flow;
    queueMicrotask(() => peer.emit('message', parseMessage(bytes), { proto: dest.proto, local: peer.local, remote: this.local }));
    return flow;
  }

  localEndpoint(_proto: TransportProto): Endpoint {
    return this.local;
  }

  responseDestination(_res: SipResponse, flow: Flow): Destination {
    return { proto: flow.proto, remote: flow.remote };
  }
}

/** Let queued deliveries and promise chains run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
