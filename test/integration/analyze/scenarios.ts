/**
 * Synthetic RTP streams with seeded impairments, written as pcap files for the Wireshark
 * agreement tests: every profile a trunk shows (jitter, random and burst loss, reordering,
 * duplication, sequence and timestamp wrap, talkspurts with marker bits, comfort noise,
 * telephone-event, SSRC switch, unknown dynamic payload types).
 */
import {
  ethernet,
  pcapFile,
  rtp,
  sipWithSdp,
  udpIp,
  type FrameSpec,
} from '../../unit/media/pcap/pcap-builder.ts';
import { seededRandom } from '../../../src/shared/seeded-random.ts';

/** The seeded PRNG, so every run builds the same capture. */
export const rng = seededRandom;

export interface Pkt {
  t: number;
  seq: number;
  ts: number;
  pt: number;
  marker: boolean;
  ssrc: number;
  payloadLen: number;
  sport: number;
  dport: number;
}


export interface StreamOpts {
  n: number;
  ptimeMs?: number;
  clock?: number;
  seq0?: number;
  ts0?: number;
  ssrc?: number;
  pt?: number;
  t0?: number;
  sport?: number;
  dport?: number;
  payloadLen?: number;
}

export function stream(o: StreamOpts): Pkt[] {
  const ptime = o.ptimeMs ?? 20;
  const clock = o.clock ?? 8000;
  const step = (clock * ptime) / 1000;
  const out: Pkt[] = [];
  for (let i = 0; i < o.n; i++) {
    out.push({
      t: (o.t0 ?? 1_700_000_000) + (i * ptime) / 1000,
      seq: ((o.seq0 ?? 1000) + i) & 0xffff,
      ts: ((o.ts0 ?? 160_000) + i * step) >>> 0,
      pt: o.pt ?? 0,
      marker: i === 0,
      ssrc: o.ssrc ?? 0x11223344,
      payloadLen: o.payloadLen ?? 160,
      sport: o.sport ?? 30_000,
      dport: o.dport ?? 30_002,
    });
  }
  return out;
}

export const jitter = (p: Pkt[], maxMs: number, r: () => number): Pkt[] =>
  p.map((x) => ({ ...x, t: x.t + (r() * maxMs) / 1000 }));
export const loss = (p: Pkt[], prob: number, r: () => number): Pkt[] =>
  p.filter((_, i) => i === 0 || r() >= prob);
export const burst = (p: Pkt[], from: number, len: number): Pkt[] =>
  p.filter((_, i) => i < from || i >= from + len);
export function reorder(p: Pkt[], prob: number, r: () => number): Pkt[] {
  const q = p.map((x) => ({ ...x }));
  for (let i = 1; i + 1 < q.length; i++) {
    if (r() < prob) {
      const t = q[i]!.t;
      q[i]!.t = q[i + 1]!.t;
      q[i + 1]!.t = t;
      i++;
    }
  }
  return q;
}
export function duplicate(p: Pkt[], prob: number, r: () => number): Pkt[] {
  const out: Pkt[] = [];
  for (const x of p) {
    out.push(x);
    if (r() < prob) out.push({ ...x, t: x.t + (1 + r() * 5) / 1000 });
  }
  return out;
}
/** Silence periods: no packets for `gapPackets`, next packet has the marker bit (RFC 3551 §4.1). */
export function talkspurts(p: Pkt[], every: number, gapPackets: number): Pkt[] {
  const out: Pkt[] = [];
  let seqShift = 0;
  for (let i = 0; i < p.length; i++) {
    const inGap = i % every >= every - gapPackets;
    if (inGap) {
      seqShift++;
      continue;
    }
    const marker = i > 0 && i % every === 0;
    out.push({ ...p[i]!, seq: (p[i]!.seq - seqShift) & 0xffff, marker: p[i]!.marker || marker });
  }
  return out;
}

