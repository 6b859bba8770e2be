/**
 * In-band DTMF detection over linear PCM with Goertzel filters (ITU-T Q.24 style).
 *
 * Block-based like Asterisk `main/dsp.c` (PROTOCOL-NOTES §8): 102-sample blocks at 8 kHz
 * (12.75 ms). A block "hits" a digit when
 *  - both the strongest row and column tone are above `minLevelDbm0`;
 *  - twist is within limits: low group up to `normalTwistDb` stronger (8 dB), high group up to
 *    `reverseTwistDb` stronger (4 dB);
 *  - each peak beats the other tones of its group by `relativePeakDb` (8 dB);
 *  - the two tones carry at least `minToneEnergyFraction` (0.72) of the block energy. This
 *    rejects noise, speech and off-frequency tones: measured over all block alignments, the
 *    worst digit keeps 0.78 at ±1.5 % (Q.24: must accept) and at most 0.51 at ±3.5 % (must
 *    reject). Asterisk's 42·energy test is the same idea (42/51 = 0.82 in our scaling);
 *  - the second harmonic of each tone (after removing the worst-case leakage of the two tones
 *    into that bin) is `harmonicRejectDb` below the fundamental: voiced speech is rich in harmonics.
 *  - the block is stationary (both halves carry similar energy), so edge blocks the tone only
 *    partly covers do not count.
 * A digit is reported after enough consecutive hits to cover `minToneMs` (a 40 ms tone always
 * contains two whole blocks; a tone under 24 ms never yields two hits), and the same detector
 * can report a new digit only after `minGapMs` of non-hit blocks (so a 10 ms drop-out does not
 * split a digit). Like Q.24's operate/non-operate limits this leaves a guard band: tones between
 * 24 ms and `minToneMs` may or may not be reported. Durations are measured to a block (12.75 ms).
 */
import { dbm0ToPeak } from '../level.ts';
import { DTMF_COL_HZ, DTMF_KEYPAD, DTMF_ROW_HZ } from './inband-generator.ts';
import { goertzelAmplitude, goertzelCoeff, goertzelPowerWith, leakageBound } from './goertzel.ts';
import type { DtmfDigit } from './digits.ts';

export interface InbandDetectorOptions {
  sampleRate?: number;
  minToneMs?: number;
  minGapMs?: number;
  minLevelDbm0?: number;
  normalTwistDb?: number;
  reverseTwistDb?: number;
  relativePeakDb?: number;
  minToneEnergyFraction?: number;
  harmonicRejectDb?: number;
}

export type InbandDtmfEvent =
  | { type: 'digit'; digit: DtmfDigit; startMs: number }
  | { type: 'end'; digit: DtmfDigit; startMs: number; durationMs: number };

const db = (x: number) => 10 ** (x / 10);

export class InbandDtmfDetector {
  readonly sampleRate: number;
  readonly blockSize: number;
  private readonly requiredHits: number;
  private readonly gapBlocks: number;
  private readonly minPeak: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relativePeak: number;
  private readonly minFraction: number;
  private readonly harmonicReject: number;
  /** The block being filled, and how many samples it holds. */
  private readonly pending: Float64Array;
  private filled = 0;
  /** Goertzel coefficients of the row and column tones and of their second harmonics. */
  private readonly rowCoeff: number[];
  private readonly colCoeff: number[];
  private readonly rows = new Float64Array(4);
  private readonly cols = new Float64Array(4);
  /** Block energy below which two tones at the minimum level cannot be present. */
  private readonly minEnergy: number;
  private blockIndex = 0;
  private candidate: DtmfDigit | null = null;
  private candidateHits = 0;
  private candidateStart = 0;
  private active: { digit: DtmfDigit; startBlock: number; lastHitBlock: number } | null = null;
  private misses = 0;

  constructor(opts: InbandDetectorOptions = {}) {
    this.sampleRate = opts.sampleRate ?? 8000;
    this.blockSize = Math.round((102 * this.sampleRate) / 8000);
    const n = this.blockSize;
    const minToneSamples = ((opts.minToneMs ?? 40) * this.sampleRate) / 1000;
    this.requiredHits = Math.max(2, Math.floor((minToneSamples - (n - 1)) / n));
    const blockMs = (n * 1000) / this.sampleRate;
    this.gapBlocks = Math.max(2, Math.round((opts.minGapMs ?? 40) / blockMs));
    this.minPeak = dbm0ToPeak(opts.minLevelDbm0 ?? -36);
    this.normalTwist = db(opts.normalTwistDb ?? 8);
    this.reverseTwist = db(opts.reverseTwistDb ?? 4);
    this.relativePeak = db(opts.relativePeakDb ?? 8);
    this.minFraction = opts.minToneEnergyFraction ?? 0.72;
    this.harmonicReject = 10 ** (-(opts.harmonicRejectDb ?? 10) / 20);
    this.pending = new Float64Array(n);
    this.rowCoeff = DTMF_ROW_HZ.map((f) => goertzelCoeff(f, this.sampleRate));
    this.colCoeff = DTMF_COL_HZ.map((f) => goertzelCoeff(f, this.sampleRate));
    // Two sines of amplitude ≥ minPeak carry ≥ N·minPeak² (A²/2 each per sample); margin for
    // the partial last cycle.
    this.minEnergy = 0.8 * n * this.minPeak * this.minPeak;
  }

