/**
 * Agents as the routing file names them: the `agents:` map entries, and the one-line shorthand a
 * rule or a failover step may use instead of a name (`tone 440`, `reject 503 Overloaded`,
 * `play prompts/hello.wav`, `answer-after 5`, `forward sip:bob@10.0.0.5`, `forward profile:twilio`).
 */
import type { AgentAction, AgentDef, FailoverEvent } from './routing-model.ts';
import type { AgentInput } from './routing-schema.ts';

export const AGENT_TYPES = [
  'echo', 'tone', 'play', 'ivr', 'record', 'ring', 'early-media', 'busy', 'reject', 'unavailable', 'answer-after', 'hangup-after', 'forward',
] as const;

/** The action a shorthand names, or an error text; undefined when it is no shorthand at all. */
export function parseShorthand(text: string): AgentAction | string | undefined {
  const [word, ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  const secs = (): number | string => {
    const m = /^(\d+(?:\.\d+)?)\s*s?$/.exec(arg);
    return m && Number(m[1]) > 0 ? Number(m[1]) : `"${word}" needs a number of seconds, e.g. "${word} 5"`;
  };
  switch (word) {
    case 'echo':
    case 'ring':
    case 'busy':
    case 'unavailable':
      return arg ? `"${word}" takes no argument` : { type: word };
    case 'tone': {
      const hz = Number(arg);
      return arg && hz >= 20 && hz <= 20_000 ? { type: 'tone', hz } : '"tone" needs a frequency 20-20000 Hz, e.g. "tone 440"';
    }
    case 'play':
    case 'record':
    case 'early-media':
      return arg ? { type: word, file: arg } : `"${word}" needs a file, e.g. "${word} prompt.wav"`;
    case 'reject': {
      const m = /^(\d{3})(?:\s+(.+))?$/.exec(arg);
      const code = Number(m?.[1]);
      if (!m || code < 300 || code > 699) return '"reject" needs a status 300-699, e.g. "reject 503 Overloaded"';
      return m[2] ? { type: 'reject', code, reason: m[2] } : { type: 'reject', code };
    }
    case 'answer-after':
    case 'hangup-after': {
      const s = secs();
      return typeof s === 'string' ? s : { type: word, seconds: s };
    }
    case 'forward': {
      if (/^(sips?|tel):\S+$/i.test(arg)) return { type: 'forward', uri: arg };
      const p = /^profile:(\S+)$/.exec(arg);
      if (p) return { type: 'forward', profile: p[1]! };
      return '"forward" needs a sip: URI or profile:NAME';
    }
    case 'ivr':
      return '"ivr" needs a prompt and a digit map: define it under agents:';
    default:
      return undefined;
  }
}

export function parseFailoverEvent(text: string): FailoverEvent {
  const m = /^no-answer\s+(\d+(?:\.\d+)?)/.exec(text);
  if (m) return { kind: 'no-answer', seconds: Number(m[1]) };
  return { kind: text as 'busy' | 'unavailable' | 'rejected' | 'error' };
}

/** An `agents:` entry as the engine keeps it. */
export function agentFromInput(name: string, a: AgentInput): AgentDef {
  let action: AgentAction;
  switch (a.type) {
    case 'ivr':
      action = { type: 'ivr', prompt: a.prompt, digits: a.digits, timeout: a.timeout, ...(a['no-input'] ? { noInput: a['no-input'] } : {}) };
      break;
    case 'tone':
      action = { type: 'tone', hz: a.hz };
      break;
    case 'play':
    case 'record':
    case 'early-media':
      action = { type: a.type, file: a.file };
      break;
    case 'reject':
      action = { type: 'reject', code: a.code, ...(a.reason ? { reason: a.reason } : {}) };
      break;
    case 'answer-after':
    case 'hangup-after':
      action = { type: a.type, seconds: a.seconds };
      break;
    case 'forward':
      action = { type: 'forward', ...(a.uri ? { uri: a.uri } : {}), ...(a.profile ? { profile: a.profile } : {}) };
      break;
    default:
      action = { type: a.type };
  }
  return {
    name,
    action,
    ...(a['max-calls'] ? { maxCalls: a['max-calls'] } : {}),
    on: (a.on ?? []).map((f) => ({ when: [f.when].flat().map(parseFailoverEvent), then: f.then })),
  };
}

/** Files an agent reads (checked at load) and the agents it can hand a call to. */
export function agentFiles(a: AgentAction): Array<{ key: string; file: string }> {
  if (a.type === 'play' || a.type === 'early-media') return [{ key: 'file', file: a.file }];
  if (a.type === 'ivr') return [{ key: 'prompt', file: a.prompt }];
  return [];
}
