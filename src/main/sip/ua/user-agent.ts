/**
 * The user agent core (RFC 3261 §8, §12, §13): sits on the transaction layer, routes incoming
 * requests to dialogs or new sessions, answers what needs no user decision (OPTIONS, unknown
 * dialogs, bad requests) and gives the sessions the helpers they share.
 */
import { EventEmitter } from 'node:events';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import type { ClientTransaction, ClientTxUser, ServerTransaction } from '../transaction/transaction-layer.ts';
import { resolveTimers, type TransactionTimers } from '../transaction/timers.ts';
import { checkRequest } from '../syntax/validate.ts';
import { callIdOf, cseqOf, tagOf, topVia } from '../syntax/accessors.ts';
import { type SipMessage, type SipRequest, type SipResponse } from '../syntax/message.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { contactValue, newBranch, responseTo, viaValue } from './message-factory.ts';
import type { UaOptions } from './types.ts';

/**
 * Methods we implement as a UAS (RFC 3261 §20.5 Allow). NOTIFY is not among them: we hold no
 * subscriptions, so every NOTIFY gets 481 (RFC 6665 §4.1.3). MESSAGE (RFC 3428) is taken as text.
 */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, MESSAGE';
/**
 * Option tags we support (RFC 3262 100rel, RFC 4028 timer) — only what is implemented: no
 * `replaces` (RFC 3891), since an INVITE with Replaces is not matched to a dialog here.
 */
export const SUPPORTED = ['100rel', 'timer'];
/** RFC 3428 §7: the MESSAGE bodies we accept; anything else gets 415 with this Accept. */
export const MESSAGE_ACCEPT = 'text/plain';

/**
 * The answer to a NOTIFY or MESSAGE (in or out of a dialog): 481 to a NOTIFY, for we hold no
 * subscription (RFC 6665 §4.1.3); 200 to a text/plain MESSAGE (RFC 3428 §7), 415 with Accept
 * otherwise (RFC 3261 §21.4.13).
 */
export function notifyOrMessageAnswer(req: SipRequest): { status: number; reason?: string; extra?: Array<[string, string]> } {
  if (req.method === 'NOTIFY') return { status: 481, reason: 'Subscription does not exist' };
  const type = (req.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type === MESSAGE_ACCEPT) return { status: 200 };
  return { status: 415, extra: [['Accept', MESSAGE_ACCEPT]] };
}

/** Something that owns a dialog and takes its in-dialog requests. */
export interface DialogOwner {
  handleRequest(req: SipRequest, tx: ServerTransaction, flow: Flow): void;
  handleAck(ack: SipRequest, flow: Flow): void;
  /** A 2xx to our INVITE arriving after the client transaction ended: re-ACK it (§13.2.2.4). */
  handleStray2xx?(res: SipResponse, flow: Flow): void;
}

export interface UaEvents {
  /** A new INVITE outside any dialog: the listener must answer through the transaction. */
  invite: [req: SipRequest, tx: ServerTransaction, flow: Flow];
  /** A request that failed validation and was answered 400 (or dropped). */
  malformed: [reason: string, msg: SipMessage, flow: Flow];
  /** Out-of-dialog non-INVITE requests we answered (for the listener's report). */
  request: [req: SipRequest, status: number, flow: Flow];
}

export class UserAgent extends EventEmitter<UaEvents> {
  readonly opts: UaOptions;
  readonly tl: TransactionLayer;
  readonly timers: TransactionTimers;
  /** Handlers for out-of-dialog methods the core does not answer itself (e.g. a test registrar). */
  readonly handlers = new Map<string, (req: SipRequest, tx: ServerTransaction, flow: Flow) => void>();
  /** Owners by `${callId}|${localTag}`: our tags are unique, the remote tag is checked by owners. */
  private readonly owners = new Map<string, DialogOwner>();

