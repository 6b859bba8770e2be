/** The `media` section of a call report (docs/report-schema.md), from a call's CallMedia. */
import type { AudioPresence, MediaDirection, MediaReport, OneWayAudio } from '../../../shared/model/report.ts';
import type { AudioPresenceMeter } from '../../media/sink/audio-presence.ts';
import { udpDrops } from '../../media/transport/udp-drops.ts';
import type { RtpStreamSnapshot } from '../../media/stats/rtp-stream-stats.ts';
import type { CallMedia } from './call-media.ts';
import { describeSrtp } from './srtp-offer.ts';

const hex = (ssrc: number | null | undefined): string | null =>
  ssrc === null || ssrc === undefined ? null : `0x${(ssrc >>> 0).toString(16).padStart(8, '0')}`;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r1n = (x: number | null): number | null => (x === null ? null : r1(x));

function quality(s: RtpStreamSnapshot | undefined): Omit<MediaDirection, 'packets' | 'bytes' | 'ssrc' | 'remoteAddress'> {
  return {
    expected: s?.expected ?? 0,
    lost: s?.lost ?? 0,
    lostPercent: r3(s?.lostPercent ?? 0),
    duplicates: s?.duplicates ?? 0,
    outOfOrder: s?.outOfOrder ?? 0,
    jitterMeanMs: r3(s?.jitterMeanMs ?? 0),
    jitterMaxMs: r3(s?.jitterMaxMs ?? 0),
    maxDeltaMs: r3(s?.maxDeltaMs ?? 0),
  };
}

export function mediaReport(m: CallMedia): MediaReport {
  const s = m.rtp.stats();
  const n = m.negotiated;
  const q = m.quality;
  const malformed = Object.values(s.received.malformed).reduce((a, b) => a + b, 0);
  const main = q.mainReceived();
  const others = q.received
    .snapshots()
    .filter((x) => main && !(x.ssrc === main.ssrc && x.firstArrivalMs === main.firstArrivalMs))
    .map((x) => ({ label: x.label, packets: x.packets, lost: x.lost, jitterMeanMs: r3(x.jitterMeanMs) }));
  const peer = q.peer();
  const mos = q.mos();
  const v = q.verdict();
  return {
    codec: n?.codec ?? null,
    payloadType: n?.payloadType ?? null,
    ptime: n?.ptime ?? null,
    dtmfMethod: m.prefs.dtmf,
    telephoneEventPt: n?.telephoneEventPt ?? null,
    srtp: { policy: m.prefs.srtp, active: n?.crypto !== undefined, suite: n?.crypto?.suite ?? null, ...srtpNegotiation(m, n) },
    local: `${m.prefs.sdpAddress.includes(':') ? `[${m.prefs.sdpAddress}]` : m.prefs.sdpAddress}:${m.rtp.localPort}`,
    sdpRemote: s.sent.sdpRemoteAddress,
    symmetricRtp: m.prefs.symmetric,
    sent: {
      packets: s.sent.packets,
      bytes: s.sent.bytes,
      ssrc: s.sent.packets > 0 ? hex(s.sent.ssrc) : null,
      remoteAddress: s.sent.remoteAddress,
      ...quality(q.sentSnapshot()),
      audio: q.audioOut.snapshot(),
    },
    received: {
      packets: s.received.packets,
      bytes: s.received.bytes,
      ssrc: hex(s.received.ssrc),
      remoteAddress: s.received.remoteAddress,
      ...quality(main),
      malformed,
      // What the malformed count is made of, and which unnegotiated payload types arrived (e.g.
      // telephone-event on a PT the SDP never named: the "DTMF not recognised" symptom).
      ...(malformed > 0 ? { malformedBy: { ...s.received.malformed } } : {}),
      ...(Object.keys(s.received.unknownPayloadTypes).length > 0 ? { unknownPayloadTypes: ptCounts(s.received.unknownPayloadTypes) } : {}),
      srtpAuthFailures: s.received.srtpAuthFailures,
      srtpReplays: s.received.srtpReplays,
      ssrcChanges: s.received.ssrcChanges,
      foreign: s.received.foreign,
      foreignRtcp: s.received.foreignRtcp,
      ...(s.received.foreignSources.length > 0 ? { foreignSources: s.received.foreignSources } : {}),
      audio: receivedAudio(q.audioIn, s.received.decodeErrors, s.received.srtpAuthFailures),
      ...localDrops(m.rtp.localPort),
    },
    peerReport:
      peer?.view != null
        ? {
            atMs: Math.round(peer.report.atMs - (q.answeredAtMs ?? 0)),
            fractionLostPercent: r1(peer.view.fractionLost * 100),
            cumulativeLost: peer.view.cumulativeLost,
            jitterMs: r1n(peer.view.jitterMs),
            rttMs: r1n(peer.view.rttMs),
            packetsReceived: peer.view.packetsReceivedByPeer,
          }
        : null,
    mos: mos?.mos ?? null,
    rFactor: mos?.rFactor ?? null,
    ...syntheticAudio(m),
    oneWayAudio: v ? unverifiedIfUndecoded(oneWay(v, q.answeredAtMs ?? 0), s.received.packets, q.audioIn.snapshot()) : null,
    ...(others.length > 0 ? { otherStreams: others } : {}),
    dtmf: { sent: [...m.dtmfSent], received: [...m.dtmfReceived].sort((a, b) => a.atMs - b.atMs) },
    ...(m.prefs.record ? { recording: m.prefs.record } : {}),
    ...(m.recordingError ? { recordingError: m.recordingError } : {}),
    ...(m.probe ? { probe: roundProbe(m.probe.report()) } : {}),
    ...(m.error ? { error: m.error } : {}),
    mosBasis: 'network',
  };
}

