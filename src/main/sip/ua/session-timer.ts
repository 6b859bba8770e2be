/**
 * RFC 4028 session timers: header negotiation and the refresh / expiry schedule.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import type { SipMessage } from '../syntax/message.ts';
import { parseParams } from '../syntax/params.ts';

export type Refresher = 'uac' | 'uas';

export interface SessionTimerConfig {
  /** Interval we ask for (RFC 4028 §4: RECOMMENDED 1800 s). 0 disables session timers. */
  sessionExpires: number;
  /** Smallest interval we accept (RFC 4028 §5: at least 90 s unless configured lower for tests). */
  minSE: number;
}

export const DEFAULT_SESSION_TIMER: SessionTimerConfig = { sessionExpires: 1800, minSE: 90 };

export interface SessionExpires {
  interval: number;
  refresher?: Refresher;
}

/** Parse `Session-Expires: 1800;refresher=uac` (compact `x`, RFC 4028 §4). */
export function readSessionExpires(msg: SipMessage): SessionExpires | undefined {
  const v = msg.headers.get('session-expires');
  if (v === undefined) return undefined;
  const semi = v.indexOf(';');
  const interval = Number((semi < 0 ? v : v.slice(0, semi)).trim());
  if (!Number.isInteger(interval) || interval <= 0) return undefined;
  const r = semi < 0 ? undefined : parseParams(v.slice(semi))['refresher'];
  return { interval, refresher: r === 'uac' || r === 'uas' ? r : undefined };
}

export function readMinSE(msg: SipMessage): number | undefined {
  const v = msg.headers.get('min-se');
  if (v === undefined) return undefined;
  const n = Number(v.split(';')[0]!.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function supportsTimer(msg: SipMessage): boolean {
  return [...msg.headers.getAll('supported'), ...msg.headers.getAll('require')].some((t) => t.toLowerCase() === 'timer');
}

/**
 * RFC 4028 §9: the UAS decides the interval and refresher for its 2xx. Returns undefined when the
 * request's interval is below our minimum (the caller answers 422 with Min-SE).
 */
export function uasNegotiate(req: SipMessage, cfg: SessionTimerConfig): { ok: true; se?: SessionExpires } | { ok: false } {
  if (cfg.sessionExpires === 0) return { ok: true };
  const asked = readSessionExpires(req);
  if (asked && asked.interval < cfg.minSE) return { ok: false };
  const uacSupports = supportsTimer(req);
  if (!asked && !uacSupports) return { ok: true, se: { interval: cfg.sessionExpires, refresher: 'uas' } };
  const interval = asked?.interval ?? cfg.sessionExpires;
  // RFC 4028 §9: honour the UAC's choice; if none, a UAC that supports timers refreshes.
  const refresher: Refresher = asked?.refresher ?? (uacSupports ? 'uac' : 'uas');
  return { ok: true, se: { interval, refresher: uacSupports ? refresher : 'uas' } };
}

/**
 * Runs the schedule once negotiated: the refresher refreshes at half the interval (RFC 4028
 * §10); the other side sends BYE if no refresh came by `interval - min(32, interval/3)` (§10).
 */
export class SessionTimer {
  private handle: TimerHandle | undefined;
  private readonly clock: Clock;
  private readonly onRefresh: () => void;
  private readonly onExpire: () => void;
  current: (SessionExpires & { weRefresh: boolean }) | undefined;

  constructor(clock: Clock, onRefresh: () => void, onExpire: () => void) {
    this.clock = clock;
    this.onRefresh = onRefresh;
    this.onExpire = onExpire;
  }

  start(se: SessionExpires, weRefresh: boolean): void {
    this.stop();
    this.current = { ...se, weRefresh };
    const s = se.interval;
    if (weRefresh) this.handle = this.clock.setTimer((s / 2) * 1000, () => this.onRefresh());
    else this.handle = this.clock.setTimer((s - Math.min(32, s / 3)) * 1000, () => this.onExpire());
  }

  stop(): void {
    this.handle?.cancel();
    this.handle = undefined;
  }
}
