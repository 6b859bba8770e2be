/**
 * One inbound rule in a form: its name, the conditions (did, header, from, source, transport,
 * time) and the agent it sends the call to. Each input shows the engine's problem for its field
 * (routing.check runs the routing file's own schema); a rule-wide problem shows above.
 */
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';
import { Field } from '../../components/field.tsx';
import { asList, messageAt, oneOrMany, text, withKey, type Entry } from './routing-doc.ts';

const TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;
/** Suggestions for agent inputs (rules and failover steps): named agents, then shorthands. */
export const SHORTHANDS = ['echo', 'ring', 'busy', 'unavailable', 'tone 440', 'reject 503 Overloaded', 'answer-after 5', 'forward sip:agent@127.0.0.1:5070'];
export const AGENT_LIST_ID = 'routing-agent-names';

interface Props {
  rule: Entry;
  index: number;
  problems: readonly RoutingProblemDto[];
  onChange(rule: Entry): void;
}

type PatternEntry = { pattern?: unknown; e164?: unknown; field?: unknown } & Entry;

function readPattern(v: unknown): PatternEntry {
  if (typeof v === 'string') return { pattern: v };
  return typeof v === 'object' && v !== null ? (v as PatternEntry) : {};
}

/** A string when only the pattern is set, an object when e164 or field say more. */
function writePattern(p: PatternEntry): unknown {
  const pattern = text(p.pattern);
  const rest = Object.fromEntries(Object.entries(p).filter(([k, v]) => k !== 'pattern' && v !== undefined && v !== false && v !== ''));
  if (pattern === '' && Object.keys(rest).length === 0) return undefined;
  return Object.keys(rest).length === 0 ? pattern : { pattern, ...rest };
}

function PatternFields(o: { label: string; which: 'did' | 'from'; fields: string[]; rule: Entry; path: string; problems: readonly RoutingProblemDto[]; set(v: unknown): void }) {
  const p = readPattern(o.rule[o.which]);
  const put = (k: string, v: unknown) => o.set(writePattern({ ...p, [k]: v }));
  return (
    <Field group label={o.label} error={messageAt(o.problems, `${o.path}.${o.which}`)} errorTestId={`rule-error-${o.which}`}>
      <span className="row">
        <input data-testid={`rule-${o.which}`} aria-label={`${o.label} pattern`} value={text(p.pattern)} placeholder="+1415* or 1234 or /^\+44/" onChange={(e) => put('pattern', e.target.value)} />
        <label className="inline">
          <input type="checkbox" data-testid={`rule-${o.which}-e164`} checked={p.e164 === true} onChange={(e) => put('e164', e.target.checked || undefined)} /> E.164
        </label>
        <select data-testid={`rule-${o.which}-field`} aria-label={`${o.label}: read from`} value={text(p.field)} onChange={(e) => put('field', e.target.value || undefined)}>
          {o.fields.map((f) => (
            <option key={f} value={f === o.fields[0] ? '' : f}>
              {f}
            </option>
          ))}
        </select>
      </span>
    </Field>
  );
}

