/**
 * Turns a stream of RFC 4733 telephone-event packets into digits, each reported once.
 *
 * An event is identified by (SSRC, RTP timestamp) (RFC 4733 §2.5.2.1): the growing-duration
 * updates and the three retransmitted end packets (§2.5.1.4) share it, so they are de-duplicated.
 * The digit is reported on the first packet seen for a new timestamp, so a lost first (marker)
 * packet does not lose the digit; the end is reported on the first E packet, or, if every end
 * packet was lost, when a newer event starts or `poll()` finds the event silent for `endTimeoutMs`.
 */
import { decodeTelephoneEvent } from './rfc4733.ts';
import { eventToDigit, type DtmfDigit } from './digits.ts';

export interface EventPacketIn {
  ssrc: number;
  timestamp: number;
  /** Informational: the receiver does not rely on it (the first packet may be lost). */
  marker?: boolean;
  payload: Uint8Array;
  /** Arrival time, ms (any monotonic origin). */
  arrivalMs: number;
}

export type DtmfReceiverEvent =
  | {
      type: 'digit';
      digit: DtmfDigit;
      event: number;
      ssrc: number;
      timestamp: number;
      atMs: number;
    }
  | {
      type: 'end';
      digit: DtmfDigit;
      event: number;
      ssrc: number;
      timestamp: number;
      /** Largest duration seen, in timestamp units and in ms. */
      duration: number;
      durationMs: number;
      /** False when no E packet arrived (ended by timeout or by the next event). */
      endSeen: boolean;
      atMs: number;
    };

export interface DtmfReceiverOptions {
  clockRate?: number;
  /** End an event whose end packets were all lost after this much silence, default 500 ms. */
  endTimeoutMs?: number;
  /** How many finished events to remember for de-duplication, default 32. */
  memory?: number;
}

interface Active {
  ssrc: number;
  timestamp: number;
  event: number;
  digit: DtmfDigit;
  duration: number;
  lastMs: number;
}

export interface DtmfReceiverCounters {
  packets: number;
  duplicates: number;
  malformed: number;
  /** Events other than 0-15 (flash, tones) and zero-duration end-only events. */
  ignored: number;
}

export class DtmfEventReceiver {
  readonly counters: DtmfReceiverCounters = { packets: 0, duplicates: 0, malformed: 0, ignored: 0 };
  private readonly clockRate: number;
  private readonly endTimeoutMs: number;
  private readonly memory: number;
  private active: Active | undefined;
  private readonly finished: string[] = [];

  constructor(opts: DtmfReceiverOptions = {}) {
    this.clockRate = opts.clockRate ?? 8000;
    this.endTimeoutMs = opts.endTimeoutMs ?? 500;
    this.memory = opts.memory ?? 32;
  }

  push(pkt: EventPacketIn): DtmfReceiverEvent[] {
    this.counters.packets++;
    const decoded = decodeTelephoneEvent(pkt.payload);
    if (!decoded.ok) {
      this.counters.malformed++;
      return [];
    }
    const ev = decoded.value;
    const key = `${pkt.ssrc >>> 0}:${pkt.timestamp >>> 0}`;
    const out: DtmfReceiverEvent[] = [];
    const a = this.active;
    if (a && a.ssrc === pkt.ssrc && a.timestamp === pkt.timestamp) {
      a.duration = Math.max(a.duration, ev.duration);
      a.lastMs = pkt.arrivalMs;
      if (ev.end) out.push(this.finish(pkt.arrivalMs, true));
      return out;
    }
    if (this.finished.includes(key)) {
      this.counters.duplicates++; // late end retransmission or reordered update of a finished event
      return out;
    }
    const digit = eventToDigit(ev.event);
    if (digit === undefined || (ev.end && ev.duration === 0)) {
      this.counters.ignored++;
      return out;
    }
    // A new event supersedes the active one: its end packets were lost (§2.5.2.1).
    if (a) out.push(this.finish(pkt.arrivalMs, false));
    this.active = {
      ssrc: pkt.ssrc,
      timestamp: pkt.timestamp,
      event: ev.event,
      digit,
      duration: ev.duration,
      lastMs: pkt.arrivalMs,
    };
    out.push({
      type: 'digit',
      digit,
      event: ev.event,
      ssrc: pkt.ssrc,
      timestamp: pkt.timestamp,
      atMs: pkt.arrivalMs,
    });
    if (ev.end) out.push(this.finish(pkt.arrivalMs, true));
    return out;
  }

  /** End an event whose end packets never came. Call periodically (e.g. every packet tick). */
  poll(nowMs: number): DtmfReceiverEvent[] {
    const a = this.active;
    if (a && nowMs - a.lastMs >= this.endTimeoutMs) return [this.finish(nowMs, false)];
    return [];
  }

  private finish(atMs: number, endSeen: boolean): DtmfReceiverEvent {
    const a = this.active!;
    this.active = undefined;
    this.finished.push(`${a.ssrc >>> 0}:${a.timestamp >>> 0}`);
    if (this.finished.length > this.memory) this.finished.shift();
    return {
      type: 'end',
      digit: a.digit,
      event: a.event,
      ssrc: a.ssrc,
      timestamp: a.timestamp,
      duration: a.duration,
      durationMs: (a.duration * 1000) / this.clockRate,
      endSeen,
      atMs,
    };
  }
}
