/**
 * Is a UDP payload RTP? The header checks of Wireshark's RTP heuristic (packet-rtp.c
 * `dissect_rtp_heur`): version 2, payload type not 72–76 (RTCP SR/RR/SDES/BYE/APP with the marker
 * bit, RFC 5761 §4), CSRC list, header extension and padding inside the packet. Packets with the
 * marker bit and a payload type of 64–95 are handed to RTCP by Wireshark too (RFC 5761 §4), so
 * they are not RTP here either.
 */
import { parseRtp } from '../../media/rtp/rtp-packet.ts';

export interface RtpHeaderInfo {
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payloadType: number;
  marker: boolean;
  /** Payload octets without header and padding. */
  payloadBytes: number;
}

export function rtpHeaderOf(payload: Uint8Array): RtpHeaderInfo | null {
  if (payload.length < 12 || payload[0]! >> 6 !== 2) return null;
  const marker = (payload[1]! & 0x80) !== 0;
  const pt = payload[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return null;
  if (marker && pt >= 64 && pt <= 95) return null;
  const parsed = parseRtp(Buffer.from(payload.buffer, payload.byteOffset, payload.length));
  if (!parsed.ok) return null;
  const p = parsed.value;
  return {
    sequenceNumber: p.sequenceNumber,
    timestamp: p.timestamp,
    ssrc: p.ssrc,
    payloadType: p.payloadType,
    marker: p.marker,
    payloadBytes: p.payload.length,
  };
}

/** Minimum run of packets, each one to three sequence numbers after the previous, for a flow without SDP. */
export const HEURISTIC_MIN_RUN = 4;

/**
 * Heuristic confirmation for a flow nobody's SDP announced: the longest run of packets (in arrival
 * order) whose sequence numbers advance by 1–3 (mod 2^16) reaches `HEURISTIC_MIN_RUN`.
 */
export function looksLikeRtpFlow(seqs: readonly number[]): boolean {
  let run = 1;
  for (let i = 1; i < seqs.length; i++) {
    const d = (seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000;
    run = d >= 1 && d <= 3 ? run + 1 : 1;
    if (run >= HEURISTIC_MIN_RUN) return true;
  }
  return false;
}
