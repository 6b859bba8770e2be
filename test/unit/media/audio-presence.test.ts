import { describe, expect, it } from 'vitest';
import { AudioPresenceMeter } from '../../../src/main/media/sink/audio-presence.ts';
import { createCodec } from '../../../src/main/media/codec/registry.ts';

const tone = (n: number, amp: number, hz = 440, rate = 8000): Int16Array => Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate)));

describe('AudioPresenceMeter', () => {
  it('μ-law digital silence (0xFF) is silent, never active', () => {
    const pcmu = createCodec('PCMU')!;
    const m = new AudioPresenceMeter();
    for (let i = 0; i < 50; i++) m.write(pcmu.decode(Buffer.alloc(160, 0xff)), 8000, i * 20);
    expect(m.snapshot()).toMatchObject({ decoded: true, activeMs: 0, silentMs: 1000, cnMs: 0, undecodable: 0 });
    expect(m.snapshot().peakDbfs).toBeLessThan(-55);
  });

  it('a tone is active with its level: a full-scale/2 sine peaks at -6 dBFS, RMS -9', () => {
    const m = new AudioPresenceMeter();
    m.write(tone(8000, 16384), 8000);
    const s = m.snapshot();
    expect(s).toMatchObject({ decoded: true, activeMs: 1000, silentMs: 0 });
    expect(s.peakDbfs).toBeCloseTo(-6, 0);
    expect(s.meanDbfs).toBeCloseTo(-9, 0);
  });

  it('the floor is -55 dBFS: a -50 dBFS tone is active, a -60 dBFS one silent', () => {
    const amp = (db: number): number => 32768 * Math.SQRT2 * 10 ** (db / 20);
    const loud = new AudioPresenceMeter();
    loud.write(tone(1600, amp(-50)), 8000);
    expect(loud.snapshot().activeMs).toBe(200);
    const quiet = new AudioPresenceMeter();
    quiet.write(tone(1600, amp(-60)), 8000);
    expect(quiet.snapshot()).toMatchObject({ activeMs: 0, silentMs: 200 });
  });

  it('frames span packets of any size and 16 kHz audio', () => {
    const m = new AudioPresenceMeter();
    for (let i = 0; i < 10; i++) m.write(tone(100, 10000, 440, 16000), 16000);
    // 1000 samples at 16 kHz: three full 20 ms frames (320 samples each), the rest pending
    expect(m.snapshot().activeMs).toBe(60);
  });

  it('comfort noise counts the time to the next packet (at most 1 s), the last one a ptime', () => {
    const m = new AudioPresenceMeter();
    m.comfortNoise(0);
    m.comfortNoise(200);
    m.packet(3000);
    m.comfortNoise(4000);
    const s = m.snapshot();
    expect(s.cnMs).toBe(200 + 1000 + 20);
    expect(s).toMatchObject({ decoded: false, activeMs: 0, silentMs: 0, reason: 'only comfort noise arrived' });
  });

  it('undecodable packets are counted with the reason', () => {
    const m = new AudioPresenceMeter();
    m.notDecoded('G729 is carried without a decoder', 3);
    m.notDecoded('other');
    expect(m.snapshot()).toMatchObject({ decoded: false, undecodable: 4, reason: 'G729 is carried without a decoder', peakDbfs: -120, meanDbfs: -120 });
  });
});
