/** analyzeCapture on captures built in memory: detection, SDP names, splitting, bad input. */
import { describe, expect, it } from 'vitest';
import {
  analyzeCapture,
  type AnalyzeResult,
} from '../../../src/main/engine/analyze/analyze-capture.ts';
import {
  concat,
  ethernet,
  pcapFile,
  pcapngSection,
  rtp,
  sipWithSdp,
  udpIp,
  type FrameSpec,
} from '../../unit/media/pcap/pcap-builder.ts';

const T0 = 1_000;
const A = '192.0.2.10';
const B = '198.51.100.20';

function rtpFrames(
  n: number,
  o: {
    src?: string;
    dst?: string;
    sport?: number;
    dport?: number;
    pt?: number;
    ssrc?: number;
    t0?: number;
    seq0?: number;
    step?: number;
  } = {},
): FrameSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    t: (o.t0 ?? T0) + i * 0.02,
    data: ethernet(
      udpIp({
        src: o.src ?? A,
        dst: o.dst ?? B,
        sport: o.sport ?? 40_000,
        dport: o.dport ?? 50_000,
        payload: rtp({
          seq: (o.seq0 ?? 1) + i,
          ts: i * (o.step ?? 160),
          pt: o.pt ?? 0,
          ssrc: o.ssrc ?? 0xabc,
        }),
      }),
    ),
  }));
}

function ok(r: AnalyzeResult): Extract<AnalyzeResult, { ok: true }> {
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  return r;
}

describe('analyzeCapture', () => {
  it('heuristic detection: one stream per direction with the call-report fields and MOS', () => {
    const frames = [
      ...rtpFrames(50),
      ...rtpFrames(50, { src: B, dst: A, sport: 50_000, dport: 40_000, ssrc: 0xdef, pt: 8 }),
    ].sort((x, y) => x.t - y.t);
    const r = ok(analyzeCapture(pcapFile(frames)));
    expect(r.streams).toHaveLength(2);
    const [fwd, back] = r.streams;
    expect(fwd).toMatchObject({
      src: `${A}:40000`,
      dst: `${B}:50000`,
      ssrcHex: '0x00000ABC',
      codec: 'PCMU',
      clockRate: 8000,
      packets: 50,
      bytes: 8000,
      expected: 50,
      lost: 0,
      lostPercent: 0,
      duplicates: 0,
      outOfOrder: 0,
      jitterMeanMs: 0,
      jitterMaxMs: 0,
      maxDeltaMs: 20,
      detectedBy: 'heuristic',
    });
    expect(back).toMatchObject({ codec: 'PCMA', ssrc: 0xdef });
    expect(fwd!.mos).toBeGreaterThan(4.3);
    expect(fwd!.rFactor).toBeLessThanOrEqual(93.2);
    expect(fwd!.endMs - fwd!.startMs).toBeCloseTo(980, 6);
  });

  it('SDP in a SIP INVITE names dynamic payload types and confirms even a short flow', () => {
    const sip = sipWithSdp('INVITE sip:x@198.51.100.20 SIP/2.0', B, 50_000, [
      [111, 'opus', 48000],
      [101, 'telephone-event', 8000],
    ]);
    const frames = [
      {
        t: T0 - 1,
        data: ethernet(udpIp({ src: A, dst: B, sport: 5060, dport: 5060, payload: sip })),
      },
      ...rtpFrames(3, { pt: 111, step: 960 }),
    ];
    const r = ok(analyzeCapture(pcapFile(frames)));
    expect(r.sdpEndpoints).toBe(1);
    expect(r.streams).toHaveLength(1);
    expect(r.streams[0]).toMatchObject({
      codec: 'opus',
      clockRate: 48000,
      packets: 3,
      detectedBy: 'sdp',
      sdpFrame: 1,
    });
  });

  it('a dynamic payload type without SDP gets no jitter, with a warning saying why', () => {
    const r = ok(analyzeCapture(pcapFile(rtpFrames(20, { pt: 96 }))));
    expect(r.streams[0]).toMatchObject({ clockRate: 0, codec: 'PT 96', jitterMinMs: null });
    expect(r.warnings.join('\n')).toContain('payload type 96 has no known clock rate');
  });

  it('a clock-rate change within one SSRC is split into labelled parts', () => {
    const frames = [
      ...rtpFrames(20, { pt: 0 }),
      ...rtpFrames(20, { pt: 6, t0: T0 + 0.4, seq0: 21, step: 320 }),
    ];
    const r = ok(analyzeCapture(pcapFile(frames)));
    expect(r.streams.map((s) => [s.part, s.clockRate, s.packets, s.label])).toEqual([
      [1, 8000, 20, 'SSRC 0x00000ABC part 1 (8000 Hz)'],
      [2, 16000, 20, 'SSRC 0x00000ABC part 2 (16000 Hz)'],
    ]);
  });

  it('short RTP-looking flows, RTCP and STUN are not streams', () => {
    const rtcp = new Uint8Array([0x80, 0xc9, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    const stun = new Uint8Array(20);
    stun[1] = 1;
    const frames = [
      ...rtpFrames(2, { dport: 50_010 }),
      ...Array.from({ length: 10 }, (_, i) => ({
        t: T0 + i,
        data: ethernet(udpIp({ src: A, dst: B, sport: 40_001, dport: 50_001, payload: rtcp })),
      })),
      { t: T0, data: ethernet(udpIp({ src: A, dst: B, sport: 3478, dport: 3478, payload: stun })) },
      ...rtpFrames(10),
    ];
    const r = ok(analyzeCapture(pcapFile(frames.sort((x, y) => x.t - y.t))));
    expect(r.streams.map((s) => s.dstPort)).toEqual([50_000]);
    expect(r.warnings.join('\n')).toContain('1 short UDP flows with RTP-like headers ignored');
  });

  it('captures without RTP say why', () => {
    const sip = sipWithSdp('INVITE sip:x@b SIP/2.0', B, 50_000, [[0, 'PCMU', 8000]]);
    const r1 = ok(
      analyzeCapture(
        pcapFile([
          {
            t: T0,
            data: ethernet(udpIp({ src: A, dst: B, sport: 5060, dport: 5060, payload: sip })),
          },
        ]),
      ),
    );
    expect(r1.streams).toEqual([]);
    expect(r1.noRtpReason).toBe('no RTP: none of the 1 UDP datagrams has an RTP version 2 header');
    const tcp = udpIp({ src: A, dst: B, sport: 1, dport: 2, payload: new Uint8Array(4) });
    tcp[9] = 6;
    expect(ok(analyzeCapture(pcapFile([{ t: T0, data: ethernet(tcp) }]))).noRtpReason).toBe(
      'no RTP: the capture has 1 frames and no UDP datagrams',
    );
    expect(ok(analyzeCapture(pcapFile(rtpFrames(2)))).noRtpReason).toContain(
      '2 UDP datagrams look like RTP headers but form no stream',
    );
  });

  it('not a capture, or truncated in its header: an error with a reason', () => {
    expect(
      analyzeCapture(new TextEncoder().encode('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n')),
    ).toMatchObject({ ok: false, reason: 'not-a-capture' });
    expect(analyzeCapture(pcapFile(rtpFrames(5)).subarray(0, 20))).toMatchObject({
      ok: false,
      reason: 'truncated',
    });
  });

  it('pcapng with IPv6 RTP and a damaged tail still yields the stream, with a warning', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => ({
      kind: 'epb' as const,
      iface: 0,
      units: BigInt(T0 * 1_000_000 + i * 20_000),
      data: ethernet(
        udpIp({
          src: '2001:db8::1',
          dst: '2001:db8::2',
          sport: 7000,
          dport: 7002,
          payload: rtp({ seq: i, ts: i * 160, pt: 8 }),
        }),
      ),
    }));
    const buf = pcapngSection([{ linkType: 1 }], blocks);
    const r = ok(analyzeCapture(concat([buf, new Uint8Array([6, 0, 0, 0, 64, 0, 0, 0])])));
    expect(r.streams[0]).toMatchObject({ src: '[2001:db8::1]:7000', packets: 30, codec: 'PCMA' });
    expect(r.warnings.join('\n')).toMatch(/capture truncated/);
  });
});

