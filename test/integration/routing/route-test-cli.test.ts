import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'route-test-'));
const file = join(dir, 'routes.yaml');
writeFileSync(
  file,
  `agents:
  sales:
    type: answer-after
    seconds: 20
    max-calls: 1
    on:
      - when: busy
        then: support
  support: { type: tone, hz: 440 }
rules:
  - name: vip
    from: { pattern: "+44*", e164: true }
    agent: echo
  - name: by-header
    header: { name: X-Agent-Id, value: sales }
    agent: sales
  - name: us-did
    did: { pattern: "+1415*", e164: true }
    source: 10.0.0.0/8
    agent: ring
`,
);

describe('trunkscope route test', () => {
  it('names the matching rule and one line per earlier rule with the condition that failed', async () => {
    const r = await runCli(['route', 'test', file, '--to', '0014155550100', '--from', '+14155551212', '--source', '10.1.2.3']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '  no  vip: from +14155551212 does not match +44* (E.164)',
      '  no  by-header: header X-Agent-Id is absent',
      '  YES us-did: did 0014155550100 matches +1415*, source 10.1.2.3 matches 10.0.0.0/8 → ring',
    ]);
  });

  it('--json, a header match, and exit 1 when no rule matches', async () => {
    const r = await runCli(['route', 'test', file, '--to', '100', '--header', 'X-Agent-Id: sales', '--json']);
    expect(r.code, explain(r)).toBe(0);
    const j = JSON.parse(r.stdout) as { matched: { rule: string; agentType: string }; misses: Array<{ rule: string; field: string }> };
    expect(j.matched).toMatchObject({ rule: 'by-header', agentType: 'answer-after' });
    expect(j.misses).toEqual([{ rule: 'vip', field: 'from', why: 'from (none) does not match +44* (E.164)' }]);
    const none = await runCli(['route', 'test', file, '--to', '100']);
    expect(none.code, explain(none)).toBe(1);
    expect(none.stdout).toMatch(/no rule matched sip:100@/);
  });

  it('a malformed number, header, source or file is a usage error (exit 2) saying what is wrong', async () => {
    const bad = await runCli(['route', 'test', file, '--to', 'a b@@']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to: not a number, a user name or a sip:\/tel: URI: "a b@@"/);
    const hdr = await runCli(['route', 'test', file, '--to', '1', '--header', 'no colon']);
    expect(hdr.code).toBe(2);
    expect(hdr.stderr).toMatch(/--header: expected "Name: value"/);
    const src = await runCli(['route', 'test', file, '--to', '1', '--source', '300.1.1.1']);
    expect(src.code).toBe(2);
    expect(src.stderr).toMatch(/--source: not an IPv4 or IPv6 address/);
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, 'rules:\n  - name: x\n    agent: nobody\n    did: "1"\n');
    const f = await runCli(['route', 'test', badFile, '--to', '1']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain(`${badFile}:3:12: rules[0].agent: unknown agent "nobody"`);
  });
});
