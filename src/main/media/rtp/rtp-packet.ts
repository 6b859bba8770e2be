/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers (0..15)     |
 */
import { fail, ok, type ParseResult } from '../result.ts';

export interface RtpHeaderExtension {
  /** "defined by profile" 16 bits (0xBEDE = RFC 8285 one-byte form). */
  profile: number;
  /** Extension body, a multiple of 4 bytes. */
  data: Buffer;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension?: RtpHeaderExtension;
  /** Payload without padding. */
  payload: Buffer;
  /** Padding octets (including the count octet) found on parse, or to add on serialize. */
  paddingLength?: number;
}

export type RtpParseError =
  'too-short' | 'bad-version' | 'csrc-overflow' | 'extension-truncated' | 'bad-padding';

export const RTP_HEADER_SIZE = 12;
export const RTP_VERSION = 2;

/**
 * Length of the header (fixed part + CSRCs + extension) of `buf`, or an error. SRTP uses this to
 * find the start of the encrypted portion (RFC 3711 §3.1), which includes any padding.
 */
export function rtpHeaderLength(buf: Uint8Array): ParseResult<number, RtpParseError> {
  if (buf.length < RTP_HEADER_SIZE) {
    return fail(
      'too-short',
      `RTP packet of ${buf.length} bytes is shorter than the 12-byte header`,
    );
  }
  const b0 = buf[0]!;
  const version = b0 >> 6;
  if (version !== RTP_VERSION) return fail('bad-version', `RTP version ${version}, expected 2`);
  const cc = b0 & 0x0f;
  let len = RTP_HEADER_SIZE + cc * 4;
  if (buf.length < len) {
    return fail('csrc-overflow', `CSRC count ${cc} needs ${len} bytes, packet has ${buf.length}`);
  }
  if (b0 & 0x10) {
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the body.
    if (buf.length < len + 4)
      return fail('extension-truncated', 'header extension header is cut off');
    const words = (buf[len + 2]! << 8) | buf[len + 3]!;
    len += 4 + words * 4;
    if (buf.length < len) {
      return fail('extension-truncated', `header extension of ${words} words overruns the packet`);
    }
  }
  return ok(len);
}

/** Parse one RTP packet. The returned buffers are views into `buf` (no copy). */
export function parseRtp(buf: Buffer): ParseResult<RtpPacket, RtpParseError> {
  const hl = rtpHeaderLength(buf);
  if (!hl.ok) return hl;
  const headerLen = hl.value;
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const cc = b0 & 0x0f;
  const csrcs: number[] = [];
  for (let i = 0; i < cc; i++) csrcs.push(buf.readUInt32BE(RTP_HEADER_SIZE + i * 4));
  let extension: RtpHeaderExtension | undefined;
  if (b0 & 0x10) {
    const at = RTP_HEADER_SIZE + cc * 4;
    extension = { profile: buf.readUInt16BE(at), data: buf.subarray(at + 4, headerLen) };
  }
  let end = buf.length;
  let paddingLength: number | undefined;
  if (b0 & 0x20) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    const count = buf[buf.length - 1]!;
    if (count === 0) return fail('bad-padding', 'padding bit set but padding count is 0');
    if (count > buf.length - headerLen) {
      return fail(
        'bad-padding',
        `padding count ${count} exceeds the ${buf.length - headerLen} payload bytes`,
      );
    }
    end -= count;
    paddingLength = count;
  }
  return ok({
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    csrcs,
    extension,
    payload: buf.subarray(headerLen, end),
    paddingLength,
  });
}

/** Serialize an RTP packet. Throws RangeError on values that do not fit their fields (our bug). */
export function serializeRtp(p: RtpPacket): Buffer {
  if (p.csrcs.length > 15) throw new RangeError(`at most 15 CSRCs, got ${p.csrcs.length}`);
  if (p.payloadType < 0 || p.payloadType > 127)
    throw new RangeError(`bad payload type ${p.payloadType}`);
  const ext = p.extension;
  if (ext && ext.data.length % 4 !== 0)
    throw new RangeError('header extension must be a multiple of 4 bytes');
  const pad = p.paddingLength ?? 0;
  if (pad < 0 || pad > 255) throw new RangeError(`bad padding length ${pad}`);
  const extLen = ext ? 4 + ext.data.length : 0;
  const headerLen = RTP_HEADER_SIZE + p.csrcs.length * 4 + extLen;
  const out = Buffer.alloc(headerLen + p.payload.length + pad);
  out[0] = (RTP_VERSION << 6) | (pad > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | p.csrcs.length;
  out[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  out.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(p.timestamp >>> 0, 4);
  out.writeUInt32BE(p.ssrc >>> 0, 8);
  let at = RTP_HEADER_SIZE;
  for (const c of p.csrcs) {
    out.writeUInt32BE(c >>> 0, at);
    at += 4;
  }
  if (ext) {
    out.writeUInt16BE(ext.profile & 0xffff, at);
    out.writeUInt16BE(ext.data.length / 4, at + 2);
    ext.data.copy(out, at + 4);
    at += extLen;
  }
  p.payload.copy(out, at);
  if (pad > 0) out[out.length - 1] = pad;
  return out;
}
