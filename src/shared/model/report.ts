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
  /** listen: one report per call received. */
  calls?: CallReport[];
  /** Requests other than INVITE the listener answered (OPTIONS, MESSAGE ...). */
  requests?: Array<{ method: string; status: number; from: string }>;
}