export function RuleEditor({ rule, index, problems, onChange }: Props) {
  const path = `rules[${index}]`;
  const set = (key: string, v: unknown) => onChange(withKey(rule, key, v));
  const headers = asList(rule['header'] as Entry | Entry[] | undefined);
  const setHeaders = (list: Entry[]) => set('header', oneOrMany(list));
  const times = asList(rule['time'] as Entry | Entry[] | undefined);
  const setTimes = (list: Entry[]) => set('time', oneOrMany(list));
  const transports = asList(rule['transport'] as string | string[] | undefined);
  const own = problems.filter((p) => p.field === path);
  return (
    <fieldset className="rule-editor" data-testid="rule-editor" data-index={index}>
      <legend>Rule {index + 1}</legend>
      {own.length > 0 && (
        <p className="bad" role="alert" data-testid="rule-error">
          {own.map((p) => p.message).join('; ')}
        </p>
      )}
      <Field label="Name" error={messageAt(problems, `${path}.name`)} errorTestId="rule-error-name">
        <input data-testid="rule-name" value={text(rule['name'])} onChange={(e) => set('name', e.target.value)} />
      </Field>
      <label className="inline">
        <input type="checkbox" data-testid="rule-default" checked={rule['default'] === true} onChange={(e) => set('default', e.target.checked || undefined)} /> Default rule
        (matches every call; must be last)
      </label>
      {messageAt(problems, `${path}.default`) && (
        <span className="field-error" role="alert" data-testid="rule-error-default">
          {messageAt(problems, `${path}.default`)}
        </span>
      )}
      <PatternFields label="Dialed number (DID)" which="did" fields={['request-uri', 'to']} rule={rule} path={path} problems={problems} set={(v) => set('did', v)} />
      <Field group label="Headers (name and value pattern; all must match)" error={messageAt(problems, `${path}.header`)} errorTestId="rule-error-header">
        <span className="stack">
          {headers.map((h, i) => (
            <span className="row" key={i}>
              <input data-testid={`rule-header-name-${i}`} aria-label={`Header ${i + 1} name`} placeholder="X-Agent-Id" value={text(h['name'])} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? withKey(x, 'name', e.target.value) : x)))} />
              <input data-testid={`rule-header-value-${i}`} aria-label={`Header ${i + 1} value`} placeholder="sales (empty: present)" value={text(h['value'])} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? withKey(x, 'value', e.target.value) : x)))} />
              <button type="button" data-testid={`rule-header-remove-${i}`} aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
                ✕
              </button>
            </span>
          ))}
          <button type="button" data-testid="rule-header-add" onClick={() => setHeaders([...headers, { name: '' }])}>
            Add header condition
          </button>
        </span>
      </Field>
      <PatternFields label="Caller (From / P-Asserted-Identity)" which="from" fields={['auto', 'from', 'pai']} rule={rule} path={path} problems={problems} set={(v) => set('from', v)} />
      <Field label="Source (IP, CIDR or profile:NAME; comma-separated)" error={messageAt(problems, `${path}.source`)} errorTestId="rule-error-source">
        <input
          data-testid="rule-source"
          value={asList(rule['source'] as string | string[] | undefined).join(', ')}
          onChange={(e) => set('source', oneOrMany(e.target.value.split(',').map((s) => s.trim()).filter(Boolean)))}
        />
      </Field>
      <Field group label="Transport" error={messageAt(problems, `${path}.transport`)} errorTestId="rule-error-transport">
        <span className="row">
          {TRANSPORTS.map((t) => (
            <label key={t} className="inline">
              <input
                type="checkbox"
                data-testid={`rule-transport-${t}`}
                checked={transports.includes(t)}
                onChange={(e) => set('transport', oneOrMany(e.target.checked ? [...transports, t] : transports.filter((x) => x !== t)))}
              />{' '}
              {t}
            </label>
          ))}
        </span>
      </Field>
      <Field group label="Time (zone, days, hours)" error={messageAt(problems, `${path}.time`)} errorTestId="rule-error-time">
        <span className="stack">
          {times.map((w, i) => {
            const put = (k: string, v: string) => setTimes(times.map((x, j) => (j === i ? withKey(x, k, v) : x)));
            return (
              <span className="row" key={i}>
                <input data-testid={`rule-time-zone-${i}`} aria-label="Time zone" placeholder="America/New_York" value={text(w['zone'])} onChange={(e) => put('zone', e.target.value)} />
                <input data-testid={`rule-time-days-${i}`} aria-label="Days" placeholder="mon-fri" value={asList(w['days'] as string | string[] | undefined).join(',')} onChange={(e) => put('days', e.target.value)} />
                <input data-testid={`rule-time-hours-${i}`} aria-label="Hours" placeholder="09:00-17:00" value={text(w['hours'])} onChange={(e) => put('hours', e.target.value)} />
                <button type="button" aria-label={`Remove time window ${i + 1}`} onClick={() => setTimes(times.filter((_, j) => j !== i))}>
                  ✕
                </button>
              </span>
            );
          })}
          <button type="button" data-testid="rule-time-add" onClick={() => setTimes([...times, { zone: 'UTC', days: 'mon-fri', hours: '09:00-17:00' }])}>
            Add time window
          </button>
        </span>
      </Field>
      <Field label="Agent (a named agent below, or busy, tone 440, reject 503 …)" error={messageAt(problems, `${path}.agent`)} errorTestId="rule-error-agent">
        <input data-testid="rule-agent" list={AGENT_LIST_ID} value={text(rule['agent'])} onChange={(e) => set('agent', e.target.value)} />
      </Field>
    </fieldset>
  );
}
