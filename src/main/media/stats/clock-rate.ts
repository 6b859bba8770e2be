/**
 * RTP clock rate of a payload type, exactly as Wireshark's RTP stream analysis picks it
 * (ui/tap-rtp-analysis.c `clock_map`, `mimetype_and_clock_map`, `get_clock_rate`,
 * `get_dyn_pt_clock_rate`, Wireshark 4.0). A clock rate of 0 means "no jitter for this packet":
 * telephone-event (RFC 4733 §2.2.1: the timestamp stays at the event start), dynamic payload
 * types whose name is unknown (no SDP seen), and unassigned static numbers.
 */

/** Static payload types (RFC 3551 §6 table 4/5, IANA rtp-parameters) → clock rate. */
const STATIC_CLOCK: ReadonlyMap<number, number> = new Map([
  [0, 8000], // PCMU
  [1, 8000], // 1016
  [2, 8000], // G721
  [3, 8000], // GSM
  [4, 8000], // G723
  [5, 8000], // DVI4 8000
  [6, 16000], // DVI4 16000
  [7, 8000], // LPC
  [8, 8000], // PCMA
  [9, 8000], // G722 (RFC 3551 §4.5.2: 8000 although sampled at 16 kHz)
  [10, 44100], // L16 stereo
  [11, 44100], // L16 mono
  [12, 8000], // QCELP
  [13, 8000], // CN
  [14, 90000], // MPA
  [15, 8000], // G728
  [16, 11025], // DVI4 11025
  [17, 22050], // DVI4 22050
  [18, 8000], // G729
  [19, 8000], // CN (old)
  [25, 90000], // CelB
  [26, 90000], // JPEG
  [28, 90000], // nv
  [31, 90000], // H261
  [32, 90000], // MPV
  [33, 90000], // MP2T
  [34, 90000], // H263
]);

/** Dynamic payload formats by encoding name; Wireshark keeps this list in case-insensitive order. */
const DYNAMIC_CLOCK: ReadonlyArray<readonly [string, number]> = [
  ['AMR', 8000],
  ['AMR-WB', 16000],
  ['BMPEG', 90000],
  ['BT656', 90000],
  ['DV', 90000],
  ['EVRC', 8000],
  ['EVRC0', 8000],
  ['EVRC1', 8000],
  ['EVRCB', 8000],
  ['EVRCB0', 8000],
  ['EVRCB1', 8000],
  ['EVRCWB', 16000],
  ['EVRCWB0', 16000],
  ['EVRCWB1', 16000],
  ['EVS', 16000],
  ['G7221', 16000],
  ['G726-16', 8000],
  ['G726-24', 8000],
  ['G726-32', 8000],
  ['G726-40', 8000],
  ['G729D', 8000],
  ['G729E', 8000],
  ['GSM-EFR', 8000],
  ['H263-1998', 90000],
  ['H263-2000', 90000],
  ['H264', 90000],
  ['MP1S', 90000],
  ['MP2P', 90000],
  ['MP4V-ES', 90000],
  ['mpa-robust', 90000],
  ['opus', 48000],
  ['pointer', 90000],
  ['raw', 90000],
  ['red', 1000],
  ['SMV', 8000],
  ['SMV0', 8000],
  ['t140', 1000],
  ['telephone-event', 8000],
];

/** RTP payload type numbers of comfort noise (RFC 3389 PT 13; PT 19 was reserved for it). */
export function isComfortNoise(pt: number): boolean {
  return pt === 13 || pt === 19;
}

export function isTelephoneEvent(encodingName: string | undefined): boolean {
  return encodingName !== undefined && encodingName.toLowerCase().startsWith('telephone-event');
}

/**
 * The clock rate Wireshark uses for jitter: static table below 96; for 96–127 the SDP rate
 * (`sdpRate`) when the name is known, else the name table (matched as a prefix, searched from the
 * end like `get_dyn_pt_clock_rate`); 0 for telephone-event and for dynamic types without a name.
 */
export function clockRateOf(pt: number, encodingName?: string, sdpRate?: number): number {
  if (pt < 96) return STATIC_CLOCK.get(pt) ?? 0;
  if (encodingName === undefined) return 0;
  if (isTelephoneEvent(encodingName)) return 0;
  if (sdpRate !== undefined && sdpRate > 0) return sdpRate;
  const lower = encodingName.toLowerCase();
  for (let i = DYNAMIC_CLOCK.length - 1; i >= 0; i--) {
    const [name, rate] = DYNAMIC_CLOCK[i]!;
    if (lower.startsWith(name.toLowerCase())) return rate;
  }
  return 0;
}

/** RTP encoding names of the common static payload types (RFC 3551 §6 table 4). */
const STATIC_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'PCMU'],
  [3, 'GSM'],
  [4, 'G723'],
  [8, 'PCMA'],
  [9, 'G722'],
  [13, 'CN'],
  [18, 'G729'],
]);

/** A codec name for display: the SDP name when known, else the static name, else "PT n". */
export function payloadName(pt: number, encodingName?: string): string {
  return encodingName ?? STATIC_NAMES.get(pt) ?? `PT ${pt}`;
}
