/** What the capture readers produce (pcap.ts, pcapng.ts) and decode (link-layer.ts, ip-udp.ts). */

export interface CaptureFrame {
  /** 1-based frame number, as Wireshark numbers frames. */
  number: number;
  /** Absolute capture time, ns since the epoch (null: the block had no timestamp). */
  timeNs: bigint | null;
  /** LINKTYPE_* value of the frame's interface. */
  linkType: number;
  /** Captured bytes (may be shorter than `originalLength` when the snap length cut them). */
  data: Uint8Array;
  originalLength: number;
  interfaceId: number;
}

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  frames: CaptureFrame[];
  /** Problems that did not stop reading (a truncated last record, unknown blocks…). */
  warnings: string[];
}

export type CaptureErrorReason = 'not-a-capture' | 'truncated' | 'corrupt' | 'unsupported';

export type CaptureResult =
  ({ ok: true } & CaptureFile) | { ok: false; reason: CaptureErrorReason; message: string };

export function captureError(reason: CaptureErrorReason, message: string): CaptureResult {
  return { ok: false, reason, message };
}

/** A frame larger than this is treated as corrupt (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_FRAME_BYTES = 262_144;
