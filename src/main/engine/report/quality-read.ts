/**
 * Quality figures for a stats tick, from the call's media report (docs/quality.md): MOS, the
 * one-way-audio verdict, Wireshark's loss figures of the received stream and the peer's RTCP view
 * of ours. Read defensively (every field may be absent in a report from an older engine), so ticks
 * keep flowing with our own RFC 3550 figures when one is missing.
 */
import type { MediaReport } from '../../../shared/model/report.ts';
import type { StatsTick } from '../../../shared/api/contract.ts';

export interface QualityFigures {
  mos: number | null;
  oneWayAudio?: StatsTick['oneWayAudio'];
  /** What the peer's last RTCP receiver report said about our stream. */
  sent: { lost?: number; lostPercent?: number; jitterMs?: number };
  /** Wireshark's figures for the peer's stream. */
  received: { lost?: number; lostPercent?: number };
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function readQuality(report: MediaReport | undefined): QualityFigures {
  const r = report as Partial<MediaReport> | undefined;
  const out: QualityFigures = { mos: num(r?.mos) ?? null, sent: {}, received: {} };
  const owa = r?.oneWayAudio;
  if (owa && typeof owa.verdict === 'string') {
    out.oneWayAudio = {
      verdict: owa.verdict,
      direction: owa.direction ?? null,
      evidence: Array.isArray(owa.evidence) ? owa.evidence.map(String) : [],
    };
  }
  const peer = r?.peerReport;
  if (peer) {
    const lost = num(peer.cumulativeLost);
    const pct = num(peer.fractionLostPercent);
    const jitter = num(peer.jitterMs);
    if (lost !== undefined) out.sent.lost = lost;
    if (pct !== undefined) out.sent.lostPercent = pct;
    if (jitter !== undefined) out.sent.jitterMs = jitter;
  }
  const lost = num(r?.received?.lost);
  const pct = num(r?.received?.lostPercent);
  if (lost !== undefined) out.received.lost = Math.max(0, lost);
  if (pct !== undefined) out.received.lostPercent = Math.max(0, pct);
  return out;
}
