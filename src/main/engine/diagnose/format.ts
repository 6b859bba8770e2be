/**
 * The at-a-glance text of a call (issue 11): codec, packets each way, loss, jitter, MOS — or
 * "silent" / "unverified" when the received audio was absent or not checked (issue 17) — and the
 * verdict with one line per cause.
 */
import type { CallReport, MediaReport } from '../../../shared/model/report.ts';

/** The MOS as shown: the network figure only when decoded audio was present. */
export function mosText(m: MediaReport): string {
  const a = m.received.audio;
  if (m.received.packets === 0) return '-';
  if (a && !a.decoded && !(a.cnMs > 0 && a.undecodable === 0)) return 'unverified';
  if (a && a.activeMs === 0) return 'silent';
  if (m.oneWayAudio?.verdict === 'silent-inbound') return 'silent';
  if (m.oneWayAudio?.verdict === 'audio-unverified') return 'unverified';
  return m.mos !== null ? m.mos.toFixed(2) : '-';
}

export function formatMediaLine(m: MediaReport): string {
  const rx = m.received;
  return [
    `media ${m.codec ?? 'none'}${m.payloadType !== null ? `/${m.payloadType}` : ''}`,
    `sent ${m.sent.packets} pkts`,
    `received ${rx.packets} pkts`,
    `loss ${Math.max(0, rx.lostPercent)} %`,
    `jitter ${Math.round(rx.jitterMeanMs * 10) / 10} ms`,
    `MOS ${mosText(m)}`,
  ].join('  ');
}

/** Lines for the text output: the media line (when there was media) and the verdict. */
export function formatDiagnosis(r: CallReport): string[] {
  const out: string[] = [];
  if (r.media) out.push(formatMediaLine(r.media));
  const d = r.diagnosis;
  if (!d) return out;
  out.push(`verdict ${d.verdict}${d.causes.length > 0 ? `: ${d.causes.map((c) => c.code).join(', ')}` : ''}`);
  for (const c of d.causes) {
    out.push(`  ${c.severity === 'error' ? 'error  ' : 'warning'} ${c.code}: ${c.summary}`);
    const e = c.evidence[0];
    if (e) out.push(`          ${e.ref}${e.originalRef ? ` (${e.originalRef} of the original capture)` : ''}: ${e.text}`);
    out.push(`          fix: ${c.fix}`);
  }
  return out;
}
