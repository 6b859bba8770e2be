/**
 * The built-in agent's flags, shared by `listen` and `register --answer` (a softphone registers,
 * then answers what the registrar sends to its contact): answer mode, delays, media.
 */
import type { Command } from 'commander';
import { Agent, parseAnswerMode, SignalingOnlyMedia, type AgentOptions, type AnswerMode, type SipStack } from '../../engine/index.ts';
import { intOption, numberOption, UsageError } from './common.ts';
import { mediaPrefsFrom, openMedia, type MediaOpts } from './media-options.ts';

export interface AgentOpts extends MediaOpts {
  media: boolean;
  answer?: string;
  answerDelay: string;
  maxCall?: string;
  keepCalls: string;
  expectSilence?: boolean;
}

/** `register` has no answer mode unless asked; `listen` defaults to echo. */
export function addAgentOptions(cmd: Command, answerDefault?: string): Command {
  return cmd
    .option('--answer <mode>', `echo | reject:CODE | ring | busy${answerDefault ? '' : ' (answer incoming calls on the registered contact)'}`, answerDefault)
    .option('--answer-delay <ms>', 'ms between 180 Ringing and 200 OK (echo mode)', '0')
    .option('--max-call <s>', 'hang up answered calls after S seconds (default: wait for BYE)')
    .option('--no-media', 'signaling only: answer with SDP but open no RTP (load tests)')
    .option('--keep-calls <n>', 'full call reports kept: the first N and the last N calls (all counted in callSummary; 0: keep all)', '1000')
    .option('--expect-silence', 'silence from callers is expected: no silent-audio cause (docs/diagnosis.md)');
}

export interface AgentPlan {
  answer: AnswerMode;
  /** `more`: listen's --allow-from / --auth-user guard (inbound-options.ts) and --routes router. */
  start(stack: SipStack, sessionTimer: { sessionExpires: number; minSE: number }, more?: Pick<AgentOptions, 'guard' | 'routes'>): Agent;
}

/** Check every agent flag (before any socket opens) and return how to start the agent. */
export async function agentPlan(o: AgentOpts & { bind?: string }, source: 'echo' | 'silence' = 'echo'): Promise<AgentPlan> {
  const answer = parseAnswerMode(o.answer ?? 'echo');
  if (!answer) throw new UsageError(`--answer: expected echo, reject:CODE (300-699), ring or busy; got "${o.answer}"`);
  const answerDelayMs = intOption('answer-delay', o.answerDelay, 0, 600_000);
  const maxCallSec = numberOption('max-call', o.maxCall, 0);
  const keepCalls = intOption('keep-calls', o.keepCalls, 0, 10_000_000);
  const prefs = mediaPrefsFrom(o, { codecs: ['PCMU', 'PCMA', 'G722', 'opus', 'G729'], source: { kind: source }, bindAddress: o.bind ?? '0.0.0.0' });
  // A --play file is checked now, not when the first call arrives.
  if (prefs.source.kind === 'wav') await (await openMedia({ ...prefs, sdpAddress: '127.0.0.1' })).close();
  let callNo = 0;
  return {
    answer,
    start: (stack, sessionTimer, more = {}) =>
      new Agent(stack, {
        ...more,
        answer,
        answerDelayMs,
        sessionTimer,
        maxCallSec,
        keepCalls,
        expectSilence: o.expectSilence,
        mediaFor: (addr) =>
          o.media
            ? openMedia({ ...prefs, sdpAddress: prefs.sdpAddress ?? addr, record: recordPath(prefs.record, ++callNo) })
            : new SignalingOnlyMedia(prefs.sdpAddress ?? addr, prefs.codecs),
      }),
  };
}

/** One recording per call: `%n` in the path is the call number, else `-N` goes before `.wav`. */
function recordPath(template: string | undefined, n: number): string | undefined {
  if (!template) return undefined;
  if (template.includes('%n')) return template.replaceAll('%n', String(n));
  return n === 1 ? template : template.replace(/(\.wav)?$/i, `-${n}$1`);
}
