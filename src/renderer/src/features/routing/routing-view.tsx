/**
 * The Routing view: the rules as forms (structured-editor.tsx: add, edit, delete, drag to
 * reorder, agents and failover chains) and the same routing file's text (YAML or JSON,
 * docs/routing.md) beside them, checked by the engine as it changes (rules in order, outbound
 * routes, or every problem with line and field, shown beside the form's fields too), Save into
 * the settings file (refused when invalid: the saved version stays), and the tester box: which
 * rule a call would hit and why each earlier rule did not, without a call.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RouteTestDto, RoutingSummary } from '../../../../shared/model/routing.ts';
import { useApp, useInvoke } from '../../app/context.ts';
import { Field } from '../../components/field.tsx';
import { parseHeaders } from '../dialer/validate.ts';
import { StructuredEditor } from './structured-editor.tsx';

export const ROUTING_DRAFT_KEY = 'trunkscope.routing.draft';

export const EXAMPLE_ROUTES = `agents:
  sales:
    type: answer-after
    seconds: 5
    max-calls: 1
    on:
      - when: busy
        then: reject 503 All agents busy
rules:
  - name: by-header
    header: { name: X-Agent-Id, value: sales }
    agent: sales
  - name: sf-numbers
    did: { pattern: "+1415*", e164: true }
    agent: ring
  - name: everything-else
    default: true
    agent: echo
`;

function readDraft(): string | null {
  try {
    return globalThis.localStorage?.getItem(ROUTING_DRAFT_KEY) ?? null;
  } catch {
    return null;
  }
}

function loadDraft(): string {
  return readDraft() ?? EXAMPLE_ROUTES;
}

export function RoutingView() {
  const invoke = useInvoke();
  const [text, setText] = useState(loadDraft);
  const [summary, setSummary] = useState<RoutingSummary | null>(null);
  const [to, setTo] = useState('+14155550100');
  const [from, setFrom] = useState('');
  const [headersText, setHeadersText] = useState('');
  const [source, setSource] = useState('127.0.0.1');
  const [transport, setTransport] = useState<'udp' | 'tcp' | 'tls'>('udp');
  const [result, setResult] = useState<RouteTestDto | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const listener = useApp((st) => st.listener);
  const [totals, setTotals] = useState<Record<string, number> | undefined>(undefined);
  // Live counters per rule while the listener routes by the saved rules: polled once a second.
  useEffect(() => {
    if (!listener?.running || !listener.routeTotals) return setTotals(undefined);
    setTotals(listener.routeTotals);
    const t = setInterval(() => {
      void invoke('app.snapshot', {}).then((s) => setTotals(s?.listener.routeTotals));
    }, 1000);
    return () => clearInterval(t);
  }, [listener]);
  const [saveState, setSaveState] = useState<{ ok: boolean; text: string } | null>(null);

  const check = async (t = text) => {
    const r = await invoke('routing.check', { text: t });
    if (r) setSummary(r);
  };
  // Checked once on open; after that on the button (or with each test).
  // On open: the text saved in the settings file, unless this browser has an unsaved draft.
  useEffect(() => {
    void (async () => {
      const r = await invoke('routing.load', {});
      const draft = readDraft();
      const t = draft ?? r?.saved?.text ?? text;
      if (t !== text) setText(t);
      if (r?.saved) setSaveState({ ok: true, text: draft !== null && draft !== r.saved.text ? `saved ${r.saved.savedAt} (the editor has unsaved changes)` : `saved ${r.saved.savedAt}` });
      void check(t);
    })();
  }, []);

  const save = async () => {
    const r = await invoke('routing.save', { text });
    if (!r) return;
    if (r.ok) {
      setSaveState({ ok: true, text: `saved ${r.savedAt ?? ''}${r.appliedToListener ? ' · the running listener routes its next call by it' : ''}` });
      try {
        globalThis.localStorage?.removeItem(ROUTING_DRAFT_KEY);
      } catch {
        // Storage disabled: nothing to clear.
      }
    } else {
      const p = r.problems[0];
      setSaveState({ ok: false, text: `not saved (the saved version is kept): ${p ? `line ${p.line}:${p.column} ${p.field} ${p.message}` : 'invalid'}` });
    }
    void check();
  };

  // Each edit is checked by the engine shortly after typing stops (the form's field messages).
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  const edit = (t: string) => {
    setText(t);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void check(t), 250);
    try {
      // A draft in this browser only: nothing the user saved elsewhere is touched.
      globalThis.localStorage?.setItem(ROUTING_DRAFT_KEY, t);
    } catch {
      // Storage full or disabled: the text stays in the editor.
    }
  };

  const runTest = async (e: FormEvent) => {
    e.preventDefault();
    const h = parseHeaders(headersText);
    if ('error' in h) return setInputError(h.error);
    if (!to.trim()) return setInputError('enter the dialed number');
    setInputError(null);
    const r = await invoke('routing.test', { text, to: to.trim(), from: from.trim() || undefined, headers: h.headers, source: source.trim() || undefined, transport });
    if (r) setResult(r);
    void check();
  };

  const problems = summary && !summary.ok ? summary.problems : [];
  return (
    <section className="panel routing-view" aria-label="Routing">
      <StructuredEditor text={text} problems={problems} matched={result?.matched?.rule} counts={totals} onText={edit} />
      <div className="routing-editor">
        <h2>Routing file</h2>
        <textarea data-testid="routing-text" spellCheck={false} rows={24} value={text} onChange={(e) => edit(e.target.value)} />
        <div className="row">
          <button type="button" data-testid="routing-check" onClick={() => void check()}>
            Check
          </button>
          <button type="button" data-testid="routing-save" onClick={() => void save()}>
            Save
          </button>
          <button type="button" onClick={() => edit(EXAMPLE_ROUTES)}>
            Example
          </button>
          {summary && (
            <span data-testid="routing-status" className={summary.ok ? 'good' : 'bad'}>
              {summary.ok ? `${summary.rules.length} rule(s), ${summary.outbound.length} outbound route(s)` : `${summary.problems.length} problem(s)`}
            </span>
          )}
        </div>
        {saveState && (
          <p data-testid="routing-save-status" className={saveState.ok ? 'good' : 'bad'}>
            {saveState.text}
          </p>
        )}
        {summary && !summary.ok && (
          <ul className="routing-problems" data-testid="routing-problems">
            {summary.problems.map((p, i) => (
              <li key={i}>
                line {p.line}:{p.column} {p.field && <code>{p.field}</code>} {p.message}
              </li>
            ))}
          </ul>
        )}
        {summary?.ok && (
          <ol className="routing-rules" data-testid="routing-rules">
            {summary.rules.map((r) => (
              <li key={r.name} data-rule={r.name}>
                <strong>{r.name}</strong>{' '}
                {r.isDefault ? <em>default</em> : r.conditions.map((c) => `${c.field} ${c.pattern}`).join(' and ')} → {r.agentText}
                {totals && (
                  <span className="routing-count" data-testid="routing-rule-count">
                    {' '}
                    · {totals[r.name] ?? 0} call(s)
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
      <form className="routing-tester" onSubmit={(e) => void runTest(e)}>
        <h2>Test this number</h2>
        <Field label="To (dialed number or URI)">
          <input data-testid="routing-test-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Field label="From">
          <input data-testid="routing-test-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label="Headers (Name: value per line)" error={inputError ?? undefined} errorTestId="routing-test-error">
          <textarea data-testid="routing-test-headers" rows={3} value={headersText} onChange={(e) => setHeadersText(e.target.value)} />
        </Field>
        <Field label="Source IP">
          <input data-testid="routing-test-source" value={source} onChange={(e) => setSource(e.target.value)} />
        </Field>
        <Field label="Transport">
          <select value={transport} onChange={(e) => setTransport(e.target.value as 'udp' | 'tcp' | 'tls')}>
            <option value="udp">udp</option>
            <option value="tcp">tcp</option>
            <option value="tls">tls</option>
          </select>
        </Field>
        <button type="submit" data-testid="routing-test-run">
          Test
        </button>
        {result && (
          <div data-testid="routing-test-result">
            {result.inputError && <p className="bad">{result.inputError}</p>}
            {result.problems.length > 0 && <p className="bad">the file has problems: fix them first</p>}
            <ul>
              {result.lines.map((l, i) => (
                <li key={i} className={l.startsWith('YES') ? 'good' : ''}>
                  {l}
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
    </section>
  );
}
