import { describe, expect, it } from 'vitest';
import { messageAt, moveItem, numberOrText, readRouting, writeAgents, writeRules } from '../../../src/renderer/src/features/routing/routing-doc.ts';

const FILE = `# our routing
agents:
  sales: { type: echo, max-calls: 1 }
rules:
  - name: a
    did: "1"
    agent: sales
  - name: b
    default: true
    agent: busy
outbound:
  - name: out # keep me
    targets: [{ uri: "sip:x@127.0.0.1" }]
`;

describe('routing-doc', () => {
  it('reads rules and agents; a text that does not parse is refused with the reason', () => {
    const r = readRouting(FILE);
    expect(r.ok && r.value.rules.map((x) => x['name'])).toEqual(['a', 'b']);
    expect(r.ok && r.value.agents).toEqual([['sales', { type: 'echo', 'max-calls': 1 }]]);
    const bad = readRouting('rules: [\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^the text does not parse/);
    expect(readRouting('rules: 3').ok).toBe(false);
    expect(readRouting('').ok).toBe(true);
  });

  it('writes rules back in their new order, keeping the other sections and their comments', () => {
    const r = readRouting(FILE);
    if (!r.ok) throw new Error(r.error);
    const out = writeRules(FILE, moveItem(r.value.rules, 1, 0));
    const again = readRouting(out);
    expect(again.ok && again.value.rules.map((x) => x['name'])).toEqual(['b', 'a']);
    expect(out).toContain('# our routing');
    expect(out).toContain('# keep me');
    expect(out).toContain('max-calls: 1');
  });

  it('writes block YAML into an emptied file, keys in the documented order', () => {
    const out = writeRules('{}', [{ agent: 'busy', did: '12', name: 'x' }]);
    expect(out).toBe('rules:\n  - name: x\n    did: "12"\n    agent: busy\n');
    expect(writeAgents(out, [['s', { on: [{ when: 'busy', then: 'busy' }], hz: 440, type: 'tone' }]])).toContain('s:\n    type: tone\n    hz: 440\n    on:');
    expect(writeRules(out, [])).toBe('{}\n');
  });

  it('numbers stay numbers, anything else stays text for the engine to name', () => {
    expect(numberOrText('440')).toBe(440);
    expect(numberOrText(' 2.5 ')).toBe(2.5);
    expect(numberOrText('loud')).toBe('loud');
    expect(numberOrText('')).toBeUndefined();
  });

  it('finds the engine problems of a field and inside it', () => {
    const problems = [
      { line: 1, column: 1, field: 'rules[1].did.pattern', message: 'bad pattern' },
      { line: 1, column: 1, field: 'rules[10].did', message: 'other rule' },
      { line: 1, column: 1, field: 'rules[1].header[0].name', message: 'not a header name' },
    ];
    expect(messageAt(problems, 'rules[1].did')).toBe('bad pattern');
    expect(messageAt(problems, 'rules[1].header')).toBe('not a header name');
    expect(messageAt(problems, 'rules[1].agent')).toBeUndefined();
  });
});
