/**
 * The report every command ends in (docs/report-schema.md). One JSON object per run; the same
 * shape feeds the GUI's call history. Field names are a public contract: QA pipelines parse them.
 */
export type Outcome =
  // call
  | 'answered'
  | 'rejected'
  | 'busy'
  | 'no-answer'
  | 'cancelled'
  // register
  | 'registered'
  // options / listen
  | 'ok'
  // any
  | 'auth-failed'
  | 'timeout'
  | 'unreachable'
  | 'failed';

export type AuthFailure = 'wrong-credentials' | 'forbidden' | 'realm-mismatch' | 'no-credentials' | 'no-response' | 'unreachable';

export interface Timeline {
  /** ms from the INVITE being sent to the first provisional response (any 1xx). */
  provisionalMs: number | null;
  /** ... to 180 / 183. */
  ringingMs: number | null;
  /** ... to the 2xx. */
  answerMs: number | null;
  /** ... to the first RTP packet from the peer. */
  firstRtpMs?: number | null;
  /** ... to the first speech (voice activity) in the peer's audio: the dead air callers hang up on. */
  firstSpeechMs?: number | null;
  /** With --play: from the end of our speech to the start of the peer's reply. */
  replyGapMs?: number | null;
}

export type DtmfMethod = 'rfc2833' | 'info' | 'inband';

export interface DtmfRecord {
  digit: string;
  method: DtmfMethod;
  /** ms since the call was answered (negative: during early media). */
  atMs: number;
  durationMs?: number;
}

/**
 * One direction of RTP. Quality figures are Wireshark's RTP stream analysis of that stream as a
 * capture at our interface sees it (docs/quality.md): for `received`, the peer's stream arriving;
 * for `sent`, our own stream leaving (loss there is what our capture would see: normally 0).
 */
export interface MediaDirection {
  packets: number;
  bytes: number;
  /** SSRC of the stream (hex string as in Wireshark, e.g. "0x1a2b3c4d"), null before any packet. */
  ssrc: string | null;
  /** Where packets went (sent) or came from (received), "ip:port". */
  remoteAddress: string | null;
  /** Wireshark: last seq − first seq + 1 (with wraps). */
  expected: number;
  /** expected − packets (negative with duplicates, as in Wireshark). */
  lost: number;
  lostPercent: number;
  duplicates: number;
  outOfOrder: number;
  /** Interarrival jitter (RFC 3550 §6.4.1 / A.8, Wireshark's ms form): mean and max over the call. */
  jitterMeanMs: number;
  jitterMaxMs: number;
  /** Largest gap between consecutive regular packets. */
  maxDeltaMs: number;
}

/** What the peer said about our stream in its last RTCP report block (RFC 3550 §6.4). */
export interface PeerReport {
  /** ms since the call was answered when the report arrived. */
  atMs: number;
  fractionLostPercent: number;
  cumulativeLost: number;
  jitterMs: number | null;
  /** Round-trip time from LSR/DLSR, null when the peer echoed no SR of ours. */
  rttMs: number | null;
  packetsReceived: number | null;
}

export interface OneWayAudio {
  verdict:
    | 'ok'
    | 'no-inbound-rtp'
    | 'no-outbound-rtp'
    | 'silent-inbound'
    | 'nat-mismatch'
    | 'private-sdp-address'
    | 'srtp-mismatch'
    | 'inbound-stopped'
    | 'outbound-stopped';
  direction: 'inbound' | 'outbound' | 'both' | null;
  /** ms since answer from which the verdict holds. */
  sinceMs?: number;
  evidence: string[];
  /** Further verdicts that also apply. */
  others: Array<{ verdict: string; direction: string; sinceMs?: number; evidence: string[] }>;
}

