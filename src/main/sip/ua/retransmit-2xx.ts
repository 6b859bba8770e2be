/**
 * RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx to an INVITE at T1, 2·T1 … capped at T2,
 * on every transport, until the ACK arrives; no ACK within 64·T1 → the session should end.
 * Also used for reliable provisional responses (RFC 3262 §3), which stop on PRACK.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import type { SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import type { UaTransport } from './types.ts';

export class Retransmitter {
  private handle: TimerHandle | undefined;
  private interval: number;
  private elapsed = 0;
  private readonly res: SipResponse;
  private readonly flow: Flow;
  private readonly transport: UaTransport;
  private readonly clock: Clock;
  private readonly timers: { T1: number; T2: number };
  private readonly onGiveUp: () => void;
  sends = 0;

  constructor(opts: {
    res: SipResponse;
    flow: Flow;
    transport: UaTransport;
    clock: Clock;
    timers: { T1: number; T2: number };
    onGiveUp: () => void;
  }) {
    this.res = opts.res;
    this.flow = opts.flow;
    this.transport = opts.transport;
    this.clock = opts.clock;
    this.timers = opts.timers;
    this.onGiveUp = opts.onGiveUp;
    this.interval = this.timers.T1;
  }

  /** Start retransmitting (the first send is the caller's, through the transaction). */
  start(): void {
    this.schedule();
  }

  stop(): void {
    this.handle?.cancel();
    this.handle = undefined;
  }

  get active(): boolean {
    return this.handle !== undefined;
  }

  private schedule(): void {
    const limit = 64 * this.timers.T1;
    if (this.elapsed + this.interval > limit) {
      this.handle = this.clock.setTimer(Math.max(0, limit - this.elapsed), () => {
        this.handle = undefined;
        this.onGiveUp();
      });
      return;
    }
    this.handle = this.clock.setTimer(this.interval, () => {
      this.elapsed += this.interval;
      this.interval = Math.min(this.interval * 2, this.timers.T2);
      this.send();
      this.schedule();
    });
  }

  private send(): void {
    this.sends++;
    const dest = this.transport.responseDestination(this.res, this.flow);
    this.transport.send(this.res, dest).catch(() => undefined);
  }
}
