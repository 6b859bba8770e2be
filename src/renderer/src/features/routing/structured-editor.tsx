/**
 * The routing file as forms: the ordered rules (add, edit, delete, drag or move to reorder) and
 * the named agents with their failover chains. Every change is written into the file text the
 * view holds (other sections and their comments stay); the engine checks it and its problems
 * come back beside the fields. When the text does not parse, the form says so and waits.
 */
import { useState } from 'react';
import type { RoutingProblemDto } from '../../../../shared/model/routing.ts';
import { AgentEditor } from './agent-editor.tsx';
import { OutboundEditor } from './outbound-editor.tsx';
import { AGENT_LIST_ID, RuleEditor, SHORTHANDS } from './rule-editor.tsx';
import { RuleList } from './rule-list.tsx';
import { moveItem, problemsAt, readRouting, text, writeAgents, writeOutbound, writeRules, type Entry } from './routing-doc.ts';

interface Props {
  text: string;
  problems: readonly RoutingProblemDto[];
  matched?: string;
  counts?: Record<string, number>;
  onText(text: string): void;
}

function freeName(base: string, taken: string[]): string {
  for (let i = 1; i < 10_000; i++) {
    const n = `${base}-${i}`;
    if (!taken.includes(n)) return n;
  }
  return `${base}-${Date.now()}`;
}

/** Rules and failover steps that named `from` now name `to`. */
function renameRefs(rules: Entry[], agents: Array<[string, Entry]>, from: string, to: string): { rules: Entry[]; agents: Array<[string, Entry]> } {
  const swap = (v: unknown) => (v === from ? to : v);
  return {
    rules: rules.map((r) => (r['agent'] === from ? { ...r, agent: to } : r)),
    agents: agents.map(([n, a]) => [n, Array.isArray(a['on']) ? { ...a, on: (a['on'] as Entry[]).map((s) => ({ ...s, then: swap(s['then']) })) } : a]),
  };
}

export function StructuredEditor({ text: fileText, problems, matched, counts, onText }: Props) {
  const [rule, setRule] = useState<number | null>(null);
  const [agent, setAgent] = useState<number | null>(null);
  const read = readRouting(fileText);
  if (!read.ok) {
    return (
      <section className="structured-editor" aria-label="Rules editor">
        <p className="bad" role="alert" data-testid="structured-unavailable">
          {read.error} — fix it in the file text; the form shows the rules again once it parses.
        </p>
      </section>
    );
  }
  const { rules, agents, outbound } = read.value;
  const names = rules.map((r) => text(r['name']));
  const putRules = (next: Entry[]) => onText(writeRules(fileText, next));
  const putAgents = (next: Array<[string, Entry]>) => onText(writeAgents(fileText, next));
  const addRule = () => {
    const r: Entry = { name: freeName('rule', names), agent: 'echo' };
    // A new rule goes before the default rule, which must stay last.
    const at = rules.length > 0 && rules[rules.length - 1]!['default'] === true ? rules.length - 1 : rules.length;
    putRules([...rules.slice(0, at), r, ...rules.slice(at)]);
    setRule(at);
  };
  const move = (from: number, to: number) => {
    putRules(moveItem(rules, from, to));
    if (rule === from) setRule(to);
    else if (rule !== null && from < rule && to >= rule) setRule(rule - 1);
    else if (rule !== null && from > rule && to <= rule) setRule(rule + 1);
  };
  const del = (i: number) => {
    putRules(rules.filter((_, j) => j !== i));
    setRule(rule === i ? null : rule !== null && rule > i ? rule - 1 : rule);
  };
  const rename = (i: number, to: string) => {
    const from = agents[i]![0];
    if (to === from) return;
    const next = renameRefs(rules, agents.map(([n, a], j) => [j === i ? to : n, a]), from, to);
    onText(writeAgents(writeRules(fileText, next.rules), next.agents));
  };
  const agentProblems = (name: string) => problemsAt(problems, `agents.${name}`).length > 0;
  const selectedRule = rule !== null && rule < rules.length ? rule : null;
  const selectedAgent = agent !== null && agent < agents.length ? agent : null;
  return (
    <section className="structured-editor" aria-label="Rules editor">
      <h2>Inbound rules</h2>
      <RuleList rules={rules} selected={selectedRule} problems={problems} matched={matched} counts={counts} onSelect={setRule} onMove={move} onDelete={del} />
      <button type="button" data-testid="rule-add" onClick={addRule}>
        Add rule
      </button>
      {selectedRule !== null && (
        <RuleEditor key={selectedRule} rule={rules[selectedRule]!} index={selectedRule} problems={problems} onChange={(r) => putRules(rules.map((x, j) => (j === selectedRule ? r : x)))} />
      )}
      <h2>Agents</h2>
      <ul className="agent-list" data-testid="agent-list">
        {agents.map(([n, a], i) => (
          <li key={i} data-testid="agent-item" data-agent={n} className={`${selectedAgent === i ? 'selected' : ''}${agentProblems(n) ? ' invalid' : ''}`}>
            <button type="button" data-testid="agent-edit" aria-pressed={selectedAgent === i} onClick={() => setAgent(i)}>
              <strong>{n}</strong> {text(a['type'])}
              {Array.isArray(a['on']) && a['on'].length > 0 ? ` · ${a['on'].length} failover step(s)` : ''}
              {agentProblems(n) && <span className="bad"> · has problems</span>}
            </button>
            <button
              type="button"
              data-testid="agent-delete"
              aria-label={`Delete agent ${n}`}
              onClick={() => {
                putAgents(agents.filter((_, j) => j !== i));
                setAgent(null);
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        data-testid="agent-add"
        onClick={() => {
          putAgents([...agents, [freeName('agent', agents.map(([n]) => n)), { type: 'echo' }]]);
          setAgent(agents.length);
        }}
      >
        Add agent
      </button>
      {selectedAgent !== null && (
        <AgentEditor
          key={selectedAgent}
          name={agents[selectedAgent]![0]}
          agent={agents[selectedAgent]![1]}
          problems={problems}
          taken={agents.filter((_, j) => j !== selectedAgent).map(([n]) => n)}
          onChange={(a) => putAgents(agents.map(([n, x], j) => [n, j === selectedAgent ? a : x]))}
          onRename={(to) => rename(selectedAgent, to)}
        />
      )}
      <h2>Outbound routes</h2>
      <OutboundEditor routes={outbound} problems={problems} onChange={(next) => onText(writeOutbound(fileText, next))} />
      <datalist id={AGENT_LIST_ID}>
        {[...agents.map(([n]) => n), ...SHORTHANDS].map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
    </section>
  );
}
