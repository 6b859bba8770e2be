/**
 * Audio codecs Trunkscope negotiates, and the RFC 3551 §6 static payload types.
 */
export interface CodecInfo {
  /** Encoding name as written in rtpmap. */
  name: string;
  /** RTP clock rate as written in rtpmap (RFC 3551 §4.5.2: G.722 says 8000 though it samples at 16 kHz). */
  clockRate: number;
  channels: number;
  staticPt?: number;
  /** Dynamic payload type we offer it with. */
  dynamicPt?: number;
  /** fmtp we offer/answer with. */
  fmtp?: string;
}

export const CODECS: Readonly<Record<string, CodecInfo>> = {
  PCMU: { name: 'PCMU', clockRate: 8000, channels: 1, staticPt: 0 },
  PCMA: { name: 'PCMA', clockRate: 8000, channels: 1, staticPt: 8 },
  G722: { name: 'G722', clockRate: 8000, channels: 1, staticPt: 9 },
  // RFC 4856 §2.1.9: annexb defaults to yes when absent; we do not do G.729B VAD/CNG.
  G729: { name: 'G729', clockRate: 8000, channels: 1, staticPt: 18, fmtp: 'annexb=no' },
  // RFC 7587 §7: always opus/48000/2, whatever is actually sent.
  opus: { name: 'opus', clockRate: 48000, channels: 2, dynamicPt: 111, fmtp: 'useinbandfec=1' },
};

/** RFC 4733 §7.1.1: telephone-event's clock must match the audio codec it accompanies. */
export const TELEPHONE_EVENT = 'telephone-event';
export const TELEPHONE_EVENT_PT: Readonly<Record<number, number>> = { 8000: 101, 48000: 110 };
export const TELEPHONE_EVENT_FMTP = '0-16';

/** RFC 3551 §6 Table 4 (audio): payload types usable without rtpmap. */
export const STATIC_PAYLOAD_TYPES: Readonly<
  Record<number, { name: string; clockRate: number; channels: number }>
> = {
  0: { name: 'PCMU', clockRate: 8000, channels: 1 },
  3: { name: 'GSM', clockRate: 8000, channels: 1 },
  4: { name: 'G723', clockRate: 8000, channels: 1 },
  5: { name: 'DVI4', clockRate: 8000, channels: 1 },
  6: { name: 'DVI4', clockRate: 16000, channels: 1 },
  7: { name: 'LPC', clockRate: 8000, channels: 1 },
  8: { name: 'PCMA', clockRate: 8000, channels: 1 },
  9: { name: 'G722', clockRate: 8000, channels: 1 },
  10: { name: 'L16', clockRate: 44100, channels: 2 },
  11: { name: 'L16', clockRate: 44100, channels: 1 },
  12: { name: 'QCELP', clockRate: 8000, channels: 1 },
  13: { name: 'CN', clockRate: 8000, channels: 1 },
  15: { name: 'G728', clockRate: 8000, channels: 1 },
  18: { name: 'G729', clockRate: 8000, channels: 1 },
};

/** Look a codec up by name, case-insensitively (`pcmu`, `OPUS`). */
export function findCodec(name: string): CodecInfo | undefined {
  const lower = name.toLowerCase();
  return Object.values(CODECS).find((c) => c.name.toLowerCase() === lower);
}

/** A payload format as the SDP describes it (rtpmap, or the static table when absent). */
export interface SdpFormat {
  pt: number;
  name?: string;
  clockRate?: number;
  channels?: number;
  fmtp?: string;
}

/** Does a format of the SDP denote this codec? Name case-insensitive, same clock and channels. */
export function formatMatches(
  f: SdpFormat,
  codec: { name: string; clockRate: number; channels: number },
): boolean {
  return (
    f.name !== undefined &&
    f.name.toLowerCase() === codec.name.toLowerCase() &&
    f.clockRate === codec.clockRate &&
    (f.channels ?? 1) === codec.channels
  );
}

/** Human label for reasons: `PCMU/8000`, `opus/48000/2`, or `pt 96` for an unmapped dynamic type. */
export function formatLabel(f: SdpFormat): string {
  if (f.name === undefined) return `pt ${f.pt}`;
  return `${f.name}/${f.clockRate}${f.channels && f.channels !== 1 ? `/${f.channels}` : ''}`;
}
