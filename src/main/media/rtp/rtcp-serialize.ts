/**
 * RTCP serialization (RFC 3550 §6.4–§6.6) into one compound datagram (§6.1).
 */
import {
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  type ReportBlock,
  type RtcpPacket,
} from './rtcp-packet.ts';

function header(pt: number, count: number, bodyLen: number): Buffer {
  if (bodyLen % 4 !== 0) throw new RangeError('RTCP body must be a multiple of 4 bytes');
  if (count > 31) throw new RangeError(`RTCP count ${count} exceeds 31`);
  const h = Buffer.alloc(4);
  h[0] = 0x80 | count;
  h[1] = pt;
  h.writeUInt16BE(bodyLen / 4, 2); // length in words minus one, counting this header word
  return h;
}

function reportBlocks(blocks: ReportBlock[]): Buffer {
  const out = Buffer.alloc(blocks.length * 24);
  blocks.forEach((b, i) => {
    const at = i * 24;
    out.writeUInt32BE(b.ssrc >>> 0, at);
    out.writeUInt32BE(
      (((b.fractionLost & 0xff) << 24) | (b.cumulativeLost & 0xffffff)) >>> 0,
      at + 4,
    );
    out.writeUInt32BE(b.extendedHighestSeq >>> 0, at + 8);
    out.writeUInt32BE(b.jitter >>> 0, at + 12);
    out.writeUInt32BE(b.lastSr >>> 0, at + 16);
    out.writeUInt32BE(b.delaySinceLastSr >>> 0, at + 20);
  });
  return out;
}

function serializeOne(p: RtcpPacket): Buffer {
  switch (p.type) {
    case 'sr': {
      const fixed = Buffer.alloc(24);
      [p.ssrc, p.ntpSeconds, p.ntpFraction, p.rtpTimestamp, p.packetCount, p.octetCount].forEach(
        (v, i) => fixed.writeUInt32BE(v >>> 0, i * 4),
      );
      const body = Buffer.concat([fixed, reportBlocks(p.reports)]);
      return Buffer.concat([header(RTCP_SR, p.reports.length, body.length), body]);
    }
    case 'rr': {
      const ssrc = Buffer.alloc(4);
      ssrc.writeUInt32BE(p.ssrc >>> 0);
      const body = Buffer.concat([ssrc, reportBlocks(p.reports)]);
      return Buffer.concat([header(RTCP_RR, p.reports.length, body.length), body]);
    }
    case 'sdes': {
      const parts: Buffer[] = [];
      for (const c of p.chunks) {
        const items = c.items.map((it) => {
          const v = Buffer.from(it.value, 'utf8');
          if (v.length > 255) throw new RangeError('SDES item longer than 255 bytes');
          return Buffer.concat([Buffer.from([it.type, v.length]), v]);
        });
        const raw = Buffer.concat([Buffer.alloc(4), ...items]);
        raw.writeUInt32BE(c.ssrc >>> 0, 0);
        // At least one null octet, then pad to 32 bits (RFC 3550 §6.5).
        const padded = Buffer.alloc((raw.length + 4) & ~3);
        raw.copy(padded);
        parts.push(padded);
      }
      const body = Buffer.concat(parts);
      return Buffer.concat([header(RTCP_SDES, p.chunks.length, body.length), body]);
    }
    case 'bye': {
      const ssrcs = Buffer.alloc(p.ssrcs.length * 4);
      p.ssrcs.forEach((s, i) => ssrcs.writeUInt32BE(s >>> 0, i * 4));
      let reason = Buffer.alloc(0);
      if (p.reason !== undefined) {
        const r = Buffer.from(p.reason, 'utf8').subarray(0, 255);
        reason = Buffer.alloc((1 + r.length + 3) & ~3);
        reason[0] = r.length;
        r.copy(reason, 1);
      }
      const body = Buffer.concat([ssrcs, reason]);
      return Buffer.concat([header(RTCP_BYE, p.ssrcs.length, body.length), body]);
    }
    case 'other':
      return Buffer.concat([header(p.packetType, p.count, p.body.length), p.body]);
  }
}

/** Serialize packets into one compound RTCP datagram (RFC 3550 §6.1). */
export function serializeRtcp(packets: RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(serializeOne));
}