  constructor(opts: UaOptions) {
    super();
    this.opts = opts;
    this.timers = resolveTimers(opts.timers ?? {});
    this.tl = new TransactionLayer({
      sender: opts.transport,
      clock: opts.clock,
      timers: opts.timers,
      responseDestination: (res, flow) => opts.transport.responseDestination(res, flow),
      onRequest: (req, tx, flow) => this.onRequest(req, tx, flow),
      onStrayResponse: (res, flow) => this.onStrayResponse(res, flow),
    });
    opts.transport.on('message', (msg, flow) => this.receive(msg, flow));
    // RFC 3261 §18.4: ICMP unreachable is a transport error for the requests sent there.
    opts.transport.onUnreachable?.((info) => this.tl.failDestination(info.proto, info.remote, new Error(info.error)));
  }

  get userAgentHeader(): string {
    return this.opts.userAgent ?? 'Trunkscope/0.1';
  }

  register(callId: string, localTag: string, owner: DialogOwner): void {
    this.owners.set(`${callId}|${localTag}`, owner);
  }

  unregister(callId: string, localTag: string): void {
    this.owners.delete(`${callId}|${localTag}`);
  }

  /** Number of live dialog owners (tests check nothing leaks). */
  get dialogCount(): number {
    return this.owners.size;
  }

  /** Fill in Via, Contact (for dialog-forming/target-refresh methods) and User-Agent, then send. */
  sendRequest(req: SipRequest, dest: Destination, user: ClientTxUser, contactUser?: string): ClientTransaction {
    this.stampRequest(req, dest, contactUser);
    return this.tl.sendRequest(req, dest, user);
  }

  /** ACK for a 2xx goes outside any transaction (RFC 3261 §13.2.2.4, §17.1.1.3). */
  sendAck(ack: SipRequest, dest: Destination): void {
    this.stampRequest(ack, dest);
    this.opts.transport.send(ack, dest).catch(() => undefined);
  }

  stampRequest(req: SipRequest, dest: Destination, contactUser?: string): void {
    const local = this.localFor(dest);
    req.headers.prepend('Via', viaValue(dest.proto, local, newBranch()));
    if (req.headers.get('max-forwards') === undefined) req.headers.append('Max-Forwards', '70');
    const needsContact = ['INVITE', 'SUBSCRIBE', 'REFER', 'UPDATE', 'REGISTER'].includes(req.method);
    if (needsContact && !req.headers.has('contact')) {
      req.headers.append('Contact', contactValue(contactUser ?? this.opts.contactUser, dest.proto, local));
    }
    if (!req.headers.has('user-agent')) req.headers.append('User-Agent', this.userAgentHeader);
  }

  localFor(dest: Destination): { address: string; port: number } {
    const local = this.opts.transport.localEndpoint(dest.proto, dest.remote.address);
    return this.opts.advertisedAddress ? { address: this.opts.advertisedAddress, port: local.port } : local;
  }

  /** Our Contact for responses sent over `flow`. */
  contactFor(flow: Flow): string {
    const dest = { proto: flow.proto, remote: flow.remote };
    return contactValue(this.opts.contactUser, flow.proto, this.localFor(dest));
  }

  /**
   * Answer a request through its transaction. A transaction that already sent its final response
   * has released its request and would drop another response anyway (RFC 3261 §17.2.1, §17.2.2).
   */
  reply(tx: ServerTransaction, status: number, reason?: string, extra?: Array<[string, string]>): void {
    const req = tx.request;
    if (!req) return;
    const res = responseTo(req, status, reason);
    for (const [n, v] of extra ?? []) res.headers.append(n, v);
    res.headers.append('Server', this.userAgentHeader);
    tx.respond(res);
  }

  private receive(msg: SipMessage, flow: Flow): void {
    try {
      if (msg.type === 'request') {
        // Accept RFC 2543 peers that omit Max-Forwards: old PBXes still do (RFC 3261 §8.2 does not require it of a UAS).
        const bad = checkRequest(msg, { rfc2543: true });
        if (bad !== undefined) return this.rejectMalformed(msg, flow, bad.reason, bad.status);
      }
      this.tl.receive(msg, flow);
    } catch (err) {
      // Anything a peer sends must never take the process down (DESIGN.md: bad input never crashes).
      const reason = err instanceof Error ? err.message : String(err);
      this.emit('malformed', reason, msg, flow);
    }
  }

