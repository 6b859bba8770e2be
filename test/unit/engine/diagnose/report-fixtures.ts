/** Call reports for the diagnosis tests: a clean answered G.711 call, and builders for variants. */
import type { CallReport, MediaDirection, MediaReport } from '../../../../src/shared/model/report.ts';

export function direction(packets: number, extra: Partial<MediaDirection> = {}): MediaDirection {
  return {
    packets,
    bytes: packets * 160,
    ssrc: packets > 0 ? '0x01020304' : null,
    remoteAddress: packets > 0 ? '203.0.113.5:40000' : null,
    expected: packets,
    lost: 0,
    lostPercent: 0,
    duplicates: 0,
    outOfOrder: 0,
    jitterMeanMs: 1,
    jitterMaxMs: 2,
    maxDeltaMs: 21,
    ...extra,
  };
}

export function media(over: Partial<MediaReport> = {}, received: Partial<MediaReport['received']> = {}): MediaReport {
  return {
    codec: 'PCMU',
    payloadType: 0,
    ptime: 20,
    dtmfMethod: 'rfc2833',
    telephoneEventPt: 101,
    srtp: { policy: 'off', active: false, suite: null },
    local: '198.51.100.2:20000',
    sdpRemote: '203.0.113.5:40000',
    symmetricRtp: true,
    sent: direction(250, { audio: { decoded: true, activeMs: 5000, silentMs: 0, cnMs: 0, undecodable: 0, peakDbfs: -6, meanDbfs: -13 } }),
    received: {
      ...direction(250, { audio: { decoded: true, activeMs: 4800, silentMs: 200, cnMs: 0, undecodable: 0, peakDbfs: -8, meanDbfs: -20 } }),
      malformed: 0,
      srtpAuthFailures: 0,
      srtpReplays: 0,
      ssrcChanges: 0,
      foreign: 0,
      foreignRtcp: 0,
      ...received,
    },
    dtmf: { sent: [], received: [] },
    peerReport: null,
    mos: 4.4,
    rFactor: 93.2,
    oneWayAudio: { verdict: 'ok', direction: null, evidence: ['received 250 …'], others: [] },
    mosBasis: 'network',
    ...over,
  };
}

export function answered(over: Partial<CallReport> = {}): CallReport {
  return {
    command: 'call',
    outcome: 'answered',
    finalStatus: 200,
    reason: '200 OK; duration reached',
    callId: 'c1',
    setupMs: 50,
    durationMs: 5000,
    transport: 'udp',
    local: '198.51.100.2:5060',
    remote: '203.0.113.5:5060',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:05.100Z',
    endedBy: 'local',
    timeline: { provisionalMs: 10, ringingMs: 10, answerMs: 50 },
    events: [],
    messages: { sent: 3, received: 3 },
    media: media(),
    ...over,
  };
}

export function failedCall(status: number | null, reason: string, over: Partial<CallReport> = {}): CallReport {
  const r = answered({ outcome: 'rejected', finalStatus: status, reason, durationMs: null, ...over });
  delete r.media;
  if (over.media) r.media = over.media;
  return r;
}

export const sipMsg = (dir: 'in' | 'out', firstLine: string, headers: string[] = [], body = ''): { dir: 'in' | 'out'; firstLine: string; raw: string; status?: number; method?: string } => {
  const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine)?.[1];
  const method = status ? undefined : firstLine.split(' ')[0];
  return {
    dir,
    firstLine,
    raw: `${firstLine}\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}\r\n${body}`,
    ...(status ? { status: Number(status) } : { method }),
  };
};
