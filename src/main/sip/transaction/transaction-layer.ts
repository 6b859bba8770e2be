/**
 * The transaction layer facade (RFC 3261 §17): everything the transport receives goes through
 * receive(); the TU starts client transactions with sendRequest() and gets server transactions
 * through onRequest(). ACKs for 2xx travel outside transactions (§13.2.2.4, §17.1.1.3).
 */
import type { Clock } from '../../../shared/clock.ts';
import {
  isRequest,
  SipParseError,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../syntax/message.ts';
import { isReliable, type Destination, type Flow, type MessageSender } from '../transport/types.ts';
import { isRfc3261Branch } from './branch.ts';
import { InviteClientTransaction } from './ict.ts';
import { InviteServerTransaction } from './ist.ts';
import {
  branchOf,
  clientKey,
  findCancelTarget,
  matchServerTx,
  responseClientKey,
  serverKey,
} from './matching.ts';
import { NonInviteClientTransaction } from './nict.ts';
import { NonInviteServerTransaction } from './nist.ts';
import type { ServerTransactionBase, ServerTxContext } from './server-base.ts';
import { resolveTimers, type TimerConfig, type TransactionTimers } from './timers.ts';
import { TimerQueue } from './timer-queue.ts';
import type { TransactionBase } from './transaction-base.ts';
import type { ClientTransaction, ClientTxUser, ServerTransaction } from './types.ts';

export type { ClientTransaction, ClientTxUser, ServerTransaction, TxState } from './types.ts';

export interface TransactionLayerOptions {
  sender: MessageSender;
  clock: Clock;
  timers?: Partial<TimerConfig>;
  /** Provided by the transport (RFC 3261 §18.2.2). */
  responseDestination(res: SipResponse, flow: Flow): Destination;
  /** A new request; `tx` is undefined for an ACK that matched no transaction (ACK for 2xx). */
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, flow: Flow): void;
  /** A response matching no client transaction (e.g. a 2xx retransmitted after the ICT ended). */
  onStrayResponse?(res: SipResponse, flow: Flow): void;
  /** A message the layer could not match because a header it needs is malformed; it was dropped. */
  onMalformed?(msg: SipMessage, flow: Flow, err: Error): void;
}

type ClientTx = InviteClientTransaction | NonInviteClientTransaction;

export class TransactionLayer {
  private readonly opts: TransactionLayerOptions;
  private readonly timers: { reliable: TransactionTimers; unreliable: TransactionTimers };
  private readonly clients = new Map<string, ClientTx>();
  private readonly servers = new Map<string, ServerTransactionBase>();
  /** Server transactions created by requests without the magic cookie (RFC 2543, §17.2.3). */
  private readonly legacy = new Set<ServerTransactionBase>();
  private readonly index = { byKey: this.servers, legacy: this.legacy };
  private readonly serverCtx: { reliable: ServerTxContext; unreliable: ServerTxContext };
  private readonly queues = new Map<number, TimerQueue>();
  private closed = false;

  constructor(opts: TransactionLayerOptions) {
    this.opts = opts;
    this.timers = {
      reliable: resolveTimers(opts.timers, true),
      unreliable: resolveTimers(opts.timers, false),
    };
    this.serverCtx = { reliable: this.serverContext(true), unreliable: this.serverContext(false) };
  }

  /** Live transactions (for tests and leak checks). */
  get size(): number {
    return this.clients.size + this.servers.size + this.legacy.size;
  }

  /** Everything the transport receives. Malformed input is reported, never thrown. */
  receive(msg: SipMessage, flow: Flow): void {
    if (this.closed) return;
    try {
      if (isRequest(msg)) this.receiveRequest(msg, flow);
      else this.receiveResponse(msg, flow);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      this.opts.onMalformed?.(msg, flow, err);
    }
  }

