/**
 * In-band DTMF generation (ITU-T Q.23): a low-group (row) and a high-group (column) sine.
 *
 *           1209  1336  1477  1633 Hz
 *   697      1     2     3     A
 *   770      4     5     6     B
 *   852      7     8     9     C
 *   941      *     0     #     D
 */
import { ToneSource } from '../source/tone.ts';
import { digitToEvent, type DtmfDigit } from './digits.ts';

export const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
export const DTMF_COL_HZ = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** [row Hz, column Hz] of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): [number, number] {
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYPAD[r]!.indexOf(digit);
    if (c >= 0) return [DTMF_ROW_HZ[r]!, DTMF_COL_HZ[c]!];
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}

export interface DtmfToneOptions {
  durationMs: number;
  sampleRate?: number;
  /** Level of the low-group tone, default -7 dBm0. */
  lowDbm0?: number;
  /** Level of the high-group tone, default -7 dBm0 (set higher for reverse twist). */
  highDbm0?: number;
  /** Frequency error applied to both tones, in percent (Q.24 tests use ±1.5 % and ±3.5 %). */
  frequencyErrorPct?: number;
}

/** One DTMF tone burst of `durationMs`. */
export function generateDtmfTone(digit: DtmfDigit, opts: DtmfToneOptions): Int16Array {
  if (digitToEvent(digit) === undefined) throw new RangeError(`not a DTMF digit: ${digit}`);
  const sampleRate = opts.sampleRate ?? 8000;
  const k = 1 + (opts.frequencyErrorPct ?? 0) / 100;
  const [row, col] = dtmfFrequencies(digit);
  const src = new ToneSource({
    sampleRate,
    components: [
      { frequency: row * k, levelDbm0: opts.lowDbm0 ?? -7 },
      { frequency: col * k, levelDbm0: opts.highDbm0 ?? -7 },
    ],
  });
  return src.next(Math.round((opts.durationMs * sampleRate) / 1000));
}

export interface DtmfSequenceOptions extends Omit<DtmfToneOptions, 'durationMs'> {
  toneMs?: number;
  gapMs?: number;
  /** Silence before the first digit, default 0. */
  leadMs?: number;
}

/** Digits as tone bursts separated by silence (default 100 ms on, 100 ms off). */
export function generateDtmfSequence(digits: string, opts: DtmfSequenceOptions = {}): Int16Array {
  const rate = opts.sampleRate ?? 8000;
  const n = (ms: number) => Math.round((ms * rate) / 1000);
  const parts: Int16Array[] = [new Int16Array(n(opts.leadMs ?? 0))];
  for (const d of digits) {
    parts.push(
      generateDtmfTone(d.toUpperCase() as DtmfDigit, { ...opts, durationMs: opts.toneMs ?? 100 }),
    );
    parts.push(new Int16Array(n(opts.gapMs ?? 100)));
  }
  const out = new Int16Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