export interface MediaReport {
  /** Negotiated codec name (e.g. "PCMA"), null if no media was negotiated. */
  codec: string | null;
  payloadType: number | null;
  ptime: number | null;
  dtmfMethod: DtmfMethod;
  /** The telephone-event payload type negotiated, null if none. */
  telephoneEventPt: number | null;
  srtp: { policy: 'off' | 'offer' | 'require'; active: boolean; suite: string | null };
  /** Our RTP address as put in SDP, and where we bound. */
  local: string | null;
  /** The RTP address the peer's SDP named. */
  sdpRemote: string | null;
  symmetricRtp: boolean;
  sent: MediaDirection;
  received: MediaDirection & {
    malformed: number;
    /** The malformed count by reason (only when some arrived), e.g. { "unknown-payload-type": 14 }. */
    malformedBy?: Record<string, number>;
    /** Packets with a payload type the SDP did not negotiate, by payload type, e.g. { "101": 14 }. */
    unknownPayloadTypes?: Record<string, number>;
    srtpAuthFailures: number;
    srtpReplays: number;
    ssrcChanges: number;
  };
  dtmf: { sent: DtmfRecord[]; received: DtmfRecord[] };
  /** The peer's view of our stream from its RTCP receiver reports; null if none arrived. */
  peerReport: PeerReport | null;
  /** ITU-T G.107 E-model on the received stream (docs/quality.md), null before any RTP. */
  mos: number | null;
  rFactor: number | null;
  oneWayAudio: OneWayAudio | null;
  /** Received streams beyond the main one (SSRC switches, clock-rate changes), labelled. */
  otherStreams?: Array<{ label: string; packets: number; lost: number; jitterMeanMs: number }>;
  /** Path of the stereo WAV recording (left = sent, right = received). */
  recording?: string;
  /** The recording could not be written when the call ended (disk full, directory gone…). */
  recordingError?: string;
  /**
   * With --probe: our audio-path probe bursts sent and detected coming back (through an echo),
   * with the round-trip delay in ms.
   */
  probe?: {
    sent: number;
    received: number;
    firstDetectedMs: number | null;
    lastDetectedMs: number | null;
    detectionsPerSecond: number;
    roundTripMs: { last: number; min: number; max: number; mean: number; count: number } | null;
  };
  /** Why media could not be set up as negotiated (e.g. an unusable SDP answer). */
  error?: string;
}

export interface CallReport {
  command: 'call' | 'listen' | 'register' | 'options';
  outcome: Outcome;
  /** Final SIP status of the main request (INVITE, REGISTER, OPTIONS), null if none arrived. */
  finalStatus: number | null;
  reason: string;
  callId: string | null;
  /** ms from the first request sent to its final response. */
  setupMs: number | null;
  /** ms connected (call) or registered (register); null when never. */
  durationMs: number | null;
  transport: 'udp' | 'tcp' | 'tls';
  /** Our address as "ip:port" (the local end of the signaling flow). */
  local: string | null;
  /** The peer's address as "ip:port". */
  remote: string | null;
  startedAt: string;
  endedAt: string;
  /** Who ended the call. */
  endedBy?: 'local' | 'remote' | 'error';
  authFailure?: AuthFailure;
  timeline?: Timeline;
  /** OPTIONS round-trip time in ms. */
  rttMs?: number;
  /** REGISTER: expiry granted by the registrar, refreshes done, un-REGISTER status. */
  registration?: { expires: number | null; refreshes: number; unregisterStatus: number | null };
  /** Session-timer and in-dialog events. */
  events?: Array<{ atMs: number; event: string; detail?: string }>;
  /** SIP messages sent and received for this report (retransmissions included). */
  messages: { sent: number; received: number };
  /** RTP media of a call (absent for register/options and for calls without media). */
  media?: MediaReport;
  /** listen: one report per call received (the first and last N on long runs: see callSummary). */
  calls?: CallReport[];
  /** listen: every call counted, and how many reports `calls` left out. */
  callSummary?: CallSummary;
  /** Requests other than INVITE the listener answered (OPTIONS, MESSAGE ...). */
  requests?: Array<{ method: string; status: number; from: string }>;
  /** listen --routes: which inbound rule took the call, what matched, the agents it went through. */
  route?: RouteReport;
  /** listen --routes: calls per rule over the run ("(none)": no rule matched). */
  routeTotals?: Record<string, number>;
  /** call --route: the outbound route used and every target tried, in order. */
  outboundRoute?: string;
  attempts?: AttemptReport[];
  /** Retry-After (s) of the decisive response (a 503 naming one), so routes can skip the target. */
  retryAfterSec?: number;
}

/** One inbound call's routing (docs/routing.md). */
export interface RouteReport {
  /** The rule that matched; null when none did (the call was refused with 404). */
  rule: string | null;
  matched: Array<{ field: string; value: string; pattern: string }>;
  /** The type of the rule's agent (echo, busy, forward …). */
  agent: string;
  /** Each agent the call went to and how it ended there (failover steps after the first). */
  steps: Array<{ agent: string; result: string; ms: number }>;
  /** forward: the second leg (B2BUA) to the target. */
  forward?: CallReport;
}

/** One target an outbound route tried. */
export interface AttemptReport {
  target: string;
  profile: string | null;
  status: number | null;
  reason: string;
  ms: number;
}

/** listen: all calls of the run counted, whether or not `calls` holds their full report. */
export interface CallSummary {
  /** Calls that ended during the run. */
  total: number;
  /** Calls whose full report is not in `calls` (between the first and the last N). */
  omitted: number;
  /** Calls per outcome (`answered`, `rejected`, `cancelled` ...). */
  byOutcome: Record<string, number>;
  /** Calls per reason text (at most 50 distinct; the rest under `(other)`). */
  byReason: Record<string, number>;
}
