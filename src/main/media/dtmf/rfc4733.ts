/**
 * RFC 4733 telephone-event payload (§2.3) and the sender's packet plan (§2.5.1).
 *
 *  0                   1                   2                   3
 * |     event     |E|R| volume    |          duration             |
 */
import { fail, ok, type ParseResult } from '../result.ts';
import { digitToEvent, type DtmfDigit } from './digits.ts';

export interface TelephoneEvent {
  /** Event code (§3.2): 0-9, 10 '*', 11 '#', 12-15 A-D, 16 flash. */
  event: number;
  /** E bit: this packet ends the event. */
  end: boolean;
  /** Power level as a positive number: 0..63 meaning 0 to -63 dBm0 (§2.3.4). */
  volume: number;
  /** Duration in RTP timestamp units since the event's timestamp (§2.3.5). */
  duration: number;
}

export const TELEPHONE_EVENT_SIZE = 4;
export const MAX_EVENT_DURATION = 0xffff;

export function encodeTelephoneEvent(ev: TelephoneEvent): Buffer {
  if (ev.event < 0 || ev.event > 255) throw new RangeError(`bad event ${ev.event}`);
  if (ev.volume < 0 || ev.volume > 63) throw new RangeError(`bad volume ${ev.volume}`);
  if (ev.duration < 0 || ev.duration > MAX_EVENT_DURATION)
    throw new RangeError(`bad duration ${ev.duration}`);
  const b = Buffer.alloc(TELEPHONE_EVENT_SIZE);
  b[0] = ev.event;
  b[1] = (ev.end ? 0x80 : 0) | ev.volume; // R bit (0x40) sent as 0 (§2.3.3)
  b.writeUInt16BE(ev.duration, 2);
  return b;
}

/**
 * Decode the first event of a payload. RFC 4733 §2.4.1 allows several events in one packet
 * (redundancy); the first one is the current event. The R bit is ignored on receipt.
 */
export function decodeTelephoneEvent(
  payload: Uint8Array,
): ParseResult<TelephoneEvent, 'too-short'> {
  if (payload.length < TELEPHONE_EVENT_SIZE) {
    return fail('too-short', `telephone-event payload of ${payload.length} bytes, need 4`);
  }
  return ok({
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  });
}

export interface DtmfPlanOptions {
  digit: DtmfDigit | number;
  durationMs: number;
  /** Packet interval in ms (SDP ptime), default 20 (RFC 4733 §2.5.1.2 suggests 50 ms or less). */
  ptimeMs?: number;
  /** RTP clock of the telephone-event payload type, default 8000. */
  clockRate?: number;
  /** Volume 0..63 (-dBm0), default 10. */
  volume?: number;
  /** How many times the final packet is sent (§2.5.1.4: three), default 3. */
  endRepeats?: number;
}

export interface PlannedEventPacket {
  /** Send time relative to the event start, in ms. */
  atMs: number;
  marker: boolean;
  /** Offset to add to the event's start RTP timestamp (non-zero only after a 0xFFFF segment). */
  timestampOffset: number;
  payload: TelephoneEvent;
}

/**
 * The packets that carry one digit (RFC 4733 §2.5.1): all packets of a segment share the start
 * timestamp, the first has the marker bit (§2.5.1.2, RFC 3550 §5.1 talkspurt start), the
 * duration grows by one ptime per packet, and the final packet (E=1, full duration) is sent
 * `endRepeats` times, one ptime apart. The sender gives every packet its own sequence number.
 *
 * Events longer than 0xFFFF timestamp units are split into segments (§2.5.1.3): each segment
 * reports up to 0xFFFF and the next one starts at old timestamp + 0xFFFF, without the marker.
 */
export function planDtmfPackets(opts: DtmfPlanOptions): PlannedEventPacket[] {
  const event = typeof opts.digit === 'number' ? opts.digit : digitToEvent(opts.digit);
  if (event === undefined) throw new RangeError(`not a DTMF digit: ${String(opts.digit)}`);
  const ptimeMs = opts.ptimeMs ?? 20;
  const clockRate = opts.clockRate ?? 8000;
  const volume = opts.volume ?? 10;
  const endRepeats = opts.endRepeats ?? 3;
  if (!(ptimeMs > 0) || !(opts.durationMs > 0))
    throw new RangeError('durationMs and ptimeMs must be > 0');
  const step = Math.round((ptimeMs * clockRate) / 1000);
  const total = Math.round((opts.durationMs * clockRate) / 1000);
  const toMs = (units: number) => (units * 1000) / clockRate;

  const packets: PlannedEventPacket[] = [];
  let segmentStart = 0;
  let elapsed = step;
  for (; elapsed < total; elapsed += step) {
    // Close a segment that would overflow the 16-bit duration (§2.5.1.3).
    if (elapsed - segmentStart > MAX_EVENT_DURATION) {
      packets.push({
        atMs: toMs(elapsed),
        marker: false,
        timestampOffset: segmentStart,
        payload: { event, end: false, volume, duration: MAX_EVENT_DURATION },
      });
      segmentStart += MAX_EVENT_DURATION;
    }
    packets.push({
      atMs: toMs(elapsed),
      marker: packets.length === 0,
      timestampOffset: segmentStart,
      payload: { event, end: false, volume, duration: elapsed - segmentStart },
    });
  }
  if (total - segmentStart > MAX_EVENT_DURATION) {
    packets.push({
      atMs: toMs(total),
      marker: false,
      timestampOffset: segmentStart,
      payload: { event, end: false, volume, duration: MAX_EVENT_DURATION },
    });
    segmentStart += MAX_EVENT_DURATION;
  }
  for (let i = 0; i < endRepeats; i++) {
    packets.push({
      atMs: toMs(total) + i * ptimeMs,
      marker: packets.length === 0,
      timestampOffset: segmentStart,
      payload: { event, end: true, volume, duration: total - segmentStart },
    });
  }
  return packets;
}