export interface Scenario {
  name: string;
  packets: Pkt[];
  /** SIP/SDP announcing the destination port with these formats (else heuristic detection). */
  sdp?: Array<[number, string, number]>;
}

export function scenarios(): Scenario[] {
  const r = rng(4242);
  const base = stream({ n: 500 });
  const cn = stream({ n: 300 }).map((x, i) =>
    i >= 100 && i < 150 ? { ...x, pt: 13, payloadLen: 1 } : x,
  );
  const dtmf = stream({ n: 300, pt: 0 }).flatMap((x, i) =>
    i >= 100 && i < 110
      ? [{ ...x, pt: 101, ts: stream({ n: 300 })[100]!.ts, payloadLen: 4, marker: i === 100 }]
      : [x],
  );
  const ssrcSwitch = [
    ...stream({ n: 150 }),
    ...stream({ n: 150, t0: 1_700_000_000 + 3.0, ssrc: 0x55667788, seq0: 20_000, ts0: 0xfffff000 }),
  ];
  return [
    { name: 'clean', packets: base },
    { name: 'jitter 0-30 ms', packets: jitter(base, 30, r) },
    { name: 'random loss 5 %', packets: jitter(loss(base, 0.05, r), 4, r) },
    { name: 'burst loss (blackhole 1 s)', packets: burst(base, 200, 50) },
    { name: 'reordering 5 %', packets: reorder(jitter(base, 3, r), 0.05, r) },
    { name: 'duplication 5 %', packets: duplicate(base, 0.05, r) },
    { name: 'sequence wrap with loss', packets: loss(stream({ n: 400, seq0: 65_400 }), 0.03, r) },
    {
      name: 'timestamp wrap',
      packets: jitter(stream({ n: 300, ts0: 0xffffffff - 160 * 150 }), 5, r),
    },
    { name: 'talkspurts with marker', packets: jitter(talkspurts(base, 100, 30), 3, r) },
    { name: 'comfort noise', packets: jitter(cn, 3, r) },
    {
      name: 'telephone-event with SDP',
      packets: jitter(dtmf, 2, r),
      sdp: [
        [0, 'PCMU', 8000],
        [101, 'telephone-event', 8000],
      ],
    },
    {
      name: 'opus 48 kHz with SDP',
      packets: jitter(stream({ n: 300, pt: 111, clock: 48_000 }), 6, r),
      sdp: [[111, 'opus', 48000]],
    },
    { name: 'dynamic PT without SDP', packets: jitter(stream({ n: 200, pt: 96 }), 6, r) },
    { name: 'SSRC switch', packets: jitter(ssrcSwitch, 4, r) },
    {
      name: 'everything',
      packets: duplicate(reorder(jitter(loss(base, 0.04, r), 25, r), 0.05, r), 0.03, r),
    },
  ];
}

/** The scenario as an Ethernet/IPv4 pcap on 127.0.0.1 (SDP first when the scenario has one). */
export function scenarioPcap(s: Scenario): Uint8Array {
  const frames: FrameSpec[] = [];
  const first = s.packets[0]!;
  if (s.sdp) {
    const sip = sipWithSdp('INVITE sip:b@127.0.0.1 SIP/2.0', '127.0.0.1', first.dport, s.sdp);
    frames.push({
      t: first.t - 1,
      data: ethernet(
        udpIp({ src: '127.0.0.1', dst: '127.0.0.1', sport: 5060, dport: 5060, payload: sip }),
      ),
    });
  }
  const sorted = [...s.packets].sort((a, b) => a.t - b.t);
  for (const p of sorted) {
    const payload = rtp({
      seq: p.seq,
      ts: p.ts,
      ssrc: p.ssrc,
      pt: p.pt,
      marker: p.marker,
      payloadLen: p.payloadLen,
    });
    frames.push({
      t: p.t,
      data: ethernet(
        udpIp({ src: '127.0.0.1', dst: '127.0.0.1', sport: p.sport, dport: p.dport, payload }),
      ),
    });
  }
  return pcapFile(frames);
}
