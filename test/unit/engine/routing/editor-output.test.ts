// The Routing view's forms (src/renderer/src/features/routing/routing-doc.ts) write text the
// engine's loader reads; a bad value comes back with the field path the forms look up.
import { describe, expect, it } from 'vitest';
import { parseRoutingText, RoutingFileError } from '../../../../src/main/engine/routing/routing-load.ts';
import { messageAt, numberOrText, writeAgents, writeOutbound, writeRules } from '../../../../src/renderer/src/features/routing/routing-doc.ts';

describe('structured editor output', () => {
  it('what the forms write, the engine loads; a bad value comes back with the path the forms look up', () => {
    let t = writeRules('', [
      { name: 'vip', did: { pattern: '+1415*', e164: true }, agent: 'sales' },
      { name: 'hdr', header: [{ name: 'X-Agent-Id', value: 'sales' }], transport: ['udp', 'tls'], time: { zone: 'UTC', days: 'mon-fri', hours: '09:00-17:00' }, agent: 'tone 440' },
      { name: 'rest', default: true, agent: 'echo' },
    ]);
    t = writeAgents(t, [['sales', { type: 'answer-after', seconds: 2, 'max-calls': 1, on: [{ when: ['busy', 'no-answer 10 s'], then: 'reject 503 Busy' }] }]]);
    t = writeOutbound(t, [{ name: 'pstn', numbers: ['+1*'], 'move-on': ['timeout', '408'], targets: [{ uri: 'sip:{number}@127.0.0.1:5070', priority: 10, weight: 10 }] }]);
    const table = parseRoutingText(t);
    expect(table.rules.map((r) => r.name)).toEqual(['vip', 'hdr', 'rest']);
    expect(table.agents.get('sales')?.on[0]?.when).toEqual([{ kind: 'busy' }, { kind: 'no-answer', seconds: 10 }]);
    expect(table.outbound[0]?.moveOn).toEqual(['timeout', '408']);
    const bad = writeAgents(t, [['sales', { type: 'tone', hz: numberOrText('loud') }]]);
    try {
      parseRoutingText(bad);
      expect.unreachable('a tone of "loud" Hz is refused');
    } catch (err) {
      expect(err).toBeInstanceOf(RoutingFileError);
      expect(messageAt((err as RoutingFileError).problems, 'agents.sales.hz')).toMatch(/expected number/);
    }
  });
});
