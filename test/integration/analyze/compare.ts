/** Our streams against tshark's, with the tolerances (docs/quality.md). */
import { expect } from 'vitest';
import type { AnalyzedStream } from '../../../src/main/engine/analyze/analyze-capture.ts';
import type { TsharkStream } from './tshark-streams.ts';

export const TOLERANCE = { jitterMs: 0.1, maxDeltaMs: 0.5 };

export interface Comparison {
  key: string;
  ours: Pick<AnalyzedStream, 'packets' | 'lost' | 'jitterMeanMs' | 'jitterMaxMs' | 'maxDeltaMs'>;
  tshark: Pick<TsharkStream, 'packets' | 'lost' | 'meanJitterMs' | 'maxJitterMs' | 'maxDeltaMs'>;
}

const keyOf = (src: string, sport: number, dst: string, dport: number, ssrc: number): string =>
  `${src}:${sport}>${dst}:${dport}#${ssrc >>> 0}`;

/**
 * Every tshark stream has one of ours with equal packets and lost, mean and max jitter within
 * 0.1 ms and max delta within 0.5 ms; `exact` also demands agreement to tshark's printed
 * precision (half a unit of the 3rd decimal) for every column, min/mean delta and min jitter included.
 */
export function expectAgreement(
  name: string,
  ours: AnalyzedStream[],
  theirs: TsharkStream[],
  exact = false,
): Comparison[] {
  const out: Comparison[] = [];
  const mine = new Map(
    ours.map((s) => [keyOf(s.srcAddress, s.srcPort, s.dstAddress, s.dstPort, s.ssrc), s]),
  );
  expect(theirs.length, `${name}: tshark found no stream`).toBeGreaterThan(0);
  expect(ours.length, `${name}: stream count`).toBe(theirs.length);
  for (const t of theirs) {
    const key = keyOf(t.src, t.srcPort, t.dst, t.dstPort, t.ssrc);
    const o = mine.get(key);
    expect(
      o,
      `${name}: tshark stream ${key} missing from ours (${[...mine.keys()].join(', ')})`,
    ).toBeDefined();
    const at = `${name} ${key}`;
    expect(o!.packets, `${at} packets`).toBe(t.packets);
    expect(o!.lost, `${at} lost`).toBe(t.lost);
    expect(
      Math.abs(o!.jitterMeanMs - t.meanJitterMs),
      `${at} mean jitter ${o!.jitterMeanMs} vs ${t.meanJitterMs}`,
    ).toBeLessThanOrEqual(TOLERANCE.jitterMs);
    expect(
      Math.abs(o!.jitterMaxMs - t.maxJitterMs),
      `${at} max jitter ${o!.jitterMaxMs} vs ${t.maxJitterMs}`,
    ).toBeLessThanOrEqual(TOLERANCE.jitterMs);
    expect(
      Math.abs(o!.maxDeltaMs - t.maxDeltaMs),
      `${at} max delta ${o!.maxDeltaMs} vs ${t.maxDeltaMs}`,
    ).toBeLessThanOrEqual(TOLERANCE.maxDeltaMs);
    if (exact) {
      // tshark prints %.3f (and C rounds halves to even): within half a unit of the last digit.
      const cols: Array<[string, number | null, number | undefined]> = [
        ['min delta', o!.minDeltaMs, t.minDeltaMs],
        ['mean delta', o!.meanDeltaMs, t.meanDeltaMs],
        ['max delta', o!.maxDeltaMs, t.maxDeltaMs],
        ['min jitter', o!.jitterMinMs ?? -1, t.minJitterMs],
        ['mean jitter', o!.jitterMeanMs, t.meanJitterMs],
        ['max jitter', o!.jitterMaxMs, t.maxJitterMs],
      ];
      for (const [col, mineV, theirV] of cols)
        expect(
          Math.abs((mineV ?? -1) - (theirV ?? Number.NaN)),
          `${at} ${col} ${mineV} vs ${theirV}`,
        ).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(
        Math.abs(o!.lostPercent - t.lostPercent),
        `${at} lost % ${o!.lostPercent} vs ${t.lostPercent}`,
      ).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(o!.problem, `${at} problems column`).toBe(t.problem);
    }
    out.push({ key, ours: o!, tshark: t });
  }
  return out;
}