/** Datagrams our own host dropped on the RTP socket (the local-drops cause), when known and > 0. */
function localDrops(port: number): { localDrops?: number } {
  const d = port > 0 ? udpDrops(port) : undefined;
  return d ? { localDrops: d } : {};
}

/** The received audio's presence, with decoder errors and undecryptable SRTP counted as undecodable. */
function receivedAudio(meter: AudioPresenceMeter, decodeErrors: number, srtpAuthFailures: number): AudioPresence {
  if (decodeErrors > 0) meter.notDecoded('the decoder rejected some payloads', 0);
  const a = meter.snapshot();
  const undecodable = a.undecodable + decodeErrors + srtpAuthFailures;
  const reason = !a.decoded && srtpAuthFailures > 0 && !a.reason?.includes('decoder') ? `SRTP packets could not be decrypted (${srtpAuthFailures} failed authentication)` : a.reason;
  return { ...a, undecodable, ...(reason !== undefined ? { reason } : {}) };
}

/**
 * Issue 17: a call whose received audio was never decoded is not "ok" — nothing checked it. An
 * `ok` verdict becomes `audio-unverified` with the reason (docs/diagnosis.md).
 */
function unverifiedIfUndecoded(v: OneWayAudio, packets: number, a: AudioPresence): OneWayAudio {
  if (v.verdict !== 'ok' || packets === 0 || a.decoded) return v;
  if (a.undecodable === 0 && a.cnMs > 0) {
    // RFC 3389 comfort noise and nothing else: the peer sends no audio at all.
    return { verdict: 'silent-inbound', direction: 'inbound', evidence: [`${packets} packets received, all comfort noise (PT 13, ${a.cnMs} ms): no audio`, ...v.evidence], others: v.others };
  }
  return {
    verdict: 'audio-unverified',
    direction: 'inbound',
    evidence: [`${packets} packets received but their audio was not checked: ${a.reason ?? 'not decoded'} (${a.undecodable} undecodable, ${a.cnMs} ms comfort noise)`, ...v.evidence],
    others: v.others,
  };
}

function oneWay(v: NonNullable<ReturnType<CallMedia['quality']['verdict']>>, answeredAt: number): OneWayAudio {
  const since = (x: number | undefined): number | undefined => (x === undefined ? undefined : Math.round(x - answeredAt));
  return {
    verdict: v.verdict,
    direction: v.direction,
    ...(v.sinceMs !== undefined ? { sinceMs: since(v.sinceMs) } : {}),
    evidence: v.evidence,
    others: v.others.map((o) => ({ verdict: o.verdict, direction: o.direction, ...(o.sinceMs !== undefined ? { sinceMs: since(o.sinceMs) } : {}), evidence: o.evidence })),
  };
}

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

/** Payload-type counts with string keys, for JSON. */
function ptCounts(byPt: Record<number, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(byPt).map(([pt, n]) => [String(pt), n]));
}

/** Who offered what about SRTP, and what the answer did (absent before any negotiation). */
function srtpNegotiation(m: CallMedia, n: CallMedia['negotiated']): { negotiation?: string } {
  const text = n ? describeSrtp(m.srtpOffer, n.crypto !== undefined, m.prefs.srtp) : undefined;
  return text ? { negotiation: text } : {};
}

/**
 * A codec we carry without encoding or decoding it (G.729 here, docs/codecs.md): the report says
 * the audio is synthetic, and gives no MOS (CallQuality.mos) for audio we did not really encode.
 */
function syntheticAudio(m: CallMedia): { syntheticAudio?: string } {
  const codec = m.activeCodec;
  if (!codec || (codec.encodesAudio && codec.decodesAudio)) return {};
  const what = [
    ...(codec.encodesAudio ? [] : ['we send a fixed near-silent frame instead of encoding the source']),
    ...(codec.decodesAudio ? [] : ['what arrives is counted but not decoded']),
  ];
  return { syntheticAudio: `${codec.name} has no codec here: ${what.join('; ')}; no MOS is given (docs/codecs.md)` };
}
