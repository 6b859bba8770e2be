/**
 * Finds probe bursts (source/probe.ts) in one stream of PCM and times their onsets.
 *
 * A 20 ms window slides in 2.5 ms hops. Goertzel (dtmf/goertzel.ts) measures the marker tone's
 * amplitude and its share of the window's energy; a tone covering a fraction c of the window
 * shows share ≈ c and amplitude ≈ c·A. A burst is a run of ≥ 4 hops where the marker holds ≥ 60 %
 * of the energy, followed 40 ms after the onset by one of the four ID tones holding ≥ 50 %. The
 * onset is where the marker's amplitude rises through half its plateau (the window then covers
 * half tone), minus half a window, interpolated between hops: sub-millisecond on a clean path.
 */
import { dbm0ToPeak, peakToDbm0 } from '../level.ts';
import { goertzelAmplitude, goertzelPower } from '../dtmf/goertzel.ts';
import { PROBE_ID_HZ, PROBE_MARKER_HZ, PROBE_SEGMENT_MS } from '../source/probe.ts';

const WINDOW_MS = 20;
const HOP_MS = 2.5;
const MARKER_SHARE = 0.6;
const ID_SHARE = 0.5;
const MIN_RUN = 4;
/** A 40 ms marker holds the share for ≈ 36 ms (14 hops); much longer is a steady tone. */
const MAX_RUN = 24;
const HISTORY = 32;

export interface ProbeBurst {
  /** Burst number modulo 4, from its ID tone. */
  id: number;
  /** Onset of the marker tone, in the stream's ms (the sinks' `atMs` clock). */
  atMs: number;
  /** Level of the marker tone as received. */
  levelDbm0: number;
}

export class ProbeTracker {
  private readonly rate: number;
  private readonly n: number;
  private readonly hop: number;
  private readonly minAmp: number;
  private readonly ring: Float64Array;
  private readonly win: Float64Array;
  private filled = 0;
  private sinceHop = 0;
  /** Recent hops: window-end time and marker amplitude. */
  private readonly hopT = new Float64Array(HISTORY);
  private readonly hopA = new Float64Array(HISTORY);
  private hops = 0;
  private run = 0;
  private runMax = 0;
  private runStartHop = 0;
  private pendingOnset: { atMs: number; amp: number } | undefined;
  private quietUntil = -Infinity;

  constructor(sampleRate: number, minLevelDbm0 = -40) {
    this.rate = sampleRate;
    this.n = Math.round((WINDOW_MS * sampleRate) / 1000);
    this.hop = Math.max(1, Math.round((HOP_MS * sampleRate) / 1000));
    this.minAmp = dbm0ToPeak(minLevelDbm0);
    this.ring = new Float64Array(this.n);
    this.win = new Float64Array(this.n);
  }

  get sampleRate(): number {
    return this.rate;
  }

  /** Feed a frame whose first sample is at `atMs`; returns bursts completed in it. */
  process(pcm: ArrayLike<number>, atMs: number): ProbeBurst[] {
    const out: ProbeBurst[] = [];
    const dt = 1000 / this.rate;
    for (let i = 0; i < pcm.length; i++) {
      this.ring[this.filled % this.n] = pcm[i]!;
      this.filled++;
      // Before the stream started counts as silence (the ring starts zeroed), so a burst at the
      // very start still shows its rising edge.
      if (++this.sinceHop < this.hop) continue;
      this.sinceHop = 0;
      this.analyse(atMs + (i + 1) * dt, out);
    }
    return out;
  }

  private window(): Float64Array {
    const start = this.filled % this.n; // oldest sample
    this.win.set(this.ring.subarray(start), 0);
    this.win.set(this.ring.subarray(0, start), this.n - start);
    return this.win;
  }

  private analyse(tEnd: number, out: ProbeBurst[]): void {
    const w = this.window();
    let energy = 0;
    for (let i = 0; i < this.n; i++) energy += w[i]! * w[i]!;
    const share = (p: number) => (energy > 0 ? (2 * p) / (this.n * energy) : 0);
    const pm = goertzelPower(w, 0, this.n, PROBE_MARKER_HZ, this.rate);
    const am = goertzelAmplitude(pm, this.n);
    const slot = this.hops % HISTORY;
    this.hopT[slot] = tEnd;
    this.hopA[slot] = am;
    const h = this.hops++;

    if (this.pendingOnset && tEnd >= this.pendingOnset.atMs + 2 * PROBE_SEGMENT_MS - HOP_MS) {
      // The window now lies inside the ID tone (onset + 40 … + 80 ms).
      this.finishBurst(w, share, out);
      return;
    }
    if (this.pendingOnset || tEnd < this.quietUntil) return;

    const hit = am >= this.minAmp && share(pm) >= MARKER_SHARE;
    if (hit) {
      if (this.run === 0) {
        this.runStartHop = h;
        this.runMax = 0;
      }
      this.run++;
      this.runMax = Math.max(this.runMax, am);
      return;
    }
    if (this.run >= MIN_RUN && this.run <= MAX_RUN)
      this.pendingOnset = { atMs: this.onset(), amp: this.runMax };
    this.run = 0;
  }

  /** Time the marker rose through half its plateau, minus half a window. */
  private onset(): number {
    const half = this.runMax / 2;
    const oldest = Math.max(0, this.hops - HISTORY);
    let k = this.runStartHop;
    while (k > oldest && this.hopA[k % HISTORY]! >= half) k--;
    const a0 = this.hopA[k % HISTORY]!;
    const t0 = this.hopT[k % HISTORY]!;
    const a1 = this.hopA[(k + 1) % HISTORY]!;
    const t1 = this.hopT[(k + 1) % HISTORY]!;
    const frac = a1 > a0 ? Math.min(1, Math.max(0, (half - a0) / (a1 - a0))) : 0;
    return t0 + frac * (t1 - t0) - WINDOW_MS / 2;
  }

  private finishBurst(w: Float64Array, share: (p: number) => number, out: ProbeBurst[]): void {
    const onset = this.pendingOnset!;
    this.pendingOnset = undefined;
    this.quietUntil = onset.atMs + 2 * PROBE_SEGMENT_MS + WINDOW_MS;
    let best = -1;
    let bestP = 0;
    PROBE_ID_HZ.forEach((f, i) => {
      const p = goertzelPower(w, 0, this.n, f, this.rate);
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    });
    if (best < 0 || share(bestP) < ID_SHARE || goertzelAmplitude(bestP, this.n) < this.minAmp)
      return;
    out.push({ id: best, atMs: onset.atMs, levelDbm0: peakToDbm0(onset.amp) });
  }
}
