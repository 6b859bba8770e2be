/** The `media` section of a call report (docs/report-schema.md), from a call's CallMedia. */
import type { MediaReport } from '../../../shared/model/report.ts';
import type { CallMedia } from './call-media.ts';

const hex = (ssrc: number | null | undefined): string | null =>
  ssrc === null || ssrc === undefined ? null : `0x${ssrc.toString(16).padStart(8, '0')}`;

export function mediaReport(m: CallMedia): MediaReport {
  const s = m.rtp.stats();
  const n = m.negotiated;
  const malformed = Object.values(s.received.malformed).reduce((a, b) => a + b, 0);
  return {
    codec: n?.codec ?? null,
    payloadType: n?.payloadType ?? null,
    ptime: n?.ptime ?? null,
    dtmfMethod: m.prefs.dtmf,
    telephoneEventPt: n?.telephoneEventPt ?? null,
    srtp: { policy: m.prefs.srtp, active: n?.crypto !== undefined, suite: n?.crypto?.suite ?? null },
    local: `${m.prefs.sdpAddress.includes(':') ? `[${m.prefs.sdpAddress}]` : m.prefs.sdpAddress}:${m.rtp.localPort}`,
    sdpRemote: s.sent.sdpRemoteAddress,
    symmetricRtp: m.prefs.symmetric,
    sent: { packets: s.sent.packets, bytes: s.sent.bytes, ssrc: s.sent.packets > 0 ? hex(s.sent.ssrc) : null, remoteAddress: s.sent.remoteAddress },
    received: {
      packets: s.received.packets,
      bytes: s.received.bytes,
      ssrc: hex(s.received.ssrc),
      remoteAddress: s.received.remoteAddress,
      malformed,
      srtpAuthFailures: s.received.srtpAuthFailures,
      srtpReplays: s.received.srtpReplays,
      ssrcChanges: s.received.ssrcChanges,
    },
    dtmf: { sent: [...m.dtmfSent], received: [...m.dtmfReceived].sort((a, b) => a.atMs - b.atMs) },
    ...(m.prefs.record ? { recording: m.prefs.record } : {}),
    ...(m.probe ? { probe: roundProbe(m.probe.report()) } : {}),
    ...(m.error ? { error: m.error } : {}),
  };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r1n = (x: number | null): number | null => (x === null ? null : r1(x));

function roundProbe(p: NonNullable<MediaReport['probe']>): NonNullable<MediaReport['probe']> {
  const rt = p.roundTripMs;
  return {
    ...p,
    firstDetectedMs: r1n(p.firstDetectedMs),
    lastDetectedMs: r1n(p.lastDetectedMs),
    detectionsPerSecond: Math.round(p.detectionsPerSecond * 100) / 100,
    roundTripMs: rt ? { last: r1(rt.last), min: r1(rt.min), max: r1(rt.max), mean: r1(rt.mean), count: rt.count } : null,
  };
}
