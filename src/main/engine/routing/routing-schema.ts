/**
 * The routing file's shape (YAML or JSON): named agents, inbound rules tried in order, outbound
 * routes. Keys are kebab-case as written in the file. Checks that need the whole file (agent
 * names, loops, duplicate names, files that must exist) are in routing-load.ts.
 */
import { z } from 'zod';

const Seconds = z.number().positive().max(86_400);
const Status = z.number().int().min(300).max(699);

const FailoverEvent = z.string().regex(/^(busy|unavailable|rejected|error|no-answer\s+\d+(\.\d+)?\s*s?)$/, {
  message: 'expected busy, unavailable, rejected, error or "no-answer N s"',
});

/** `on:` entries: which results of the agent move the call to `then` (an agent or shorthand). */
export const FailoverSchema = z
  .object({
    when: z.union([FailoverEvent, z.array(FailoverEvent).min(1)]),
    then: z.string().min(1),
  })
  .strict();

const common = {
  'max-calls': z.number().int().min(1).max(100_000).optional(),
  on: z.array(FailoverSchema).optional(),
};

export const AgentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('echo'), ...common }).strict(),
  z.object({ type: z.literal('tone'), hz: z.number().min(20).max(20_000), ...common }).strict(),
  z.object({ type: z.literal('play'), file: z.string().min(1), ...common }).strict(),
  z
    .object({
      type: z.literal('ivr'),
      prompt: z.string().min(1),
      digits: z.record(z.string().regex(/^[0-9*#A-D]{1,8}$/, { message: 'digits are 0-9 * # A-D, up to 8' }), z.string().min(1)),
      timeout: Seconds.default(10),
      'no-input': z.string().min(1).optional(),
      ...common,
    })
    .strict(),
  z.object({ type: z.literal('record'), file: z.string().min(1), ...common }).strict(),
  z.object({ type: z.literal('ring'), ...common }).strict(),
  z.object({ type: z.literal('early-media'), file: z.string().min(1), ...common }).strict(),
  z.object({ type: z.literal('busy'), ...common }).strict(),
  z.object({ type: z.literal('reject'), code: Status, reason: z.string().max(100).optional(), ...common }).strict(),
  z.object({ type: z.literal('unavailable'), ...common }).strict(),
  z.object({ type: z.literal('answer-after'), seconds: Seconds, ...common }).strict(),
  z.object({ type: z.literal('hangup-after'), seconds: Seconds, ...common }).strict(),
  z
    .object({ type: z.literal('forward'), uri: z.string().regex(/^(sips?|tel):/i).optional(), profile: z.string().min(1).optional(), ...common })
    .strict(),
]);
export type AgentInput = z.output<typeof AgentSchema>;
export type AgentType = AgentInput['type'];

const PatternObject = z.object({ pattern: z.string().min(1), e164: z.boolean().optional() }).strict();

const DidSchema = z.union([
  z.string().min(1),
  PatternObject.extend({ field: z.enum(['request-uri', 'to']).optional() }).strict(),
]);
const FromSchema = z.union([
  z.string().min(1),
  PatternObject.extend({ field: z.enum(['auto', 'from', 'pai']).optional() }).strict(),
]);
const HeaderSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9!%*_+`'~.-]+$/, { message: 'not a header name (RFC 3261 §25.1 token)' }),
    value: z.string().min(1).optional(),
  })
  .strict();
const Transport = z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']);
const TimeSchema = z
  .object({
    zone: z.string().min(1),
    days: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    hours: z
      .string()
      .regex(/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/, { message: 'expected HH:MM-HH:MM' })
      .optional(),
  })
  .strict();

export const RuleSchema = z
  .object({
    name: z.string().min(1).max(100),
    default: z.boolean().optional(),
    did: DidSchema.optional(),
    header: z.union([HeaderSchema, z.array(HeaderSchema).min(1)]).optional(),
    from: FromSchema.optional(),
    source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    transport: z.union([Transport, z.array(Transport).min(1)]).optional(),
    time: z.union([TimeSchema, z.array(TimeSchema).min(1)]).optional(),
    agent: z.string().min(1),
  })
  .strict();
export type RuleInput = z.output<typeof RuleSchema>;

export const MOVE_ON = ['timeout', '408', '5xx', '403', 'connect-failure', 'dns-failure'] as const;
export type MoveOn = (typeof MOVE_ON)[number];
/** Twilio's defaults: every failure but 403 moves on. */
export const DEFAULT_MOVE_ON: MoveOn[] = ['timeout', '408', '5xx', 'connect-failure', 'dns-failure'];

export const OutboundTargetSchema = z
  .object({
    uri: z.string().regex(/^(sips?|tel):/i, { message: 'expected a sip:, sips: or tel: URI' }).optional(),
    profile: z.string().min(1).optional(),
    // Twilio origination URIs: priority and weight 0..65535 (lower priority first).
    priority: z.number().int().min(0).max(65_535).default(10),
    weight: z.number().int().min(0).max(65_535).default(10),
  })
  .strict();

export const OutboundRouteSchema = z
  .object({
    name: z.string().min(1).max(100),
    numbers: z.array(z.string().min(1)).optional(),
    // YAML reads `[5xx, 403]` with 403 as a number: both spellings are accepted.
    'move-on': z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(MOVE_ON))).optional(),
    targets: z.array(OutboundTargetSchema).min(1),
  })
  .strict();
export type OutboundRouteInput = z.output<typeof OutboundRouteSchema>;

export const RoutingFileSchema = z
  .object({
    version: z.literal(1).optional(),
    agents: z.record(z.string().min(1).max(100), AgentSchema).optional(),
    rules: z.array(RuleSchema).optional(),
    outbound: z.array(OutboundRouteSchema).optional(),
  })
  .strict();
export type RoutingFileInput = z.output<typeof RoutingFileSchema>;
