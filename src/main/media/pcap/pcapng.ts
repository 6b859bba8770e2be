/**
 * pcapng files (draft-ietf-opsawg-pcapng §3–4): Section Header Blocks (byte order per section),
 * Interface Description Blocks (link type, if_tsresol, if_tsoffset), Enhanced Packet Blocks,
 * Simple Packet Blocks and the obsolete Packet Block; other blocks are skipped.
 */
import { captureError, MAX_FRAME_BYTES, type CaptureFrame, type CaptureResult } from './types.ts';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OBSOLETE_PB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
// Options (§4.2).
const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface Iface {
  linkType: number;
  snapLen: number;
  /** Timestamp units → ns. */
  toNs: (units: bigint) => bigint;
  offsetNs: bigint;
}

export function isPcapng(buf: Uint8Array): boolean {
  return (
    buf.length >= 4 && buf[0] === 0x0a && buf[1] === 0x0d && buf[2] === 0x0d && buf[3] === 0x0a
  );
}

/** if_tsresol (§4.2): MSB clear → 10^-n s units, set → 2^-n s units; default 10^-6. */
function resolution(r: number): (units: bigint) => bigint {
  const exp = r & 0x7f;
  if (r & 0x80) return (u) => (u * 1_000_000_000n) >> BigInt(exp);
  if (exp <= 9) {
    const mul = 10n ** BigInt(9 - exp);
    return (u) => u * mul;
  }
  const div = 10n ** BigInt(exp - 9);
  return (u) => u / div;
}

function parseIdb(dv: DataView, body: number, end: number, le: boolean): Iface {
  const iface: Iface = {
    linkType: dv.getUint16(body, le),
    snapLen: dv.getUint32(body + 4, le),
    toNs: resolution(6),
    offsetNs: 0n,
  };
  let o = body + 8;
  while (o + 4 <= end) {
    const code = dv.getUint16(o, le);
    const len = dv.getUint16(o + 2, le);
    if (code === OPT_ENDOFOPT || o + 4 + len > end) break;
    if (code === IF_TSRESOL && len >= 1) iface.toNs = resolution(dv.getUint8(o + 4));
    if (code === IF_TSOFFSET && len >= 8)
      iface.offsetNs = dv.getBigInt64(o + 4, le) * 1_000_000_000n;
    o += 4 + ((len + 3) & ~3);
  }
  return iface;
}

export function readPcapng(buf: Uint8Array): CaptureResult {
  if (!isPcapng(buf)) return captureError('not-a-capture', 'no pcapng Section Header Block');
  if (buf.length < 28)
    return captureError(
      'truncated',
      `pcapng Section Header Block needs 28 bytes, file has ${buf.length}`,
    );
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames: CaptureFrame[] = [];
  const warnings: string[] = [];
  const skipped = new Map<string, number>();
  let le = true;
  let ifaces: Iface[] = [];
  let lastTime: bigint | null = null;
  let off = 0;
  let sections = 0;
  while (off < buf.length) {
    if (buf.length - off < 12) {
      warnings.push(
        `capture truncated: ${buf.length - off} stray bytes at byte ${off} (${frames.length} packets read)`,
      );
      break;
    }
    const type = dv.getUint32(off, le);
    if (type === SHB) {
      // The byte-order magic decides how this section (including the SHB length) is read.
      const bom = dv.getUint32(off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(off + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else {
        if (sections === 0)
          return captureError(
            'corrupt',
            'pcapng Section Header Block has no valid byte-order magic',
          );
        warnings.push(
          `capture corrupt at byte ${off}: section header without byte-order magic; stopped after ${frames.length} packets`,
        );
        break;
      }
      sections++;
      ifaces = [];
    } else if (sections === 0) {
      return captureError('corrupt', 'pcapng file does not start with a Section Header Block');
    }
    const len = dv.getUint32(off + 4, le);
    if (len < 12 || len % 4 !== 0) {
      if (frames.length === 0 && sections <= 1 && type === SHB)
        return captureError('corrupt', `pcapng block at byte ${off} has invalid length ${len}`);
      warnings.push(
        `capture corrupt at byte ${off}: block length ${len} is invalid; stopped after ${frames.length} packets`,
      );
      break;
    }
    if (off + len > buf.length) {
      if (type === SHB && frames.length === 0 && sections <= 1)
        return captureError(
          'truncated',
          `pcapng Section Header Block needs ${len} bytes, file has ${buf.length - off}`,
        );
      warnings.push(
        `capture truncated: block at byte ${off} needs ${len} bytes, ${buf.length - off} left (${frames.length} packets read)`,
      );
      break;
    }
    const body = off + 8;
    const end = off + len - 4;
    if (type === IDB && end - body >= 8) {
      ifaces.push(parseIdb(dv, body, end, le));
    } else if ((type === EPB || type === OBSOLETE_PB || type === SPB) && end - body < (type === SPB ? 4 : 20)) {
      // A packet block too short for its own fields (a capture cut mid-block; issue 15: this read
      // past the buffer and threw away every packet already read).
      warnings.push(
        `capture truncated: packet block at byte ${off} has ${end - body} bytes, fewer than its header needs (${frames.length} packets read)`,
      );
    } else if (type === EPB || type === OBSOLETE_PB || type === SPB) {
      const n = frames.length + 1;
      let ifId: number;
      let timeNs: bigint | null = null;
      let capLen: number;
      let origLen: number;
      let dataAt: number;
      if (type === SPB) {
        ifId = 0;
        origLen = dv.getUint32(body, le);
        dataAt = body + 4;
        const snap = ifaces[0]?.snapLen ?? 0;
        capLen = Math.min(origLen, end - dataAt, snap > 0 ? snap : Infinity);
      } else {
        ifId = type === EPB ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const units =
          (BigInt(dv.getUint32(body + 4, le)) << 32n) | BigInt(dv.getUint32(body + 8, le));
        capLen = dv.getUint32(body + 12, le);
        origLen = dv.getUint32(body + 16, le);
        dataAt = body + 20;
        const iface = ifaces[ifId];
        if (iface) timeNs = iface.toNs(units) + iface.offsetNs;
      }
      const iface = ifaces[ifId];
      if (!iface) {
        warnings.push(
          `packet ${n} at byte ${off} names interface ${ifId}, which the section does not describe; skipped`,
        );
      } else if (capLen > MAX_FRAME_BYTES || dataAt + capLen > end) {
        warnings.push(
          `packet ${n} at byte ${off}: captured length ${capLen} overruns its block; skipped`,
        );
      } else {
        if (timeNs === null)
          skipped.set(
            'simple packet blocks without a timestamp (given the previous packet time)',
            (skipped.get(
              'simple packet blocks without a timestamp (given the previous packet time)',
            ) ?? 0) + 1,
          );
        timeNs ??= lastTime;
        lastTime = timeNs;
        frames.push({
          number: n,
          timeNs,
          linkType: iface.linkType,
          data: buf.subarray(dataAt, dataAt + capLen),
          originalLength: origLen,
          interfaceId: ifId,
        });
      }
    }
    if (dv.getUint32(end, le) !== len)
      warnings.push(
        `pcapng block at byte ${off}: trailing length ${dv.getUint32(end, le)} differs from ${len}`,
      );
    off += len;
  }
  for (const [what, count] of skipped) warnings.push(`${count} ${what}`);
  return { ok: true, format: 'pcapng', frames, warnings };
}
