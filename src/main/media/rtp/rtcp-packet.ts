/**
 * RTCP packets (RFC 3550 §6.4 SR/RR, §6.5 SDES, §6.6 BYE) and compound packets (§6.1).
 * Other packet types (APP, RTPFB, PSFB, XR…) are kept raw so they can be traced and re-sent.
 */
import { fail, ok, type ParseResult } from '../result.ts';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

/** RFC 3550 §6.4.1 report block (24 bytes). */
export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the last report, 0..255 (fixed point /256). */
  fractionLost: number;
  /** Cumulative packets lost, signed 24 bit (duplicates can make it negative). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (LSR). */
  lastSr: number;
  /** Delay since last SR in 1/65536 s (DLSR). */
  delaySinceLastSr: number;
}

export interface SenderReport {
  type: 'sr';
  ssrc: number;
  /** NTP timestamp: seconds since 1900 and fraction (RFC 3550 §4). */
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
}

export interface ReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: ReportBlock[];
}

/** SDES item types (RFC 3550 §6.5): 1 CNAME, 2 NAME, 3 EMAIL, 4 PHONE, 5 LOC, 6 TOOL, 7 NOTE, 8 PRIV. */
export interface SdesItem {
  type: number;
  value: string;
}

export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

export interface Sdes {
  type: 'sdes';
  chunks: SdesChunk[];
}

export interface Bye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

export interface OtherRtcp {
  type: 'other';
  packetType: number;
  /** The 5-bit count/format field. */
  count: number;
  /** Body after the 4-byte common header (padding removed). */
  body: Buffer;
}

export type RtcpPacket = SenderReport | ReceiverReport | Sdes | Bye | OtherRtcp;

export type RtcpParseError =
  'too-short' | 'bad-version' | 'bad-length' | 'bad-padding' | 'bad-body' | 'not-sr-or-rr-first';

export const SDES_CNAME = 1;

/**
 * RFC 5761 §4: with rtcp-mux, a packet whose second octet is 192..223 (RTCP PT 200-207 and the
 * other 19x/2xx types) is RTCP; RTP payload types 64-95 must then not be used.
 */
export function isRtcp(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

function parseReportBlocks(buf: Buffer, at: number, count: number): ReportBlock[] {
  const out: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += 24) {
    const lostWord = buf.readUInt32BE(at + 4);
    let cumulative = lostWord & 0xffffff;
    if (cumulative & 0x800000) cumulative -= 0x1000000;
    out.push({
      ssrc: buf.readUInt32BE(at),
      fractionLost: lostWord >>> 24,
      cumulativeLost: cumulative,
      extendedHighestSeq: buf.readUInt32BE(at + 8),
      jitter: buf.readUInt32BE(at + 12),
      lastSr: buf.readUInt32BE(at + 16),
      delaySinceLastSr: buf.readUInt32BE(at + 20),
    });
  }
  return out;
}

