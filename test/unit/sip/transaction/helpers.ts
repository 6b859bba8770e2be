/** Shared fixtures for the transaction tests: a recording in-memory sender and message builders. */
import { FakeClock } from '../../../support/fake-clock.ts';
import {
  createRequest,
  createResponse,
  Headers,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../../src/main/sip/syntax/message.ts';
import type {
  Destination,
  Flow,
  MessageSender,
  TransportProto,
} from '../../../../src/main/sip/transport/types.ts';
import { TransactionLayer } from '../../../../src/main/sip/transaction/transaction-layer.ts';
import type {
  ClientTxUser,
  ServerTransaction,
} from '../../../../src/main/sip/transaction/types.ts';
import type { TimerConfig } from '../../../../src/main/sip/transaction/timers.ts';

export interface SentRecord {
  msg: SipMessage;
  dest: Destination;
  at: number;
}

/** Records every send with the fake clock's time; `fail` makes the next sends reject. */
export class FakeSender implements MessageSender {
  readonly sent: SentRecord[] = [];
  fail: Error | undefined;
  private readonly clock: FakeClock;

  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  send(msg: SipMessage, dest: Destination): Promise<Flow> {
    this.sent.push({ msg, dest, at: this.clock.now() });
    if (this.fail) return Promise.reject(this.fail);
    return Promise.resolve({
      ...flowFor(dest.proto),
      connId: dest.connId ?? (dest.proto === 'udp' ? undefined : 7),
    });
  }

  /** Send times (ms) of requests with `method`. */
  requestTimes(method: string): number[] {
    return this.sent
      .filter((s) => s.msg.type === 'request' && s.msg.method === method)
      .map((s) => s.at);
  }

  /** Send times (ms) of responses with `status`. */
  responseTimes(status: number): number[] {
    return this.sent
      .filter((s) => s.msg.type === 'response' && s.msg.status === status)
      .map((s) => s.at);
  }

  requests(method: string): SipRequest[] {
    return this.sent.flatMap((s) =>
      s.msg.type === 'request' && s.msg.method === method ? [s.msg] : [],
    );
  }
}

export function flowFor(proto: TransportProto): Flow {
  return {
    proto,
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address: '127.0.0.1', port: 5070 },
  };
}

export function destFor(proto: TransportProto): Destination {
  return { proto, remote: { address: '127.0.0.1', port: 5070 } };
}

export interface RequestSpec {
  method?: string;
  /** null: no branch parameter at all (RFC 2543). */
  branch?: string | null;
  proto?: TransportProto;
  seq?: number;
  toTag?: string;
  sentBy?: string;
  callId?: string;
  uri?: string;
  routes?: string[];
}

export function makeRequest(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const branch = spec.branch === undefined ? 'z9hG4bKtest1' : spec.branch;
  const proto = (spec.proto ?? 'udp').toUpperCase();
  const h = new Headers();
  h.append(
    'Via',
    `SIP/2.0/${proto} ${spec.sentBy ?? '192.0.2.1:5070'}${branch === null ? '' : `;branch=${branch}`};rport`,
  );
  h.append('Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy');
  for (const r of spec.routes ?? []) h.append('Route', r);
  h.append('Max-Forwards', '70');
  h.append('From', '"Alice" <sip:alice@example.com>;tag=from1');
  h.append('To', `<sip:bob@example.com>${spec.toTag ? `;tag=${spec.toTag}` : ''}`);
  h.append('Call-ID', spec.callId ?? 'call-1@example.com');
  h.append('CSeq', `${spec.seq ?? 1} ${method === 'ACK' ? 'ACK' : method}`);
  h.append('Contact', '<sip:alice@192.0.2.1:5070>');
  return createRequest(method, spec.uri ?? 'sip:bob@example.com', h);
}

/** A response to `req`, as the peer would build it (§8.2.6.2); `toTag` added to To. */
export function makeResponse(
  req: SipRequest,
  status: number,
  toTag?: string,
  reason = 'Reason',
): SipResponse {
  const h = new Headers();
  for (const f of req.headers.fields) {
    if (f.key === 'via' || f.key === 'from' || f.key === 'call-id' || f.key === 'cseq')
      h.append(f.name, f.value);
    if (f.key === 'to') h.append(f.name, toTag ? `${f.value};tag=${toTag}` : f.value);
  }
  return createResponse(status, reason, h);
}

/** A ClientTxUser recording every callback. */
export function recordingUser(): ClientTxUser & {
  responses: number[];
  timeouts: number;
  errors: Error[];
  terminated: number;
} {
  const u = {
    responses: [] as number[],
    timeouts: 0,
    errors: [] as Error[],
    terminated: 0,
    onResponse(res: SipResponse) {
      u.responses.push(res.status);
    },
    onTimeout() {
      u.timeouts++;
    },
    onTransportError(err: Error) {
      u.errors.push(err);
    },
    onTerminated() {
      u.terminated++;
    },
  };
  return u;
}

export interface Harness {
  clock: FakeClock;
  sender: FakeSender;
  layer: TransactionLayer;
  /** Requests handed to onRequest, with their transaction. */
  incoming: Array<{ req: SipRequest; tx: ServerTransaction | undefined }>;
  strays: SipResponse[];
}

export function harness(timers?: Partial<TimerConfig>): Harness {
  const clock = new FakeClock();
  const sender = new FakeSender(clock);
  const incoming: Harness['incoming'] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer({
    sender,
    clock,
    timers,
    responseDestination: (_res, flow) => ({
      proto: flow.proto,
      remote: flow.remote,
      connId: flow.connId,
    }),
    onRequest: (req, tx) => incoming.push({ req, tx }),
    onStrayResponse: (res) => strays.push(res),
  });
  return { clock, sender, layer, incoming, strays };
}

/** Let pending promise callbacks (send results) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
