import { describe, expect, it } from 'vitest';
import {
  Impairer,
  mulberry32,
  rewriteSdpMedia,
  sdpMedia,
  type Decision,
  type ImpairProfile,
} from '../../support/impair-relay.ts';

const run = (profile: ImpairProfile, seed: number, n: number, stepMs = 20): Decision[] => {
  const imp = new Impairer(profile, seed);
  return Array.from({ length: n }, (_, i) => imp.decide(i * stepMs));
};
const dropped = (ds: Decision[], why?: string): number =>
  ds.filter((d) => d.drop !== undefined && (why === undefined || d.drop === why)).length;

describe('impair-relay decisions (seeded, reproducible)', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('the same seed gives the same decisions; another seed different ones', () => {
    const p: ImpairProfile = {
      lossPercent: 5,
      delay: { minMs: 0, maxMs: 30 },
      duplicatePercent: 5,
      reorderPercent: 2,
    };
    expect(run(p, 7, 500)).toEqual(run(p, 7, 500));
    expect(run(p, 8, 500)).not.toEqual(run(p, 7, 500));
  });

  it('no profile: nothing dropped, delayed or copied', () => {
    const ds = run({}, 1, 200);
    expect(
      ds.every((d) => d.drop === undefined && d.delayMs === 0 && d.copies === 1 && !d.holdForSwap),
    ).toBe(true);
  });

  it('random loss comes out near its percentage', () => {
    const n = 20_000;
    expect(dropped(run({ lossPercent: 2 }, 3, n), 'random') / n).toBeCloseTo(0.02, 2);
  });

  it('bursty loss: long-run rate near the target, in bursts of about the mean length', () => {
    const n = 50_000;
    const ds = run({ burstLoss: { percent: 10, meanBurst: 4 } }, 5, n);
    expect(dropped(ds, 'burst') / n).toBeGreaterThan(0.08);
    expect(dropped(ds, 'burst') / n).toBeLessThan(0.12);
    const bursts: number[] = [];
    let len = 0;
    for (const d of ds) {
      if (d.drop === 'burst') len++;
      else if (len > 0) {
        bursts.push(len);
        len = 0;
      }
    }
    const mean = bursts.reduce((a, b) => a + b, 0) / bursts.length;
    expect(mean).toBeGreaterThan(3.4);
    expect(mean).toBeLessThan(4.6);
  });

  it('delay stays within its range (uniform and normal)', () => {
    for (const distribution of ['uniform', 'normal'] as const) {
      const ds = run({ delay: { minMs: 5, maxMs: 30, distribution } }, 9, 2000);
      const delays = ds.map((d) => (d.drop === undefined ? d.delayMs : NaN));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(5);
      expect(Math.max(...delays)).toBeLessThanOrEqual(30);
      expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(15);
    }
  });

  it('duplication and reordering near their percentages', () => {
    const n = 20_000;
    const ds = run({ duplicatePercent: 5, reorderPercent: 3 }, 11, n);
    const kept = ds.filter(
      (d): d is Extract<Decision, { delayMs: number }> => d.drop === undefined,
    );
    expect(kept.filter((d) => d.copies === 2).length / n).toBeCloseTo(0.05, 2);
    expect(kept.filter((d) => d.holdForSwap).length / n).toBeCloseTo(0.03, 2);
  });

  it('a blackhole drops everything from its start time on, nothing before', () => {
    const ds = run({ blackhole: { afterMs: 1000 } }, 1, 100, 20);
    expect(ds.slice(0, 50).every((d) => d.drop === undefined)).toBe(true);
    expect(ds.slice(50).every((d) => d.drop === 'blackhole')).toBe(true);
    expect(dropped(run({ blackhole: {} }, 1, 10), 'blackhole')).toBe(10);
  });
});

describe('impair-relay SDP helpers', () => {
  const sdp = [
    'v=0',
    'o=trunkscope 1 1 IN IP4 127.0.0.1',
    's=trunkscope',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 32808 RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtcp:32809',
    'a=sendrecv',
    '',
  ].join('\r\n');

  it('reads the audio address and ports', () => {
    expect(sdpMedia(sdp)).toEqual({ address: '127.0.0.1', port: 32808, rtcpPort: 32809 });
  });

  it('rewrites port (and a=rtcp) and address, keeping CRLF', () => {
    const out = rewriteSdpMedia(sdp, { port: 40000, address: '10.1.2.3' });
    expect(sdpMedia(out)).toEqual({ address: '10.1.2.3', port: 40000, rtcpPort: 40001 });
    expect(out).toContain('o=trunkscope 1 1 IN IP4 10.1.2.3\r\n');
    expect(out.split('\r\n')).toHaveLength(sdp.split('\r\n').length);
    expect(out).toContain('a=rtpmap:0 PCMU/8000\r\n');
  });

  it('a media-level c= wins over the session one', () => {
    const two = sdp.replace('a=rtpmap:0', 'c=IN IP4 192.0.2.7\r\na=rtpmap:0');
    expect(sdpMedia(two).address).toBe('192.0.2.7');
  });
});