  /**
   * Start a client transaction. `req` must already carry its top Via with an RFC 3261 branch.
   * INVITE → §17.1.1, anything else but ACK → §17.1.2. ACK is never sent through a transaction.
   */
  sendRequest(req: SipRequest, dest: Destination, user: ClientTxUser): ClientTransaction {
    if (this.closed) throw new Error('transaction layer is closed');
    if (req.method === 'ACK')
      throw new Error(
        'ACK is not sent through a client transaction (RFC 3261 §17.1.1.3, §13.2.2.4)',
      );
    const branch = branchOf(req);
    if (!isRfc3261Branch(branch))
      throw new Error(
        `request top Via needs a branch starting with z9hG4bK, got ${String(branch)}`,
      );
    const key = clientKey(branch, req.method);
    if (this.clients.has(key))
      throw new Error(
        `a client transaction with branch ${branch} and method ${req.method} already exists`,
      );
    const ctx = this.context(isReliable(dest.proto), (tx) => this.forget(this.clients, key, tx));
    const tx =
      req.method === 'INVITE'
        ? new InviteClientTransaction(ctx, req, dest, user)
        : new NonInviteClientTransaction(ctx, req, dest, user);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /**
   * RFC 3261 §18.4: the transport says `remote` is unreachable over `proto` (ICMP): every client
   * transaction sending there that has no response yet fails with a transport error.
   */
  failDestination(proto: Destination['proto'], remote: { address: string; port: number }, err: Error): number {
    let n = 0;
    for (const tx of [...this.clients.values()]) {
      const d = tx.destination;
      if (d.proto === proto && d.remote.port === remote.port && sameHost(d.remote.address, remote.address) && tx.transportFailed(err)) n++;
    }
    return n;
  }

  /** The INVITE server transaction a CANCEL targets (RFC 3261 §9.2). */
  findInviteServerTx(cancel: SipRequest): ServerTransaction | undefined {
    return findCancelTarget(this.index, cancel);
  }

  /** Cancel every timer and forget every transaction, without callbacks. */
  close(): void {
    this.closed = true;
    for (const tx of [...this.clients.values(), ...this.servers.values(), ...this.legacy])
      tx.abandon();
    this.clients.clear();
    this.servers.clear();
    this.legacy.clear();
    for (const q of this.queues.values()) q.clear();
  }

  /** §17.1.3: branch + CSeq method. */
  private receiveResponse(res: SipResponse, flow: Flow): void {
    const key = responseClientKey(res);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx) tx.receiveResponse(res, flow);
    else this.opts.onStrayResponse?.(res, flow);
  }

  /** §17.2.3: a matching request goes to its transaction; otherwise a new one is created. */
  private receiveRequest(req: SipRequest, flow: Flow): void {
    const key = serverKey(req);
    const existing = matchServerTx(this.index, req, undefined, key);
    if (existing) {
      existing.receiveRequest(req, flow);
      return;
    }
    if (req.method === 'ACK') {
      this.opts.onRequest(req, undefined, flow);
      return;
    }
    // One shared context per transport kind: a transaction carries its own key, so nothing
    // per-call is allocated here beyond the transaction itself.
    const ctx = isReliable(flow.proto) ? this.serverCtx.reliable : this.serverCtx.unreliable;
    // The key lives as long as the transaction (32 s after a call): stored as one flat string,
    // not as the pieces it was built from and the message text they were sliced out of.
    const stored = key === undefined ? undefined : flatten(key);
    const tx =
      req.method === 'INVITE'
        ? new InviteServerTransaction(ctx, req, flow, this.passAck, stored)
        : new NonInviteServerTransaction(ctx, req, flow, stored);
    if (stored === undefined) this.legacy.add(tx);
    else this.servers.set(stored, tx);
    this.opts.onRequest(req, tx, flow);
    // §17.2.1: the 100 Trying timer, unless the TU already answered (then it would be stopped).
    if (tx instanceof InviteServerTransaction) tx.start();
  }

  /** RFC 6026 §7.1: an ACK matching an INVITE server transaction in Accepted goes to the TU. */
  private readonly passAck = (ack: SipRequest, flow: Flow): void => {
    if (!this.closed) this.opts.onRequest(ack, undefined, flow);
  };

  private forgetServer(tx: ServerTransactionBase): void {
    if (tx.key === undefined) this.legacy.delete(tx);
    else this.forget(this.servers, tx.key, tx);
  }

  private serverContext(reliable: boolean): ServerTxContext {
    return {
      ...this.context(reliable, (t) => this.forgetServer(t as ServerTransactionBase)),
      responseDestination: this.opts.responseDestination,
      queueFor: (ms) => this.queueFor(ms),
    };
  }

  /** One shared queue per fixed duration (Timers L and J, 64·T1): see TimerQueue. */
  private queueFor(ms: number): TimerQueue {
    let q = this.queues.get(ms);
    if (!q) this.queues.set(ms, (q = new TimerQueue(this.opts.clock, ms)));
    return q;
  }

  private context(reliable: boolean, onTerminated: (tx: TransactionBase) => void) {
    return {
      clock: this.opts.clock,
      sender: this.opts.sender,
      timers: reliable ? this.timers.reliable : this.timers.unreliable,
      reliable,
      onTerminated,
    };
  }

  private forget<T extends TransactionBase>(
    map: Map<string, T>,
    key: string,
    tx: TransactionBase,
  ): void {
    if (map.get(key) === tx) map.delete(key);
  }
}

/**
 * A copy of `s` as one sequential string. Keys are built from pieces (branch, sent-by, method)
 * that V8 keeps as a tree of concatenations pointing into the received message's text.
 */
function flatten(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function sameHost(a: string, b: string): boolean {
  const strip = (x: string): string => x.replace(/^\[|\]$/g, '').replace(/^::ffff:(?=\d+\.)/i, '').toLowerCase();
  return strip(a) === strip(b);
}
