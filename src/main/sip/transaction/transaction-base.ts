/**
 * What every transaction shares: named timers on the injected clock, sends that count
 * retransmissions and turn a rejected send into a transport error (RFC 3261 §17.1.4, §17.2.4),
 * and a single, idempotent way into the Terminated state.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import type { SipMessage } from '../syntax/message.ts';
import type { Destination, Flow, MessageSender } from '../transport/types.ts';
import type { TransactionTimers } from './timers.ts';
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
}

export abstract class TransactionBase {
  state: TxState;
  retransmissions = 0;
  protected readonly ctx: TxContext;
  private readonly handles = new Map<string, TimerHandle>();

  protected constructor(ctx: TxContext, initial: TxState) {
    this.ctx = ctx;
    this.state = initial;
  }

  get terminated(): boolean {
    return this.state === 'Terminated';
  }

  /** Start (or restart) the timer `name`; the callback never runs once Terminated. */
  protected startTimer(name: string, ms: number, fn: () => void): void {
    this.handles.get(name)?.cancel();
    if (this.terminated) return;
    const handle = this.ctx.clock.setTimer(ms, () => {
      if (this.handles.get(name) === handle) this.handles.delete(name);
      if (!this.terminated) fn();
    });
    this.handles.set(name, handle);
  }

  /** Terminate after `ms`; at once when `ms` is 0 (timers D, I, J, K on reliable transports). */
  protected terminateAfter(name: string, ms: number): void {
    if (ms <= 0) this.terminate();
    else this.startTimer(name, ms, () => this.terminate());
  }

  protected stopTimer(name: string): void {
    this.handles.get(name)?.cancel();
    this.handles.delete(name);
  }

  cancelTimers(): void {
    for (const h of this.handles.values()) h.cancel();
    this.handles.clear();
  }

  /** Hand a message to the transport; a rejection terminates the transaction with a transport error. */
  protected transmit(msg: SipMessage, dest: Destination, retransmission: boolean): void {
    if (retransmission) this.retransmissions++;
    let sent: Promise<Flow>;
    try {
      sent = this.ctx.sender.send(msg, dest);
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
