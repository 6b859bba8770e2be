/**
 * Quality figures read from a call's media report. The measurement work adds fields to the
 * report (media.mos, media.oneWayAudio, per-direction lost/jitter); every field is optional here,
 * so ticks keep flowing with our own RFC 3550 figures when a field is absent.
 */
import type { MediaReport } from '../../../shared/model/report.ts';
import type { StatsTick } from '../../../shared/api/contract.ts';

type Loose = Record<string, unknown>;

export interface QualityFigures {
  mos: number | null;
  oneWayAudio?: StatsTick['oneWayAudio'];
  sent: { lost?: number; lostPercent?: number; jitterMs?: number };
  received: { lost?: number; lostPercent?: number; jitterMs?: number };
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function readQuality(report: MediaReport | undefined): QualityFigures {
  const r = (report ?? {}) as unknown as Loose;
  const quality = (r['quality'] ?? {}) as Loose;
  const mos = num(r['mos']) ?? num(quality['mos']) ?? null;
  const out: QualityFigures = {
    mos,
    sent: direction(r['sent']),
    received: direction(r['received']),
  };
  const owa = (r['oneWayAudio'] ?? quality['oneWayAudio']) as Loose | undefined;
  if (owa && typeof owa['verdict'] === 'string') {
    const evidence = Array.isArray(owa['evidence'])
      ? owa['evidence'].map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))
      : [];
    out.oneWayAudio = {
      verdict: owa['verdict'],
      direction: typeof owa['direction'] === 'string' ? owa['direction'] : null,
      evidence,
    };
  }
  return out;
}

function direction(v: unknown): QualityFigures['sent'] {
  const d = (v ?? {}) as Loose;
  const out: QualityFigures['sent'] = {};
  const lost = num(d['lost']);
  const pct = num(d['lostPercent']);
  const jitter = num(d['jitterMs']) ?? num(d['jitterMeanMs']);
  if (lost !== undefined) out.lost = lost;
  if (pct !== undefined) out.lostPercent = pct;
  if (jitter !== undefined) out.jitterMs = jitter;
  return out;
}
