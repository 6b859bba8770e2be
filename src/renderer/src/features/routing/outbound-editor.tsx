/**
 * Outbound routes as forms: each route's name, the numbers it takes (prefixes, least-cost style),
 * which failures move on to the next target, and its targets (a URI or a trunk profile) with
 * Twilio's priority (lowest first) and weight (share within a priority). The engine checks it.
 */
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';
import { Field } from '../../components/field.tsx';
import { asList, messageAt, numberOrText, text, withKey, type Entry } from './routing-doc.ts';

/** The failures `move-on:` names (docs/routing.md); unset means every one but 403. */
const MOVE_ON = ['timeout', '408', '5xx', '403', 'connect-failure', 'dns-failure'];
const DEFAULT_MOVE_ON = MOVE_ON.filter((m) => m !== '403');

interface Props {
  routes: Entry[];
  problems: readonly RoutingProblemDto[];
  onChange(routes: Entry[]): void;
}

function RouteForm({ route, index, problems, set }: { route: Entry; index: number; problems: readonly RoutingProblemDto[]; set(r: Entry): void }) {
  const path = `outbound[${index}]`;
  const targets = asList(route['targets'] as Entry[] | undefined);
  const setTargets = (list: Entry[]) => set({ ...route, targets: list });
  const moveOn = route['move-on'] === undefined ? DEFAULT_MOVE_ON : asList(route['move-on'] as unknown[]).map(String);
  const own = problems.filter((p) => p.field === path);
  return (
    <fieldset className="agent-editor" data-testid="route-editor" data-route={text(route['name'])}>
      <legend>Route {text(route['name'])}</legend>
      {own.length > 0 && (
        <p className="bad" role="alert">
          {own.map((p) => p.message).join('; ')}
        </p>
      )}
      <Field label="Name (call --route NAME)" error={messageAt(problems, `${path}.name`)} errorTestId="route-error-name">
        <input data-testid="route-name" value={text(route['name'])} onChange={(e) => set(withKey(route, 'name', e.target.value))} />
      </Field>
      <Field label="Numbers it takes (prefixes, comma-separated; empty: only by name)" error={messageAt(problems, `${path}.numbers`)} errorTestId="route-error-numbers">
        <input
          data-testid="route-numbers"
          value={asList(route['numbers'] as string[] | undefined).join(', ')}
          onChange={(e) => {
            const list = e.target.value.split(',').map((x) => x.trim()).filter(Boolean);
            set(withKey(route, 'numbers', list.length > 0 ? list : undefined));
          }}
        />
      </Field>
      <Field group label="Move on to the next target on" error={messageAt(problems, `${path}.move-on`)} errorTestId="route-error-move-on">
        <span className="row">
          {MOVE_ON.map((m) => (
            <label key={m} className="inline">
              <input
                type="checkbox"
                data-testid={`route-move-on-${m}`}
                checked={moveOn.includes(m)}
                onChange={(e) => set({ ...route, 'move-on': e.target.checked ? [...moveOn, m] : moveOn.filter((x) => x !== m) })}
              />{' '}
              {m}
            </label>
          ))}
        </span>
      </Field>
      <Field group label="Targets (lowest priority first; weight shares calls within a priority)" error={messageAt(problems, `${path}.targets`)} errorTestId="route-error-targets">
        <span className="stack">
          {targets.map((t, i) => {
            const put = (k: string, v: unknown) => setTargets(targets.map((x, j) => (j === i ? withKey(x, k, v) : x)));
            const tp = `${path}.targets[${i}]`;
            const err = messageAt(problems, tp);
            return (
              <span className="row" key={i} data-testid="route-target">
                <input data-testid={`target-uri-${i}`} aria-label={`Target ${i + 1} URI`} placeholder="sip:+1{number}@trunk.example" value={text(t['uri'])} onChange={(e) => put('uri', e.target.value)} />
                <input data-testid={`target-profile-${i}`} aria-label={`Target ${i + 1} profile`} placeholder="or profile" value={text(t['profile'])} onChange={(e) => put('profile', e.target.value)} />
                <label className="inline">
                  priority <input className="narrow" data-testid={`target-priority-${i}`} inputMode="numeric" value={text(t['priority'])} placeholder="10" onChange={(e) => put('priority', numberOrText(e.target.value))} />
                </label>
                <label className="inline">
                  weight <input className="narrow" data-testid={`target-weight-${i}`} inputMode="numeric" value={text(t['weight'])} placeholder="10" onChange={(e) => put('weight', numberOrText(e.target.value))} />
                </label>
                <button type="button" aria-label={`Remove target ${i + 1}`} onClick={() => setTargets(targets.filter((_, j) => j !== i))}>
                  ✕
                </button>
                {err && (
                  <span className="field-error" role="alert" data-testid={`target-error-${i}`}>
                    {err}
                  </span>
                )}
              </span>
            );
          })}
          <button type="button" data-testid="target-add" onClick={() => setTargets([...targets, { uri: 'sip:{number}@127.0.0.1:5070', priority: 10, weight: 10 }])}>
            Add target
          </button>
        </span>
      </Field>
    </fieldset>
  );
}

export function OutboundEditor({ routes, problems, onChange }: Props) {
  return (
    <div data-testid="outbound-editor">
      {routes.map((r, i) => (
        <div key={i}>
          <RouteForm route={r} index={i} problems={problems} set={(next) => onChange(routes.map((x, j) => (j === i ? next : x)))} />
          <button type="button" data-testid="route-delete" aria-label={`Delete route ${text(r['name'])}`} onClick={() => onChange(routes.filter((_, j) => j !== i))}>
            Delete route
          </button>
        </div>
      ))}
      <button type="button" data-testid="route-add" onClick={() => onChange([...routes, { name: `route-${routes.length + 1}`, targets: [{ uri: 'sip:{number}@127.0.0.1:5070', priority: 10, weight: 10 }] }])}>
        Add outbound route
      </button>
    </div>
  );
}
