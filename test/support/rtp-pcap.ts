/**
 * Test helper: a pcap (Ethernet, IPv4, UDP) of one RTP stream made by the test — for SIPp's
 * play_pcap_audio, which replays the RTP payloads at the pcap's timing towards the call's media.
 * Payload 0xFF μ-law is digital silence; a tone is encoded with our own G.711 encoder.
 */
import { pcmuCodec } from '../../src/main/media/codec/g711.ts';

export interface RtpPcapOptions {
  /** 20 ms frames of PCM (8 kHz) → μ-law payloads; or raw payloads as given. */
  frames: Buffer[];
  payloadType?: number;
  ssrc?: number;
}

/** `n` frames of μ-law digital silence (0xFF). */
export function silenceFrames(n: number): Buffer[] {
  return Array.from({ length: n }, () => Buffer.alloc(160, 0xff));
}

/** `n` 20 ms frames of a μ-law tone at `hz`, amplitude `amp` (of 32767). */
export function toneFrames(n: number, hz = 440, amp = 8000): Buffer[] {
  const out: Buffer[] = [];
  for (let f = 0; f < n; f++) {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * (f * 160 + i)) / 8000)));
    out.push(Buffer.from(pcmuCodec.encode(pcm)));
  }
  return out;
}

export function rtpPcap(o: RtpPcapOptions): Buffer {
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(65535, 16);
  gh.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const parts = [gh];
  const t0 = 1_700_000_000;
  o.frames.forEach((payload, i) => {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = (o.payloadType ?? 0) & 0x7f;
    rtp.writeUInt16BE((1000 + i) & 0xffff, 2);
    rtp.writeUInt32BE((i * 160) >>> 0, 4);
    rtp.writeUInt32BE(o.ssrc ?? 0x5eed1234, 8);
    const udpLen = 8 + 12 + payload.length;
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(udpLen, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLen, 2);
    ip.writeUInt16BE(i & 0xffff, 4);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += ip.readUInt16BE(k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([eth, ip, udp, rtp, payload]);
    const h = Buffer.alloc(16);
    const us = i * 20_000;
    h.writeUInt32LE(t0 + Math.floor(us / 1e6), 0);
    h.writeUInt32LE(us % 1e6, 4);
    h.writeUInt32LE(frame.length, 8);
    h.writeUInt32LE(frame.length, 12);
    parts.push(h, frame);
  });
  return Buffer.concat(parts);
}