  /** Feed PCM; returns digits (on detection) and ends (after the inter-digit gap). */
  process(pcm: ArrayLike<number>): InbandDtmfEvent[] {
    const out: InbandDtmfEvent[] = [];
    const block = this.pending;
    for (let i = 0; i < pcm.length; i++) {
      block[this.filled++] = pcm[i]!;
      if (this.filled === this.blockSize) {
        this.step(this.classify(block), out);
        this.filled = 0;
      }
    }
    return out;
  }

  /** End of input: report the end of a digit still sounding. */
  flush(): InbandDtmfEvent[] {
    const out: InbandDtmfEvent[] = [];
    if (this.active) out.push(this.endActive());
    this.candidate = null;
    this.candidateHits = 0;
    return out;
  }

  private ms(block: number): number {
    return (block * this.blockSize * 1000) / this.sampleRate;
  }

  private endActive(): InbandDtmfEvent {
    const a = this.active!;
    this.active = null;
    return {
      type: 'end',
      digit: a.digit,
      startMs: this.ms(a.startBlock),
      durationMs: this.ms(a.lastHitBlock + 1 - a.startBlock),
    };
  }

  private step(hit: DtmfDigit | null, out: InbandDtmfEvent[]): void {
    const b = this.blockIndex++;
    if (this.active) {
      if (hit === this.active.digit) {
        this.active.lastHitBlock = b;
        this.misses = 0;
        return;
      }
      if (++this.misses < this.gapBlocks) return;
      out.push(this.endActive());
      this.candidate = null;
    }
    if (hit === null) {
      this.candidate = null;
      this.candidateHits = 0;
      return;
    }
    if (hit === this.candidate) {
      this.candidateHits++;
    } else {
      this.candidate = hit;
      this.candidateHits = 1;
      this.candidateStart = b;
    }
    if (this.candidateHits >= this.requiredHits) {
      this.active = { digit: hit, startBlock: this.candidateStart, lastHitBlock: b };
      this.misses = 0;
      this.candidate = null;
      this.candidateHits = 0;
      out.push({ type: 'digit', digit: hit, startMs: this.ms(this.active.startBlock) });
    }
  }

  /** The digit one block hits, or null. */
  classify(block: ArrayLike<number>): DtmfDigit | null {
    const n = block.length;
    const fs = this.sampleRate;
    const half = n >> 1;
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < half; i++) e1 += block[i]! * block[i]!;
    for (let i = half; i < n; i++) e2 += block[i]! * block[i]!;
    const energy = e1 + e2;
    // Too quiet for two tones at the minimum level: no filter needed (silence, most speech).
    if (energy === 0 || energy < this.minEnergy) return null;
    // Stationarity: a block the tone covers only partly (an edge) has unequal halves. Requiring
    // the quieter half at ≥ 0.75 of the louder means ≈ 88 % coverage, so two hits need ≈ 190
    // samples (24 ms) of tone. Each half spans ≥ 1.7 beat periods of any DTMF pair, so a full
    // block's halves differ by < 20 %.
    if (Math.min(e1, e2) < 0.75 * Math.max(e1, e2)) return null;
    const { rows, cols } = this;
    for (let i = 0; i < 4; i++) rows[i] = goertzelPowerWith(block, 0, n, this.rowCoeff[i]!);
    for (let i = 0; i < 4; i++) cols[i] = goertzelPowerWith(block, 0, n, this.colCoeff[i]!);
    const r = argmax(rows);
    const c = argmax(cols);
    const pr = rows[r]!;
    const pc = cols[c]!;
    const ar = goertzelAmplitude(pr, n);
    const ac = goertzelAmplitude(pc, n);
    if (ar < this.minPeak || ac < this.minPeak) return null;
    // Twist (Q.24): normal = low group stronger, reverse = high group stronger.
    if (pc > pr ? pc > pr * this.reverseTwist : pr > pc * this.normalTwist) return null;
    for (let i = 0; i < 4; i++) {
      if (i !== r && rows[i]! * this.relativePeak > pr) return null;
      if (i !== c && cols[i]! * this.relativePeak > pc) return null;
    }
    // Fraction of the block's energy in the two tones: a pure sine has P = E·N/2.
    if ((2 * (pr + pc)) / (n * energy) < this.minFraction) return null;
    const fr = DTMF_ROW_HZ[r]!;
    const fc = DTMF_COL_HZ[c]!;
    for (const [f, a] of [
      [fr, ar],
      [fc, ac],
    ] as const) {
      const h = 2 * f;
      if (h >= fs / 2) continue;
      const ah = goertzelAmplitude(goertzelPowerWith(block, 0, n, goertzelCoeff(h, fs)), n);
      const leak = 1.1 * (ar * leakageBound(fr, h, n, fs) + ac * leakageBound(fc, h, n, fs));
      if (ah - leak > a * this.harmonicReject) return null;
    }
    return DTMF_KEYPAD[r]![c]!;
  }
}

function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
