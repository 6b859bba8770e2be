/**
 * One named agent in a form: its type and that type's settings, max-calls, and the failover
 * chain (`on:` steps: which results move the call on, and to which agent). The engine checks
 * every field (routing.check); its problem for a field shows beside that field.
 */
import { useState } from 'react';
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';
import { Field } from '../../components/field.tsx';
import { AGENT_LIST_ID } from './rule-editor.tsx';
import { asList, messageAt, moveItem, numberOrText, text, withKey, type Entry } from './routing-doc.ts';

type Param = { key: string; label: string; number?: boolean; placeholder?: string };

/** What each agent type is set with (docs/routing.md); the engine says what is wrong with it. */
export const AGENT_PARAMS: Record<string, Param[]> = {
  echo: [],
  tone: [{ key: 'hz', label: 'Frequency (Hz)', number: true, placeholder: '440' }],
  play: [{ key: 'file', label: 'WAV file (looped)' }],
  ivr: [
    { key: 'prompt', label: 'Prompt WAV file' },
    { key: 'timeout', label: 'Digit timeout (s)', number: true, placeholder: '10' },
    { key: 'no-input', label: 'Agent on no input' },
  ],
  record: [{ key: 'file', label: 'Record to WAV file' }],
  ring: [],
  'early-media': [{ key: 'file', label: 'WAV file (183 with audio)' }],
  busy: [],
  reject: [
    { key: 'code', label: 'Status code', number: true, placeholder: '503' },
    { key: 'reason', label: 'Reason phrase' },
  ],
  unavailable: [],
  'answer-after': [{ key: 'seconds', label: 'Answer after (s)', number: true }],
  'hangup-after': [{ key: 'seconds', label: 'Hang up after (s)', number: true }],
  forward: [
    { key: 'uri', label: 'Forward to URI', placeholder: 'sip:agent@10.0.0.5' },
    { key: 'profile', label: 'or through profile' },
  ],
};

const EVENTS = ['busy', 'unavailable', 'rejected', 'error'] as const;

interface Props {
  name: string;
  agent: Entry;
  problems: readonly RoutingProblemDto[];
  onChange(agent: Entry): void;
  /** The other agents' names: a name cannot be taken twice. */
  taken: string[];
  onRename(name: string): void;
}

/** A failover step's `when` as checkboxes and the no-answer seconds. */
function readWhen(v: unknown): { events: string[]; noAnswer: string } {
  const list = asList(v as string | string[] | undefined).map(String);
  const na = list.map((w) => /^no-answer\s+(\S+?)\s*s?$/.exec(w)).find(Boolean);
  return { events: list.filter((w) => !w.startsWith('no-answer')), noAnswer: na?.[1] ?? '' };
}

function writeWhen(events: string[], noAnswer: string): string | string[] {
  const list = [...events, ...(noAnswer.trim() ? [`no-answer ${noAnswer.trim()} s`] : [])];
  return list.length === 1 ? list[0]! : list;
}

function digitsText(v: unknown): string {
  if (typeof v !== 'object' || v === null) return '';
  return Object.entries(v as Record<string, unknown>)
    .map(([d, a]) => `${d} = ${text(a)}`)
    .join('\n');
}

