/**
 * The audio of an exported call as a pcap for SIPp's `play_pcap_audio`: the call's source (tone,
 * WAV, probe, silence) encoded as G.711 RTP, one packet per ptime (RFC 3551 §4.5.14), with the
 * `--send-dtmf` digits as RFC 4733 telephone-event packets at `--dtmf-at` in the same stream
 * (audio paused while a digit plays, as our own sender does). Written with the project's pcap
 * writer, then given an Ethernet link layer: SIPp's prepare_pcap reads Ethernet captures.
 */
import type { AudioSource } from '../../media/audio.ts';
import { encodeAlaw, encodeUlaw } from '../../media/codec/g711.ts';
import { encodeTelephoneEvent, planDtmfPackets } from '../../media/dtmf/rfc4733.ts';
import { serializeRtp } from '../../media/rtp/rtp-packet.ts';
import { pcapFile, type PcapRecord } from '../trace/pcap-writer.ts';
import { createSource } from '../media/sources.ts';
import type { SourceSpec } from '../media/media-prefs.ts';

export interface AudioPcapOptions {
  source: SourceSpec;
  codec: 'PCMU' | 'PCMA';
  ptimeMs: number;
  /** Seconds of audio (a finite WAV ends sooner). */
  seconds: number;
  digits?: string;
  dtmfAtSec?: number;
  telephoneEventPt: number;
}

/** Never more than this much audio in one export (10 min ≈ 6 MB at 20 ms). */
export const MAX_AUDIO_SEC = 600;

const SRC = { address: '127.0.0.1', port: 6000 };
const DST = { address: '127.0.0.1', port: 6002 };

export async function audioPcap(o: AudioPcapOptions): Promise<{ pcap: Buffer; packets: number; digitPackets: number; seconds: number }> {
  const made = await createSource(o.source);
  if (made === 'echo') throw new Error('an echo has no audio of its own to export');
  const source: AudioSource = made;
  const frameSamples = (8000 * o.ptimeMs) / 1000;
  const frames = Math.ceil((Math.min(o.seconds, MAX_AUDIO_SEC) * 1000) / o.ptimeMs);
  const pt = o.codec === 'PCMU' ? 0 : 8;
  const encode = o.codec === 'PCMU' ? encodeUlaw : encodeAlaw;
  const ssrc = 0x7275_6e6b; // "runk"
  const records: PcapRecord[] = [];
  const digitAt = new Map<number, Array<{ marker: boolean; payload: Buffer; tsOffset: number }>>();
  if (o.digits) planDigits(o, digitAt);
  let seq = 1;
  let digitPackets = 0;
  const frame = new Int16Array(frameSamples);
  const t0 = Date.UTC(2026, 0, 1);
  let busyUntil = -1;
  let digitTs = 0;
  for (let i = 0; i < frames; i++) {
    const ts = i * frameSamples;
    const at = t0 + i * o.ptimeMs;
    const events = digitAt.get(i);
    if (events) {
      for (const [k, e] of events.entries()) {
        if (k === 0 && e.marker) digitTs = ts;
        records.push({ at: at + k * 0.001, src: SRC, dst: DST, payload: serializeRtp({ marker: e.marker, payloadType: o.telephoneEventPt, sequenceNumber: seq++ & 0xffff, timestamp: (digitTs + e.tsOffset) >>> 0, ssrc, csrcs: [], payload: e.payload }) });
        digitPackets++;
      }
      busyUntil = i;
      continue;
    }
    if (i <= busyUntil) continue;
    source.read(frame, 8000);
    if (source.done) break;
    records.push({ at, src: SRC, dst: DST, payload: serializeRtp({ marker: i === 0, payloadType: pt, sequenceNumber: seq++ & 0xffff, timestamp: ts >>> 0, ssrc, csrcs: [], payload: encode(frame) }) });
  }
  source.close?.();
  return { pcap: withEthernet(pcapFile(records)), packets: records.length, digitPackets, seconds: (records.length * o.ptimeMs) / 1000 };
}

/** Telephone-event packets by frame index: 100 ms digits, 100 ms gaps, "," a 500 ms pause (as sendDigits). */
function planDigits(o: AudioPcapOptions, out: Map<number, Array<{ marker: boolean; payload: Buffer; tsOffset: number }>>): void {
  let ms = (o.dtmfAtSec ?? 1) * 1000;
  for (const d of o.digits!) {
    if (d === ',') {
      ms += 500;
      continue;
    }
    for (const p of planDtmfPackets({ digit: d as never, durationMs: 100, ptimeMs: o.ptimeMs })) {
      const frame = Math.round((ms + p.atMs) / o.ptimeMs);
      const list = out.get(frame) ?? [];
      list.push({ marker: p.marker, payload: encodeTelephoneEvent(p.payload), tsOffset: p.timestampOffset });
      out.set(frame, list);
    }
    ms += 100 + o.ptimeMs * 3 + 100;
  }
}

/** LINKTYPE_RAW (101) → LINKTYPE_ETHERNET (1): a 14-byte Ethernet II header before each packet. */
export function withEthernet(raw: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from(raw.subarray(0, 24))];
  parts[0]!.writeUInt32LE(1, 20);
  let off = 24;
  while (off + 16 <= raw.length) {
    const caplen = raw.readUInt32LE(off + 8);
    const ip = raw.subarray(off + 16, off + 16 + caplen);
    const h = Buffer.from(raw.subarray(off, off + 16));
    h.writeUInt32LE(caplen + 14, 8);
    h.writeUInt32LE(raw.readUInt32LE(off + 12) + 14, 12);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE((ip[0]! >> 4) === 6 ? 0x86dd : 0x0800, 12);
    parts.push(h, eth, ip);
    off += 16 + caplen;
  }
  return Buffer.concat(parts);
}
