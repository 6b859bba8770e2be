/**
 * Audio presence of a captured RTP stream (issue 17): its payloads decoded with our codecs and
 * measured like a live call's (media/sink/audio-presence.ts) — a stream of μ-law 0xFF is silence,
 * PT 13 is comfort noise, a codec we do not decode is counted as undecodable.
 */
import type { AudioPresence } from '../../../shared/model/diagnosis.ts';
import { AudioPresenceMeter } from '../../media/sink/audio-presence.ts';
import { createCodec } from '../../media/codec/registry.ts';
import { parseRtp } from '../../media/rtp/rtp-packet.ts';
import type { Segment } from '../../media/pcap/ip-packets.ts';

export interface StreamKey {
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  ssrc: number;
  codec?: string;
  ptimeMs?: number;
}

/** Codecs decoded from captures: stateless or cheap to run once per stream. */
const DECODED = new Set(['PCMU', 'PCMA', 'G722']);

export function captureAudio(segments: readonly Segment[], k: StreamKey, telephoneEventPt?: number): AudioPresence {
  const meter = new AudioPresenceMeter();
  const name = (k.codec ?? '').toUpperCase();
  const codec = DECODED.has(name) ? createCodec(name) : undefined;
  const rate = name === 'G722' ? 16000 : 8000;
  let mainPt: number | undefined;
  try {
    for (const s of segments) {
      if (s.proto !== 'udp' || s.srcPort !== k.srcPort || s.dstPort !== k.dstPort || s.src !== k.srcAddress || s.dst !== k.dstAddress) continue;
      const p = parseRtp(Buffer.from(s.payload.buffer, s.payload.byteOffset, s.payload.length));
      if (!p.ok || p.value.ssrc !== k.ssrc) continue;
      const pt = p.value.payloadType;
      if (pt === 13) {
        meter.comfortNoise(s.timeMs, k.ptimeMs ?? 20);
        continue;
      }
      if (pt === telephoneEventPt || (pt >= 96 && mainPt !== undefined && pt !== mainPt)) {
        meter.packet(s.timeMs);
        continue;
      }
      mainPt ??= pt;
      if (!codec) {
        meter.packet(s.timeMs);
        meter.notDecoded(k.codec ? `${k.codec} is not decoded from captures` : `payload type ${pt} names no codec we decode`);
        continue;
      }
      try {
        meter.write(codec.decode(p.value.payload), rate, s.timeMs);
      } catch {
        meter.notDecoded('the decoder rejected a payload');
      }
    }
  } finally {
    codec?.close();
  }
  return meter.snapshot();
}