describe('SDP in SIP messages', () => {
  it('media-level c= wins, several m= lines, rtpmap names, compact Call-ID', async () => {
    const { sdpEndpointsOf } = await import('../../../src/main/engine/analyze/sdp-sniff.ts');
    const msg = [
      'SIP/2.0 200 OK',
      'i: abc@host',
      'c: application/sdp',
      '',
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 0 101',
      'a=rtpmap:101 telephone-event/8000',
      'm=video 4002 RTP/AVP 96',
      'c=IN IP4 192.0.2.9',
      'a=rtpmap:96 H264/90000',
      'm=audio 0 RTP/AVP 8',
      '',
    ].join('\r\n');
    const eps = sdpEndpointsOf(new TextEncoder().encode(msg), 7);
    expect(eps.map((e) => [e.address, e.port, e.media, e.message, e.callId, e.frame])).toEqual([
      ['192.0.2.1', 4000, 'audio', '200', 'abc@host', 7],
      ['192.0.2.9', 4002, 'video', '200', 'abc@host', 7],
    ]);
    expect(eps[0]!.formats.get(101)).toEqual({ name: 'telephone-event', clockRate: 8000 });
    expect(eps[0]!.formats.get(0)).toEqual({ name: 'PCMU', clockRate: 8000 });
    expect(eps[1]!.formats.get(96)).toEqual({ name: 'H264', clockRate: 90000 });
    expect(sdpEndpointsOf(new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\nv=0\r\n'), 1)).toEqual(
      [],
    );
  });
});
