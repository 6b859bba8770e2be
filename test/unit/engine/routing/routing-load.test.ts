import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRoutingFile, parseRoutingText, RoutingFileError } from '../../../../src/main/engine/routing/routing-load.ts';

function problems(text: string, dir?: string) {
  try {
    parseRoutingText(text, { file: 'routes.yaml', baseDir: dir });
  } catch (err) {
    if (err instanceof RoutingFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('routing file load', () => {
  it('loads agents, shorthands and failover chains', () => {
    const t = parseRoutingText(`
agents:
  sales:
    type: answer-after
    seconds: 20
    max-calls: 1
    on:
      - when: [busy, no-answer 10 s]
        then: support
  support:
    type: tone
    hz: 440
    on:
      - when: error
        then: reject 503 Overloaded
rules:
  - name: s
    header: { name: X-Agent-Id, value: sales }
    agent: sales
  - name: fallback
    default: true
    agent: reject 404
`);
    expect(t.agents.get('sales')).toMatchObject({ maxCalls: 1, on: [{ when: [{ kind: 'busy' }, { kind: 'no-answer', seconds: 10 }], then: 'support' }] });
    expect(t.agents.get('reject 503 Overloaded')?.action).toEqual({ type: 'reject', code: 503, reason: 'Overloaded' });
    expect(t.agents.get('reject 404')?.action).toEqual({ type: 'reject', code: 404 });
    expect(t.rules.map((r) => r.name)).toEqual(['s', 'fallback']);
  });

  it('refuses a failover loop with the path', () => {
    const p = problems(`
agents:
  a:
    type: busy
    on: [{ when: busy, then: b }]
  b:
    type: ring
    on: [{ when: no-answer 5 s, then: a }]
rules:
  - { name: x, default: true, agent: a }
`);
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toBe('failover loop: a → b → a');
    expect(p[0]).toMatchObject({ file: 'routes.yaml', line: 5, field: 'agents.a.on' });
  });

  it('refuses unknown agents, bad patterns and duplicate names with line, column and field', () => {
    const p = problems(`rules:
  - name: one
    did: "/(a+)+/"
    agent: sales
  - name: one
    header: { name: X-Agent-Id, value: "/[/" }
    agent: busy
`);
    expect(p.map((x) => `${x.line}:${x.column} ${x.field}`)).toEqual(['4:12 rules[0].agent', '3:10 rules[0].did', '5:11 rules[1].name', '6:40 rules[1].header.value']);
    expect(p[0]!.message).toMatch(/unknown agent "sales"/);
    expect(p[1]!.message).toMatch(/nested quantifiers/);
    expect(p[2]!.message).toBe('duplicate rule name "one" (also rules[0])');
    expect(p[3]!.message).toMatch(/bad regular expression/);
  });

  it('refuses a play file that is not there and resolves present ones against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    writeFileSync(join(dir, 'hello.wav'), 'RIFF');
    const ok = parseRoutingText('rules:\n  - { name: d, default: true, agent: play hello.wav }\n', { file: join(dir, 'r.yaml') });
    expect(ok.agents.get('play hello.wav')?.action).toEqual({ type: 'play', file: join(dir, 'hello.wav') });
    const p = problems('agents:\n  greet: { type: play, file: nope.wav }\nrules:\n  - { name: d, default: true, agent: greet }\n', dir);
    expect(p).toEqual([{ file: 'routes.yaml', line: 2, column: 30, field: 'agents.greet.file', message: `file not found: ${join(dir, 'nope.wav')}` }]);
  });

  it('reports schema errors at the field, YAML syntax errors at their position, and JSON works too', () => {
    const p = problems('rules:\n  - name: x\n    did: 5\n    agent: busy\n    colour: red\n');
    expect(p.map((x) => x.field)).toContain('rules[0].did');
    expect(p.find((x) => x.field === 'rules[0]')?.message).toMatch(/colour/);
    const y = problems('rules:\n  - name: x\n   agent: [\n');
    expect(y[0]!.line).toBeGreaterThan(1);
    const j = parseRoutingText('{"rules": [{"name": "d", "default": true, "agent": "busy"}]}');
    expect(j.rules[0]!.isDefault).toBe(true);
    const jp = problems('{\n  "rules": [\n    {"name": "d", "agent": "nobody", "did": "1"}\n  ]\n}');
    expect(jp[0]).toMatchObject({ line: 3, field: 'rules[0].agent' });
  });

  it('refuses a default rule that is not last, a condition-less rule and a bad time zone', () => {
    const p = problems(`rules:
  - { name: d, default: true, agent: busy }
  - { name: e, agent: busy }
  - { name: t, time: { zone: Mars/Olympus }, agent: busy }
`);
    expect(p.map((x) => x.message)).toEqual([
      'the default rule must be the last rule',
      'a rule without conditions must say default: true',
      'unknown time zone "Mars/Olympus" (an IANA name such as Europe/London)',
    ]);
  });

  it('a file that cannot be read is a RoutingFileError naming it', () => {
    expect(() => loadRoutingFile('/nonexistent/routes.yaml')).toThrow(/\/nonexistent\/routes.yaml:1:1: cannot read: ENOENT/);
  });
});
