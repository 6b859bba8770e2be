/**
 * The report every command ends in (docs/report-schema.md). One JSON object per run; the same
 * shape feeds the GUI's call history. Field names are a public contract: QA pipelines parse them.
 */
import type { AudioPresence, Diagnosis } from './diagnosis.ts';

export type { AudioPresence, Cause, CauseCode, Diagnosis, Evidence } from './diagnosis.ts';

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
  /** Audio presence of this direction's decoded audio (issue 17; docs/diagnosis.md). */
  audio?: AudioPresence;
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
    | 'outbound-stopped'
    | 'audio-unverified';
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
  /** `negotiation`: who offered what about SRTP and what the answer did, e.g. "the peer offered SRTP best-effort …; we answered plain RTP". */
  srtp: { policy: 'off' | 'offer' | 'require'; active: boolean; suite: string | null; negotiation?: string };
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
    /**
     * RTP packets from a source that is not the peer's (not consistent with the signaling, issue
     * 15 "RTP bleed"): refused, kept out of every figure, DTMF and verdict above.
     */
    foreign: number;
    /** RTCP packets refused for the same reason. */
    foreignRtcp: number;
    /** The first few foreign sources, "ip:port" (only when some arrived). */
    foreignSources?: string[];
    /** Datagrams this host's RTP socket dropped (Linux /proc/net/udp `drops`), when any. */
    localDrops?: number;
  };
  dtmf: { sent: DtmfRecord[]; received: DtmfRecord[] };
  /** The peer's view of our stream from its RTCP receiver reports; null if none arrived. */
  peerReport: PeerReport | null;
  /** ITU-T G.107 E-model on the received stream (docs/quality.md), null before any RTP. */
  mos: number | null;
  rFactor: number | null;
  oneWayAudio: OneWayAudio | null;
  /**
   * Set when the negotiated codec is carried without a real encoder/decoder (G.729): the audio
   * is synthetic, says how, and `mos`/`rFactor` are null.
   */
  syntheticAudio?: string;
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
  /** What `mos` is based on: network figures (loss, jitter, delay), never the audio itself. */
  mosBasis?: 'network';
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
  /** listen: what the carrier delivered on the INVITE (dialed number, caller, custom headers). */
  inbound?: InboundIdentity;
  /** listen: every such request counted, and how many `requests` left out (first and last N kept). */
  requestSummary?: RequestSummary;
  /**
   * call/register/options: every RFC 3263 target the request went to, in order (RFC 3263 §4.3
   * failover): "ip:port", transport, its final status (null: none came), why it was left, ms spent.
   */
  attempts?: TargetAttempt[];
  /** The troubleshooting verdict with its causes and evidence (docs/diagnosis.md). */
  diagnosis?: Diagnosis;
  /** listen with --allow-from / --auth-user: the INVITEs refused (403 / 407), by source and reason. */
  refused?: InboundRefusals;
  /** listen --routes: which inbound rule took the call, what matched, the agents it went through. */
  route?: RouteReport;
  /** listen --routes: calls per rule over the run ("(none)": no rule matched). */
  routeTotals?: Record<string, number>;
  /** call --route: the outbound route used (its targets are in `attempts`, in order). */
  outboundRoute?: string;
  /** Retry-After (s) of the decisive response (a 503 naming one), so routes can skip the target. */
  retryAfterSec?: number;
}

/** An incoming INVITE's identity headers as received (values cut at 256 characters). */
export interface InboundIdentity {
  requestUri: string;
  /** The dialed number: the Request-URI user (or the To user when the Request-URI has none). */
  dialed: string | null;
  to: string | null;
  from: string | null;
  pAssertedIdentity?: string[];
  diversion?: string[];
  historyInfo?: string[];
  /** Every `X-*` header, by name as received (repeated headers joined with ", "). */
  headers?: Record<string, string>;
}

/** listen: out-of-dialog requests counted (issue 15: the record is bounded like --keep-calls). */
export interface RequestSummary {
  total: number;
  /** Requests whose entry is not in `requests` (between the first and the last N). */
  omitted: number;
  /** Requests per method (at most 32 distinct; the rest under `(other)`). */
  byMethod: Record<string, number>;
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

/**
 * One target tried (see CallReport.attempts): an RFC 3263 address ("ip:port") of the request, or
 * with `call --route` one of the route's targets (its URI, and the trunk profile it came from).
 */
export interface TargetAttempt {
  target: string;
  /** The transport used (absent when the target could not be tried at all). */
  transport?: 'udp' | 'tcp' | 'tls';
  /** call --route: the profile the target came from (null: a plain URI). */
  profile?: string | null;
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

/** listen: INVITEs the inbound guard refused (--allow-from, --auth-user), by source and reason. */
export interface InboundRefusals {
  total: number;
  /** Source address → reason → count ("address not allowed", "challenged (no credentials)", "digest: …"). */
  bySource: Record<string, Record<string, number>>;
}

/** One step of Test Connection (`trunkscope test`, the GUI's Trunks view). */
export interface TestStep {
  name: 'dns' | 'transport' | 'options' | 'register' | 'ip-auth' | 'clock' | 'media';
  status: 'pass' | 'fail' | 'warn' | 'skip';
  /** Plain words; a failure names its likely cause. */
  detail: string;
  ms: number;
  evidence: Record<string, unknown>;
}

/** `trunkscope test --profile NAME --json`. */
export interface TestConnectionReport {
  command: 'test';
  profile: string;
  ok: boolean;
  steps: TestStep[];
}
