/**
 * The one contract between the UI and the engine (DESIGN.md "One contract"): every command with
 * its argument schema and result type, every event with its payload type. The Electron preload,
 * the web shell's WebSocket client and the engine service all use this file; payloads are
 * validated with these zod schemas before they reach the engine.
 */
import { z } from 'zod';
import type { CallReport, MediaReport, TestStep } from '../model/report.ts';
import { WebhookSendSchema, WebhookVerifySchema, type WebhookSendReport, type WebhookVerdict } from './webhook-contract.ts';
import { profileCommands } from './profile-commands.ts';
import type { RouteTestDto, RoutingProblemDto, RoutingSummary } from '../model/routing.ts';
import { captureCommands } from './capture-contract.ts';
import { bundleCommands } from './bundle-contract.ts';

// ---------- shared value schemas ----------

export const TransportSchema = z.enum(['udp', 'tcp', 'tls']);
export const DtmfMethodSchema = z.enum(['rfc2833', 'info', 'inband']);
export const SrtpPolicySchema = z.enum(['off', 'offer', 'require']);
export const CodecSchema = z.enum(['PCMU', 'PCMA', 'G722', 'opus', 'G729']);
/** "Name: value" pairs; names are SIP tokens, values have no line breaks. */
export const HeaderSchema = z.tuple([z.string().regex(/^[A-Za-z0-9!%*_+`'~.-]+$/, 'header name'), z.string().regex(/^[^\r\n]*$/, 'no line breaks')]);
export const DigitsSchema = z.string().regex(/^[0-9*#A-Da-d,]{1,64}$/, 'DTMF digits are 0-9 * # A-D and ","');
export const CallIdSchema = z.string().min(1).max(256);

export const PlaceCallSchema = z.object({
  /** SIP URI, or a number / user@host (the engine adds sip: and the profile's domain). */
  target: z.string().min(1, 'enter a SIP URI or number').max(512),
  transport: TransportSchema.default('udp'),
  codecs: z.array(CodecSchema).min(1, 'choose at least one codec').default(['PCMU', 'PCMA']),
  dtmf: DtmfMethodSchema.default('rfc2833'),
  srtp: SrtpPolicySchema.default('off'),
  headers: z.array(HeaderSchema).max(32).default([]),
  /** Digest credentials (never echoed back in snapshots). */
  user: z.string().max(128).optional(),
  password: z.string().max(256).optional(),
  authUser: z.string().max(128).optional(),
  from: z.string().max(512).optional(),
  proxy: z.string().max(512).optional(),
  /** Seconds to wait for an answer before CANCEL. */
  timeoutSec: z.number().positive().max(600).default(60),
  /** TLS: accept a server certificate that does not verify (self-signed test peers). Default: verify. */
  tlsInsecure: z.boolean().optional(),
  /** What we send: a tone, the probe, silence, or the microphone (live frames from the UI). */
  source: z.enum(['tone', 'probe', 'silence', 'microphone']).default('tone'),
});
export type PlaceCallArgs = z.input<typeof PlaceCallSchema>;

export const AnswerModeSchema = z.enum(['echo', 'ring', 'busy', 'manual', 'reject']);
export const StartListenerSchema = z.object({
  address: z.string().min(1).max(64).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(5060),
  transports: z.array(TransportSchema).min(1).default(['udp', 'tcp']),
  /** echo/ring/busy/reject answer automatically; manual raises an incoming call to accept/reject. */
  answer: AnswerModeSchema.default('echo'),
  rejectStatus: z.number().int().min(300).max(699).default(603),
  codecs: z.array(CodecSchema).min(1).default(['PCMU', 'PCMA', 'G722', 'opus', 'G729']),
  /** Route calls by the routing saved in the Routing view (routing.save) instead of `answer`. */
  useRouting: z.boolean().default(false),
});
export type StartListenerArgs = z.input<typeof StartListenerSchema>;

export const TraceQuerySchema = z.object({
  callId: z.string().max(256).optional(),
  method: z.string().max(32).optional(),
  /** Status class or code: "4xx", "486". */
  status: z.string().regex(/^([1-6]xx|[1-6]\d\d)$/).optional(),
  text: z.string().max(256).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100_000).default(1000),
});

export const TraceExportSchema = z.object({
  format: z.enum(['text', 'pcap']),
  /** Replace digest responses, passwords, tokens, numbers and addresses consistently. */
  redact: z.boolean().default(false),
  callId: z.string().max(256).optional(),
});

/** The Routing view: a routing file's text (YAML or JSON, docs/routing.md). */
export const RoutingTextSchema = z.object({ text: z.string().max(1_000_000) });
/** The tester box: a made-up INVITE tried against the rules; no call is placed. */
export const RoutingTestSchema = RoutingTextSchema.extend({
  to: z.string().min(1, 'enter the dialed number').max(256),
  from: z.string().max(256).optional(),
  headers: z.array(HeaderSchema).max(32).default([]),
  source: z.string().max(64).optional(),
  transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']).default('udp'),
  /** ISO 8601 time of the call (time: rules); default now. */
  at: z.string().max(64).optional(),
});

// ---------- snapshots and events ----------

export type CallState = 'calling' | 'proceeding' | 'ringing' | 'early' | 'connected' | 'terminated' | 'incoming';

export interface CallSnapshot {
  /** The call's handle in commands; the SIP Call-ID, except as noted at `sipCallId`. */
  callId: string;
  /**
   * The SIP Call-ID when it differs from `callId`: a call to our own listener has two legs with
   * one Call-ID, so the incoming leg's handle gets a "#inbound" suffix. Filter the trace by this.
   */
  sipCallId?: string;
  direction: 'outbound' | 'inbound';
  state: CallState;
  /** The URI we called, or the caller's From. */
  peer: string;
  transport: 'udp' | 'tcp' | 'tls';
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  onHold: boolean;
  finalStatus?: number;
  reason?: string;
  codec?: string;
  dtmfMethod: 'rfc2833' | 'info' | 'inband';
  /** Final report once the call ended. */
  report?: CallReport;
}

export interface DirectionStats {
  packets: number;
  lost: number;
  lostPercent: number;
  jitterMs: number;
  /** dBFS of the last second (RMS), null when the codec carries no decodable audio. */
  levelDb: number | null;
}

export interface StatsTick {
  callId: string;
  /** ms since the call was answered. */
  atMs: number;
  sent: DirectionStats;
  received: DirectionStats;
  mos: number | null;
  oneWayAudio?: { verdict: string; direction: string | null; evidence: string[] };
}

export interface TraceEntry {
  id: number;
  /** Wall clock, ms since epoch. */
  at: number;
  dir: 'in' | 'out';
  proto: 'udp' | 'tcp' | 'tls';
  local: string;
  remote: string;
  callId?: string;
  method?: string;
  status?: number;
  cseq?: string;
  /** "INVITE sip:…" or "180 Ringing". */
  firstLine: string;
  /** The message as text (bytes as latin1 when not UTF-8). */
  raw: string;
  /** Same bytes as an earlier entry in the same direction (a retransmission). */
  retransmission: boolean;
  error?: string;
}

/** An RTP stream shown inline on the ladder. */
export interface RtpStreamSummary {
  callId: string;
  dir: 'sent' | 'received';
  from: string;
  to: string;
  startAt: number;
  endAt?: number;
  packets: number;
  lost: number;
  jitterMs: number;
}

export interface ListenerState {
  running: boolean;
  address?: string;
  port?: number;
  transports: Array<'udp' | 'tcp' | 'tls'>;
  answer: z.infer<typeof AnswerModeSchema>;
  error?: string;
  bound?: string[];
  /** Started with useRouting: calls per rule of the saved routing so far. */
  routeTotals?: Record<string, number>;
}

export interface AppSnapshot {
  version: string;
  calls: CallSnapshot[];
  listener: ListenerState;
  traceCount: number;
}

// ---------- the command map ----------

export const commands = {
  'app.snapshot': { args: z.object({}).default({}), result: {} as AppSnapshot },
  'call.place': { args: PlaceCallSchema, result: {} as { callId: string } },
  'call.hangup': { args: z.object({ callId: CallIdSchema }), result: {} as { ok: true } },
  'call.hold': { args: z.object({ callId: CallIdSchema, on: z.boolean() }), result: {} as { ok: boolean } },
  'call.dtmf': { args: z.object({ callId: CallIdSchema, digits: DigitsSchema }), result: {} as { ok: true } },
  'call.accept': { args: z.object({ callId: CallIdSchema }), result: {} as { ok: boolean } },
  'call.reject': { args: z.object({ callId: CallIdSchema, status: z.number().int().min(300).max(699).default(486) }), result: {} as { ok: boolean } },
  'call.report': { args: z.object({ callId: CallIdSchema }), result: {} as { report: CallReport | null; media: MediaReport | null } },
  'listener.start': { args: StartListenerSchema, result: {} as ListenerState },
  'listener.stop': { args: z.object({}).default({}), result: {} as ListenerState },
  'trace.query': { args: TraceQuerySchema, result: {} as { total: number; entries: TraceEntry[]; streams: RtpStreamSummary[] } },
  'trace.export': { args: TraceExportSchema, result: {} as { filename: string; mime: string; base64: string } },
  /** 20 ms of 16-bit mono PCM from the microphone for a call whose source is 'microphone'. */
  'audio.frame': { args: z.object({ callId: CallIdSchema, sampleRate: z.number().int().min(8000).max(48000), pcm: z.string().max(20_000) }), result: {} as { ok: true } },
  /**
   * Receive (on: true) or stop receiving the `audio.frame` events of a call on this connection.
   * Off by default: received audio is only sent to a renderer that asked for it.
   */
  'audio.listen': { args: z.object({ callId: CallIdSchema, on: z.boolean() }), result: {} as { ok: true } },
  /** Act as the provider: a signed (or tampered) callback to a URL, its response and parsed call instructions (issue 13). */
  'webhook.send': { args: WebhookSendSchema, result: {} as WebhookSendReport },
  /** Validate a captured provider request: valid or not, and why (issue 13). */
  'webhook.verify': { args: WebhookVerifySchema, result: {} as WebhookVerdict },
  // Trunk profiles (issue 9 B.6): src/shared/api/profile-commands.ts.
  ...profileCommands,
  /** Check a routing file's text: its rules and routes, or every problem with line and field. */
  'routing.check': { args: RoutingTextSchema, result: {} as RoutingSummary },
  /** Which rule a made-up call would hit, and why each earlier rule did not. */
  'routing.test': { args: RoutingTestSchema, result: {} as RouteTestDto },
  /** The routing text saved in the settings file (null: nothing saved yet). */
  'routing.load': { args: z.object({}).default({}), result: {} as { saved: { text: string; savedAt: string } | null } },
  /** Save the text after checking it; refused with every problem, the saved version kept. */
  'routing.save': {
    args: RoutingTextSchema,
    /** appliedToListener: the running listener (useRouting) routes its next call by the saved text. */
    result: {} as { ok: boolean; savedAt?: string; problems: RoutingProblemDto[]; appliedToListener?: boolean },
  },
  // Open a customer's capture: its calls, ladders, RTP streams, diagnoses (issue 11): capture-contract.ts.
  ...captureCommands,
  // Save a support bundle of a finished call or an opened capture (issue 11 item 5): bundle-contract.ts.
  ...bundleCommands,
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<K extends CommandName> = z.input<(typeof commands)[K]['args']>;
export type CommandResult<K extends CommandName> = (typeof commands)[K]['result'];

/** Validate a command's arguments; throws a ContractError naming the field. */
export function parseArgs<K extends CommandName>(name: K, args: unknown): z.output<(typeof commands)[K]['args']> {
  const spec = commands[name];
  if (!spec) throw new ContractError(`unknown command "${String(name)}"`);
  const r = spec.args.safeParse(args ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'arguments';
    throw new ContractError(`${String(name)}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data as z.output<(typeof commands)[K]['args']>;
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

export class ContractError extends Error {
  override name = 'ContractError';
}

// ---------- the event map ----------

export interface EventMap {
  'call.state': CallSnapshot;
  'call.stats': StatsTick;
  /** Trace entries in batches (a burst of messages arrives as one event). */
  'trace.entries': TraceEntry[];
  'trace.streams': RtpStreamSummary[];
  'listener.state': ListenerState;
  /** 20 ms of received audio for the speaker (16-bit mono PCM, base64). */
  'audio.frame': { callId: string; sampleRate: number; pcm: string };
  'engine.error': { message: string; command?: string };
  /** Test Connection: one step finished (profiles.test). */
  'profiles.testStep': { profile: string; step: TestStep };
}
export type EventName = keyof EventMap;

/** What every shell exposes to the renderer (window.trunkscope in Electron, a WS client on the web). */
export interface TrunkscopeApi {
  invoke<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The wire format of the web shell's WebSocket (and the Electron IPC envelope). */
export type ClientMessage = { id: number; command: CommandName; args: unknown };
export type ServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { event: EventName; payload: unknown };
