/** An agent in one line, with its failover chain: `sales (answer-after 20 s, max-calls 1; busy → support)`. */
import type { AgentDef, FailoverEvent } from './routing-model.ts';

function eventText(e: FailoverEvent): string {
  return e.kind === 'no-answer' ? `no-answer ${e.seconds} s` : e.kind;
}

export function actionText(a: AgentDef['action']): string {
  switch (a.type) {
    case 'tone':
      return `tone ${a.hz} Hz`;
    case 'play':
    case 'record':
    case 'early-media':
      return `${a.type} ${a.file}`;
    case 'reject':
      return `reject ${a.code}${a.reason ? ` ${a.reason}` : ''}`;
    case 'answer-after':
    case 'hangup-after':
      return `${a.type} ${a.seconds} s`;
    case 'forward':
      return `forward ${a.uri ?? `profile:${a.profile}`}`;
    case 'ivr':
      return `ivr ${a.prompt} (${Object.entries(a.digits).map(([d, t]) => `${d} → ${t}`).join(', ')})`;
    default:
      return a.type;
  }
}

export function describeAgent(a: AgentDef): string {
  const what = actionText(a.action);
  const extra = [what === a.name ? '' : what, a.maxCalls ? `max-calls ${a.maxCalls}` : ''].filter(Boolean).join(', ');
  const chain = a.on.map((f) => `${f.when.map(eventText).join('/')} → ${f.then}`).join('; ');
  const inner = [extra, chain].filter(Boolean).join('; ');
  return inner ? `${a.name} (${inner})` : a.name;
}