function parseSdes(body: Buffer, count: number): Sdes | string {
  const chunks: SdesChunk[] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    if (at + 4 > body.length) return `SDES chunk ${c} is cut off`;
    const ssrc = body.readUInt32BE(at);
    at += 4;
    const items: SdesItem[] = [];
    for (;;) {
      if (at >= body.length) return `SDES chunk ${c} has no terminating null item`;
      const type = body[at]!;
      if (type === 0) {
        // RFC 3550 §6.5: the list ends with a null octet, then pads to a 32-bit boundary.
        at = (at + 4) & ~3;
        break;
      }
      if (at + 2 > body.length) return `SDES item in chunk ${c} is cut off`;
      const len = body[at + 1]!;
      if (at + 2 + len > body.length) return `SDES item of ${len} bytes overruns chunk ${c}`;
      items.push({ type, value: body.toString('utf8', at + 2, at + 2 + len) });
      at += 2 + len;
    }
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

function parseBye(body: Buffer, count: number): Bye | string {
  if (count * 4 > body.length) return `BYE lists ${count} SSRCs but has ${body.length} bytes`;
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(body.readUInt32BE(i * 4));
  let reason: string | undefined;
  const at = count * 4;
  if (at < body.length) {
    const len = body[at]!;
    if (at + 1 + len > body.length) return `BYE reason of ${len} bytes overruns the packet`;
    reason = body.toString('utf8', at + 1, at + 1 + len);
  }
  return { type: 'bye', ssrcs, reason };
}

function parseOne(pt: number, count: number, body: Buffer): RtcpPacket | string {
  switch (pt) {
    case RTCP_SR: {
      if (body.length < 24 + count * 24) return `SR with ${count} report blocks is too short`;
      return {
        type: 'sr',
        ssrc: body.readUInt32BE(0),
        ntpSeconds: body.readUInt32BE(4),
        ntpFraction: body.readUInt32BE(8),
        rtpTimestamp: body.readUInt32BE(12),
        packetCount: body.readUInt32BE(16),
        octetCount: body.readUInt32BE(20),
        reports: parseReportBlocks(body, 24, count),
      };
    }
    case RTCP_RR:
      if (body.length < 4 + count * 24) return `RR with ${count} report blocks is too short`;
      return { type: 'rr', ssrc: body.readUInt32BE(0), reports: parseReportBlocks(body, 4, count) };
    case RTCP_SDES:
      return parseSdes(body, count);
    case RTCP_BYE:
      return parseBye(body, count);
    default:
      return { type: 'other', packetType: pt, count, body };
  }
}

export interface RtcpParseOptions {
  /**
   * RFC 3550 §6.1 / Appendix A.2: the first packet of a compound packet must be SR or RR.
   * Off by default: RFC 5506 reduced-size RTCP allows otherwise.
   */
  requireReportFirst?: boolean;
}

/** Parse a (compound) RTCP packet; any malformed sub-packet rejects the whole datagram. */
export function parseRtcp(
  buf: Buffer,
  opts: RtcpParseOptions = {},
): ParseResult<RtcpPacket[], RtcpParseError> {
  const packets: RtcpPacket[] = [];
  let at = 0;
  if (buf.length < 4) return fail('too-short', `RTCP datagram of ${buf.length} bytes`);
  while (at < buf.length) {
    if (at + 4 > buf.length)
      return fail('too-short', `trailing ${buf.length - at} bytes after packet ${packets.length}`);
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2)
      return fail('bad-version', `RTCP version ${b0 >> 6} in packet ${packets.length}`);
    const pt = buf[at + 1]!;
    const len = (buf.readUInt16BE(at + 2) + 1) * 4;
    if (at + len > buf.length) {
      return fail(
        'bad-length',
        `packet ${packets.length} claims ${len} bytes, ${buf.length - at} remain`,
      );
    }
    let end = at + len;
    if (b0 & 0x20) {
      // RFC 3550 §6.4.1: only the last packet of a compound may be padded.
      if (end !== buf.length)
        return fail('bad-padding', 'padding bit set on a packet that is not last');
      const pad = buf[end - 1]!;
      if (pad === 0 || pad > len - 4) return fail('bad-padding', `padding count ${pad} is invalid`);
      end -= pad;
    }
    const one = parseOne(pt, b0 & 0x1f, buf.subarray(at + 4, end));
    if (typeof one === 'string') return fail('bad-body', one);
    packets.push(one);
    at += len;
  }
  if (opts.requireReportFirst && packets[0]?.type !== 'sr' && packets[0]?.type !== 'rr') {
    return fail('not-sr-or-rr-first', 'compound RTCP must start with SR or RR (RFC 3550 §6.1)');
  }
  return ok(packets);
}

/** The CNAME of an SDES chunk, if any. */
export function cnameOf(chunk: SdesChunk): string | undefined {
  return chunk.items.find((i) => i.type === SDES_CNAME)?.value;
}