function parseDigits(t: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of t.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function AgentEditor({ name, agent, problems, taken, onChange, onRename }: Props) {
  const [draftName, setDraftName] = useState(name);
  const nameError = draftName.trim() === '' ? 'give the agent a name' : draftName !== name && taken.includes(draftName) ? `another agent is named "${draftName}"` : undefined;
  const path = `agents.${name}`;
  const type = text(agent['type']);
  const params = AGENT_PARAMS[type] ?? [];
  const set = (k: string, v: unknown) => onChange(withKey(agent, k, v));
  const steps = asList(agent['on'] as Entry[] | undefined);
  const setSteps = (list: Entry[]) => set('on', list.length > 0 ? list : undefined);
  const changeType = (t: string) => {
    // Keep what every agent has (max-calls, failover); drop the old type's settings.
    const keep: Entry = { type: t };
    for (const k of ['max-calls', 'on']) if (agent[k] !== undefined) keep[k] = agent[k];
    if (t === 'ivr') keep['digits'] = {};
    onChange(keep);
  };
  const own = problems.filter((p) => p.field === path);
  return (
    <fieldset className="agent-editor" data-testid="agent-editor" data-agent={name}>
      <legend>Agent {name}</legend>
      {own.length > 0 && (
        <p className="bad" role="alert" data-testid="agent-error">
          {own.map((p) => p.message).join('; ')}
        </p>
      )}
      <Field label="Name (rules and failover steps use it)" error={nameError} errorTestId="agent-error-name">
        <input
          data-testid="agent-name"
          value={draftName}
          onChange={(e) => {
            const to = e.target.value;
            setDraftName(to);
            // A name in use or an empty one stays in the input only: no agent is lost by a rename.
            if (to.trim() !== '' && !taken.includes(to)) onRename(to);
          }}
        />
      </Field>
      <Field label="Type" error={messageAt(problems, `${path}.type`)} errorTestId="agent-error-type">
        <select data-testid="agent-type" value={type} onChange={(e) => changeType(e.target.value)}>
          {Object.keys(AGENT_PARAMS).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      {params.map((p) => (
        <Field key={p.key} label={p.label} error={messageAt(problems, `${path}.${p.key}`)} errorTestId={`agent-error-${p.key}`}>
          <input
            data-testid={`agent-${p.key}`}
            inputMode={p.number ? 'decimal' : undefined}
            placeholder={p.placeholder}
            value={text(agent[p.key])}
            onChange={(e) => set(p.key, p.number ? numberOrText(e.target.value) : e.target.value)}
          />
        </Field>
      ))}
      {type === 'ivr' && (
        <Field label="Digits (one per line: 1 = sales)" error={messageAt(problems, `${path}.digits`)} errorTestId="agent-error-digits">
          <textarea data-testid="agent-digits" rows={3} value={digitsText(agent['digits'])} onChange={(e) => set('digits', parseDigits(e.target.value))} />
        </Field>
      )}
      <Field label="Max calls (over it the agent is busy)" error={messageAt(problems, `${path}.max-calls`)} errorTestId="agent-error-max-calls">
        <input data-testid="agent-max-calls" inputMode="numeric" value={text(agent['max-calls'])} onChange={(e) => set('max-calls', numberOrText(e.target.value))} />
      </Field>
      <Field group label="Failover chain (tried in order)" error={messageAt(problems, `${path}.on`)} errorTestId="agent-error-on">
        <ol className="failover-steps">
          {steps.map((s, i) => {
            const w = readWhen(s['when']);
            const put = (next: Entry) => setSteps(steps.map((x, j) => (j === i ? next : x)));
            const when = (events: string[], noAnswer: string) => put(withKey(s, 'when', writeWhen(events, noAnswer)));
            return (
              <li key={i} data-testid="failover-step">
                <span className="row">
                  {EVENTS.map((ev) => (
                    <label key={ev} className="inline">
                      <input
                        type="checkbox"
                        data-testid={`failover-${ev}-${i}`}
                        checked={w.events.includes(ev)}
                        onChange={(e) => when(e.target.checked ? [...w.events, ev] : w.events.filter((x) => x !== ev), w.noAnswer)}
                      />{' '}
                      {ev}
                    </label>
                  ))}
                  <label className="inline">
                    no answer in{' '}
                    <input className="narrow" data-testid={`failover-no-answer-${i}`} inputMode="decimal" value={w.noAnswer} onChange={(e) => when(w.events, e.target.value)} /> s
                  </label>
                </span>
                <span className="row">
                  <label className="inline">
                    then{' '}
                    <input data-testid={`failover-then-${i}`} list={AGENT_LIST_ID} value={text(s['then'])} onChange={(e) => put(withKey(s, 'then', e.target.value))} />
                  </label>
                  <button type="button" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => setSteps(moveItem(steps, i, i - 1))}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move step ${i + 1} down`} disabled={i === steps.length - 1} onClick={() => setSteps(moveItem(steps, i, i + 1))}>
                    ↓
                  </button>
                  <button type="button" aria-label={`Remove step ${i + 1}`} onClick={() => setSteps(steps.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        <button type="button" data-testid="failover-add" onClick={() => setSteps([...steps, { when: 'busy', then: 'reject 503 All agents busy' }])}>
          Add failover step
        </button>
      </Field>
    </fieldset>
  );
}
