/**
 * Read a capture file (pcap or pcapng, told apart by the magic number) and decode its frames down
 * to UDP datagrams. Nothing here throws on bad input: an unreadable file is a `{ ok: false }`
 * with a reason, a damaged tail or odd frame is a warning or a count.
 */
import { udpOfIp, type UdpDatagram } from './ip-udp.ts';
import { ipPacketOf } from './link-layer.ts';
import { isModifiedPcap, pcapMagic, readPcap } from './pcap.ts';
import { isPcapng, readPcapng } from './pcapng.ts';
import { captureError, type CaptureFile, type CaptureFrame, type CaptureResult } from './types.ts';

export type { CaptureFile, CaptureFrame, CaptureResult, UdpDatagram };

export function readCapture(buf: Uint8Array): CaptureResult {
  if (buf.length === 0) return captureError('not-a-capture', 'the file is empty');
  try {
    if (isPcapng(buf)) return readPcapng(buf);
    if (pcapMagic(buf)) return readPcap(buf);
    if (isModifiedPcap(buf))
      return captureError(
        'unsupported',
        'modified (Kuznetzov) pcap format; convert it with `editcap -F pcap`',
      );
  } catch (err) {
    // Defensive: the readers bound every read, but a capture must never crash the caller.
    return captureError('corrupt', `unreadable capture: ${(err as Error).message}`);
  }
  const head = Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return captureError('not-a-capture', `not a pcap or pcapng file (starts with ${head})`);
}

export interface TimedDatagram extends UdpDatagram {
  frame: number;
  /** ms since the first frame of the capture (Wireshark's frame.time_relative, as a double). */
  timeMs: number;
}

export interface DecodeSummary {
  frames: number;
  udp: number;
  /** Frames that were IP fragments (not reassembled). */
  fragments: number;
  /** Frames skipped: not IP, not UDP, truncated headers, unsupported link types. */
  skipped: Record<string, number>;
}

/**
 * Wireshark's relative time in ms: `nstime_to_msec(rel_ts)` = secs·1000 + nsecs/10⁶, where rel_ts
 * is this frame's time minus the first frame's (epan/frame_data.c, wsutil/nstime.c).
 */
export function relativeMs(timeNs: bigint, firstNs: bigint): number {
  const d = timeNs - firstNs;
  const secs = d / 1_000_000_000n;
  const nsecs = d % 1_000_000_000n;
  return Number(secs) * 1000 + Number(nsecs) / 1_000_000;
}

/** Every UDP datagram of the capture, with its relative time; plus what was skipped and why. */
export function udpDatagrams(cap: CaptureFile): {
  datagrams: TimedDatagram[];
  summary: DecodeSummary;
} {
  const summary: DecodeSummary = { frames: cap.frames.length, udp: 0, fragments: 0, skipped: {} };
  const skip = (why: string): void => {
    summary.skipped[why] = (summary.skipped[why] ?? 0) + 1;
  };
  const first = cap.frames.find((f) => f.timeNs !== null)?.timeNs ?? 0n;
  const datagrams: TimedDatagram[] = [];
  for (const f of cap.frames) {
    const link = ipPacketOf(f.linkType, f.data);
    if (!link.ok) {
      skip(
        link.reason === 'unsupported-link'
          ? `unsupported ${link.detail}`
          : link.reason === 'truncated'
            ? 'truncated link header'
            : 'not IP',
      );
      continue;
    }
    const ip = udpOfIp(link.ip);
    if (!ip.ok) {
      if (ip.reason === 'fragment') summary.fragments++;
      else
        skip(
          ip.reason === 'not-udp'
            ? 'not UDP'
            : ip.reason === 'truncated'
              ? 'truncated IP/UDP header'
              : 'bad IP header',
        );
      continue;
    }
    summary.udp++;
    datagrams.push({ ...ip.udp, frame: f.number, timeMs: relativeMs(f.timeNs ?? first, first) });
  }
  return { datagrams, summary };
}
