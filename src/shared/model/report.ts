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
}

export type DtmfMethod = 'rfc2833' | 'info' | 'inband';

export interface DtmfRecord {
  digit: string;
  method: DtmfMethod;
  /** ms since the call was answered (negative: during early media). */
  atMs: number;
  durationMs?: number;
}

/** One direction of RTP (issue 3 fields; quality figures are added by the measurement issue). */
export interface MediaDirection {
  packets: number;
  bytes: number;
  /** SSRC of the stream (hex string as in Wireshark, e.g. "0x1a2b3c4d"), null before any packet. */
  ssrc: string | null;
  /** Where packets went (sent) or came from (received), "ip:port". */
  remoteAddress: string | null;
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
    srtpAuthFailures: number;
    srtpReplays: number;
    ssrcChanges: number;
  };
  dtmf: { sent: DtmfRecord[]; received: DtmfRecord[] };
  /** Path of the stereo WAV recording (left = sent, right = received). */
  recording?: string;
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
  /** listen: one report per call received. */
  calls?: CallReport[];
  /** Requests other than INVITE the listener answered (OPTIONS, MESSAGE ...). */
  requests?: Array<{ method: string; status: number; from: string }>;
}
