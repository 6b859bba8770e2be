import { describe, expect, it } from 'vitest';
import { ProbeSource } from '../../../../src/main/media/source/probe.ts';
import { ProbeDetector } from '../../../../src/main/media/sink/probe-detector.ts';
import { ToneAudioSource } from '../../../../src/main/media/source/tone-audio-source.ts';
import { createCodec } from '../../../../src/main/media/codec/registry.ts';
import { generateDtmfSequence } from '../../../../src/main/media/dtmf/inband-generator.ts';

/**
 * Simulated call into an echo: our probe is encoded, comes back after `delayMs` through the codec
 * at half level with noise, and both directions feed the detector on the 20 ms frame clock.
 */
function echoCall(codecName: string, delayMs: number, seconds: number, periodMs = 1000) {
  const codec = createCodec(codecName)!;
  const rate = codec.sampleRate;
  const n = codec.frameSamples(20);
  const src = new ProbeSource({ periodMs });
  const det = new ProbeDetector();
  const line: number[] = new Array<number>(Math.round((delayMs * rate) / 1000)).fill(0);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 300;
  for (let f = 0; f < (seconds * 1000) / 20; f++) {
    const sent = new Int16Array(n);
    src.read(sent, rate);
    det.write(sent, rate, 'sent', f * 20);
    for (const s of codec.decode(codec.encode(sent))) line.push(s);
    const back = Int16Array.from(line.splice(0, n), (s) => Math.round(s * 0.5 + noise()));
    det.write(back, rate, 'received', f * 20);
  }
  codec.close();
  return det.report();
}

describe('audio-path probe through an echo', () => {
  it.each([
    ['PCMU', 137],
    ['PCMA', 63.4],
    ['G722', 250],
  ])('%s with %f ms echo delay: RTD measured within ±5 ms', (codec, delay) => {
    const r = echoCall(codec, delay, 5);
    expect(r.received).toBeGreaterThanOrEqual(4);
    expect(r.sent).toBe(5);
    expect(r.firstDetectedMs).not.toBeNull();
    expect(Math.abs(r.firstDetectedMs! - delay)).toBeLessThan(5);
    expect(r.roundTripMs!.count).toBe(r.received);
    expect(Math.abs(r.roundTripMs!.min - delay)).toBeLessThan(5);
    expect(Math.abs(r.roundTripMs!.max - delay)).toBeLessThan(5);
    expect(r.detectionsPerSecond).toBeGreaterThan(0.75);
  });

  it('Opus: RTD includes the codec’s own 6.5 ms delay', () => {
    const r = echoCall('opus', 90, 4);
    expect(r.received).toBeGreaterThanOrEqual(3);
    expect(Math.abs(r.roundTripMs!.mean - 96.5)).toBeLessThan(5);
  });

  it('pairs echoes with the right burst by ID when the delay exceeds the period', () => {
    const r = echoCall('PCMU', 1320, 6, 500); // 2.64 periods
    expect(r.received).toBeGreaterThanOrEqual(8);
    expect(Math.abs(r.roundTripMs!.min - 1320)).toBeLessThan(5);
    expect(Math.abs(r.roundTripMs!.max - 1320)).toBeLessThan(5);
  });

  it('reports the IDs in order, one burst per period', () => {
    const det = new ProbeDetector({ measureRoundTrip: false });
    const src = new ProbeSource({ periodMs: 250 });
    for (let f = 0; f < 100; f++) {
      const frame = new Int16Array(160);
      src.read(frame, 8000);
      det.write(frame, 8000, 'received', f * 20 + 1000);
    }
    const ids = det.detections.map((d) => d.id);
    expect(ids).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    // Onsets on the received clock, within 1 ms (the burst has a 1 ms fade-in).
    expect(Math.abs(det.detections[0]!.atMs - 1000)).toBeLessThan(1);
    expect(Math.abs(det.detections[1]!.atMs - 1250)).toBeLessThan(1);
    expect(det.report().detectionsPerSecond).toBeCloseTo(4, 5);
    expect(det.report().roundTripMs).toBeNull();
  });

  it('does not fire on a test tone, DTMF digits or silence', () => {
    const det = new ProbeDetector();
    const tone = new ToneAudioSource({ frequency: 1004, levelDbm0: -10 });
    const dtmf = generateDtmfSequence('0123456789*#ABCD', { toneMs: 60, gapMs: 40 });
    for (let f = 0; f < 200; f++) {
      const frame = new Int16Array(160);
      if (f < 50) tone.read(frame, 8000);
      else if (f < 130) frame.set(dtmf.subarray((f - 50) * 160, (f - 49) * 160));
      det.write(frame, 8000, 'received', f * 20);
    }
    expect(det.report().received).toBe(0);
    expect(det.report().firstDetectedMs).toBeNull();
  });
});
