/**
 * Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.txt,
 * draft-ietf-opsawg-pcap §4–5): 24-byte global header, then records of a 16-byte header and the
 * captured bytes. Both byte orders; microsecond (0xA1B2C3D4) and nanosecond (0xA1B23C4D) magics.
 */
import { captureError, MAX_FRAME_BYTES, type CaptureFrame, type CaptureResult } from './types.ts';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** The pcap magic's byte order and resolution, or null when `buf` is not a pcap file. */
export function pcapMagic(buf: Uint8Array): { littleEndian: boolean; nanos: boolean } | null {
  if (buf.length < 4) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = dv.getUint32(0, true);
  for (const [littleEndian, m] of [
    [true, le],
    [false, swap32(le)],
  ] as const) {
    if (m === MAGIC_US) return { littleEndian, nanos: false };
    if (m === MAGIC_NS) return { littleEndian, nanos: true };
  }
  return null;
}

export function isModifiedPcap(buf: Uint8Array): boolean {
  if (buf.length < 4) return false;
  const le = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(0, true);
  return le === MAGIC_MODIFIED || swap32(le) === MAGIC_MODIFIED;
}

export function readPcap(buf: Uint8Array): CaptureResult {
  const magic = pcapMagic(buf);
  if (!magic) return captureError('not-a-capture', 'no pcap magic number');
  if (buf.length < 24)
    return captureError('truncated', `pcap global header needs 24 bytes, file has ${buf.length}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = magic.littleEndian;
  const major = dv.getUint16(4, le);
  if (major !== 2)
    return captureError(
      'unsupported',
      `pcap version ${major}.${dv.getUint16(6, le)} (only 2.x is defined)`,
    );
  // The link-type field's upper bits carry FCS information (draft-ietf-opsawg-pcap §4).
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const frames: CaptureFrame[] = [];
  const warnings: string[] = [];
  let off = 24;
  while (off < buf.length) {
    const n = frames.length + 1;
    if (buf.length - off < 16) {
      warnings.push(
        `capture truncated: record ${n} header at byte ${off} has ${buf.length - off} of 16 bytes (${frames.length} packets read)`,
      );
      break;
    }
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    if (incl > MAX_FRAME_BYTES) {
      if (frames.length === 0)
        return captureError(
          'corrupt',
          `record 1 claims ${incl} captured bytes (more than ${MAX_FRAME_BYTES}): not a valid capture`,
        );
      warnings.push(
        `capture corrupt at byte ${off}: record ${n} claims ${incl} bytes; stopped after ${frames.length} packets`,
      );
      break;
    }
    if (buf.length - off - 16 < incl) {
      warnings.push(
        `capture truncated: record ${n} at byte ${off} needs ${incl} bytes, ${buf.length - off - 16} left (${frames.length} packets read)`,
      );
      break;
    }
    const timeNs = BigInt(sec) * 1_000_000_000n + BigInt(magic.nanos ? frac : frac * 1000);
    frames.push({
      number: n,
      timeNs,
      linkType,
      data: buf.subarray(off + 16, off + 16 + incl),
      originalLength: orig,
      interfaceId: 0,
    });
    off += 16 + incl;
  }
  return { ok: true, format: 'pcap', frames, warnings };
}
