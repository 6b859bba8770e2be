/**
 * What every transaction shares: named timers on the injected clock, sends that count
 * retransmissions and turn a rejected send into a transport error (RFC 3261 §17.1.4, §17.2.4),
 * and a single, idempotent way into the Terminated state.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import type { SipMessage } from '../syntax/message.ts';
import type { Destination, Flow, MessageSender } from '../transport/types.ts';
import type { TransactionTimers } from './timers.ts';
import type { QueueTimerOwner, TimerQueue } from './timer-queue.ts';
import type { TxState } from './types.ts';

/** What the layer hands each transaction. */
export interface TxContext {
  clock: Clock;
  sender: MessageSender;
  /** Timers resolved for this transaction's transport (reliable or not). */
  timers: TransactionTimers;
  reliable: boolean;
  /** Called once when the transaction reaches Terminated, so the layer can forget it. */
  onTerminated(tx: TransactionBase): void;
  /** The layer's shared queue for timers of `ms` (see TimerQueue); absent: a clock timer each. */
  queueFor?(ms: number): TimerQueue;
}

export abstract class TransactionBase implements QueueTimerOwner {
  state: TxState;
  retransmissions = 0;
  protected readonly ctx: TxContext;
  /** Named timers, created on first use (most transactions run one or two). */
  private handles: Map<string, TimerHandle> | undefined;
  /** The one fixed-duration timer this transaction has in a shared queue (0: none). */
  private queueToken = 0;
  private queue: TimerQueue | undefined;
  private queueKind = '';

  protected constructor(ctx: TxContext, initial: TxState) {
    this.ctx = ctx;
    this.state = initial;
  }

  get terminated(): boolean {
    return this.state === 'Terminated';
  }

  /** Start (or restart) the timer `name`; the callback never runs once Terminated. */
  protected startTimer(name: string, ms: number, fn: () => void): void {
    const handles = (this.handles ??= new Map());
    handles.get(name)?.cancel();
    if (this.terminated) return;
    const handle = this.ctx.clock.setTimer(ms, () => {
      if (handles.get(name) === handle) handles.delete(name);
      if (!this.terminated) fn();
    });
    handles.set(name, handle);
  }

  /** Terminate after `ms`; at once when `ms` is 0 (timers D, I, J, K on reliable transports). */
  protected terminateAfter(name: string, ms: number): void {
    if (ms <= 0) this.terminate();
    else this.startTimer(name, ms, () => this.terminate());
  }

  protected stopTimer(name: string): void {
    this.handles?.get(name)?.cancel();
    this.handles?.delete(name);
  }

  /**
   * Start the fixed-duration timer `kind` (L or J: 64·T1) in the layer's shared queue; when it
   * expires onQueuedTimer(kind) runs. One such timer per transaction at a time.
   */
  protected startQueued(kind: string, ms: number): void {
    this.stopQueued();
    if (this.terminated) return;
    const queue = ms > 0 ? this.ctx.queueFor?.(ms) : undefined;
    this.queueKind = kind;
    if (!queue) {
      this.startTimer(kind, ms, () => this.onQueuedTimer(kind));
      return;
    }
    this.queue = queue;
    this.queueToken = queue.add(this);
  }

  protected stopQueued(): void {
    if (this.queueToken !== 0) {
      this.queue?.cancel();
      this.queueToken = 0;
      this.queue = undefined;
    } else if (this.queueKind !== '') this.stopTimer(this.queueKind);
  }

  /** From the TimerQueue: `token` expired (false when it was cancelled or replaced). */
  onQueueTimer(token: number): boolean {
    if (token !== this.queueToken) return false;
    this.queueToken = 0;
    this.queue = undefined;
    if (!this.terminated) this.onQueuedTimer(this.queueKind);
    return true;
  }

  /** A timer started with startQueued expired. */
  protected onQueuedTimer(_kind: string): void {}

  cancelTimers(): void {
    this.stopQueued();
    if (!this.handles) return;
    for (const h of this.handles.values()) h.cancel();
    this.handles.clear();
  }

  /** Hand a message (or its bytes) to the transport; a rejection terminates the transaction with a transport error. */
  protected transmit(msg: SipMessage | Buffer, dest: Destination, retransmission: boolean): void {
    if (retransmission) this.retransmissions++;
    let sent: Promise<Flow>;
    try {
      const sender = this.ctx.sender;
      sent = Buffer.isBuffer(msg) ? sender.sendRaw!(msg, dest) : sender.send(msg, dest);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (flow) => {
        if (!this.terminated) this.onSent(flow);
      },
      (err: unknown) => {
        if (this.terminated) return;
        this.notifyTransportError(err instanceof Error ? err : new Error(String(err)));
        this.terminate();
      },
    );
  }

  /** The transport reported the flow a message went out on. */
  protected onSent(_flow: Flow): void {}

  protected abstract notifyTransportError(err: Error): void;
  protected abstract notifyTerminated(): void;

  terminate(): void {
    if (this.terminated) return;
    this.state = 'Terminated';
    this.cancelTimers();
    this.ctx.onTerminated(this);
    this.notifyTerminated();
  }

  /** Drop the transaction without telling anyone (layer shutdown). */
  abandon(): void {
    this.state = 'Terminated';
    this.cancelTimers();
  }
}