  /**
   * RFC 3261 §8.2: a request we cannot process gets 400 with the reason (416 for an unsupported
   * URI scheme §8.2.2.1, 505 for an unsupported version §8.2.2); an ACK gets nothing.
   */
  private rejectMalformed(req: SipRequest, flow: Flow, reason: string, status = 400): void {
    this.emit('malformed', reason, req, flow);
    if (req.method === 'ACK') return;
    try {
      topVia(req);
      callIdOf(req);
      cseqOf(req);
    } catch {
      return; // Not enough of a request to address a response to.
    }
    const text = reason.replace(/[\r\n]/g, ' ').slice(0, 120);
    const res = responseTo(req, status, status === 400 ? `Bad Request (${text})` : undefined);
    res.headers.append('Server', this.userAgentHeader);
    const dest = this.opts.transport.responseDestination(res, flow);
    this.opts.transport.send(res, dest).catch(() => undefined);
  }

  private onRequest(req: SipRequest, tx: ServerTransaction | undefined, flow: Flow): void {
    const toTag = tagOf(req.headers.get('to'));
    const owner = toTag ? this.owners.get(`${callIdOf(req)}|${toTag}`) : undefined;
    if (req.method === 'ACK') {
      owner?.handleAck(req, flow);
      return;
    }
    if (!tx) return;
    if (req.method === 'CANCEL') return this.onCancel(req, tx);
    const unsupported = this.unsupportedRequire(req);
    if (unsupported.length > 0) {
      // RFC 3261 §8.2.2.3
      return this.reply(tx, 420, undefined, [['Unsupported', unsupported.join(', ')]]);
    }
    if (toTag) {
      if (owner) return owner.handleRequest(req, tx, flow);
      return this.reply(tx, 481); // RFC 3261 §12.2.2
    }
    const handler = this.handlers.get(req.method);
    if (handler) return handler(req, tx, flow);
    switch (req.method) {
      case 'INVITE':
        if (this.listenerCount('invite') === 0) return this.reply(tx, 480);
        this.emit('invite', req, tx, flow);
        return;
      case 'OPTIONS':
        this.reply(tx, 200, undefined, [
          ['Allow', ALLOW],
          ['Accept', 'application/sdp'],
          ['Supported', SUPPORTED.join(', ')],
          ['Contact', this.contactFor(flow)],
        ]);
        this.emit('request', req, 200, flow);
        return;
      case 'BYE':
      case 'PRACK':
      case 'UPDATE':
      case 'INFO':
        return this.reply(tx, 481);
      case 'MESSAGE':
      case 'NOTIFY': {
        const a = notifyOrMessageAnswer(req);
        this.reply(tx, a.status, a.reason, a.extra);
        this.emit('request', req, a.status, flow);
        return;
      }
      default:
        this.reply(tx, 405, undefined, [['Allow', ALLOW]]);
        this.emit('request', req, 405, flow);
    }
  }

  /** RFC 3261 §9.2: 200 to the CANCEL; the INVITE's owner then answers it 487. */
  private onCancel(cancel: SipRequest, tx: ServerTransaction): void {
    const inviteTx = this.tl.findInviteServerTx(cancel);
    if (!inviteTx) return this.reply(tx, 481);
    this.reply(tx, 200);
    const listener = cancelListeners.get(inviteTx);
    listener?.();
  }

  private onStrayResponse(res: SipResponse, flow: Flow): void {
    if (res.status < 200 || res.status >= 300) return;
    let cseq;
    try {
      cseq = cseqOf(res);
    } catch {
      return;
    }
    if (cseq.method !== 'INVITE') return;
    const fromTag = tagOf(res.headers.get('from'));
    const owner = fromTag ? this.owners.get(`${callIdOf(res)}|${fromTag}`) : undefined;
    owner?.handleStray2xx?.(res, flow);
  }

  private unsupportedRequire(req: SipRequest): string[] {
    if (req.method === 'ACK' || req.method === 'CANCEL') return [];
    return req.headers
      .getAll('require')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '' && !SUPPORTED.includes(t));
  }

  close(): void {
    this.tl.close();
  }
}

/** Sessions that want to hear about a CANCEL of their INVITE register here. */
export const cancelListeners = new WeakMap<ServerTransaction, () => void>();
