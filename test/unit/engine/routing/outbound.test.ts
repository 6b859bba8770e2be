import { describe, expect, it } from 'vitest';
import type { CallReport } from '../../../../src/shared/model/report.ts';
import { orderTargets, routeForNumber, TargetHealth, weightedOrder } from '../../../../src/main/engine/routing/outbound-select.ts';
import { seededRandom } from '../../../../src/shared/seeded-random.ts';
import { failureKind } from '../../../../src/main/engine/routing/move-on.ts';
import { callThroughRoute, targetUri } from '../../../../src/main/engine/routing/route-attempts.ts';
import { parseRoutingText } from '../../../../src/main/engine/routing/routing-load.ts';
import type { OutboundRoute } from '../../../../src/main/engine/routing/routing-model.ts';

function report(p: Partial<CallReport>): CallReport {
  return {
    command: 'call', outcome: 'rejected', finalStatus: null, reason: '', callId: 'c', setupMs: null, durationMs: null, transport: 'udp',
    local: null, remote: null, startedAt: '', endedAt: '', messages: { sent: 1, received: 1 }, ...p,
  };
}

describe('RFC 2782 weighted order', () => {
  it('picks each target first in proportion to its weight over many seeded draws', () => {
    const random = seededRandom(42);
    const group = [{ id: 'a', weight: 60 }, { id: 'b', weight: 30 }, { id: 'c', weight: 10 }];
    const first: Record<string, number> = { a: 0, b: 0, c: 0 };
    const N = 20_000;
    for (let i = 0; i < N; i++) first[weightedOrder(group, random)[0]!.id]!++;
    // weight/(sum+1) each, plus the zero pick going to the first: within 1.5 points of the weights.
    expect(Math.abs(first.a! / N - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(first.b! / N - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(first.c! / N - 0.1)).toBeLessThan(0.015);
  });

  it('is reproducible from a seed and keeps every target once', () => {
    const g = Array.from({ length: 6 }, (_, i) => ({ id: i, weight: i + 1 }));
    const a = weightedOrder(g, seededRandom(7)).map((t) => t.id);
    const b = weightedOrder(g, seededRandom(7)).map((t) => t.id);
    expect(a).toEqual(b);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(weightedOrder(g, seededRandom(8)).map((t) => t.id)).not.toEqual(a);
  });

  it('zero-weight targets come last almost always but are still tried', () => {
    const random = seededRandom(1);
    let zeroFirst = 0;
    for (let i = 0; i < 1000; i++) if (weightedOrder([{ id: 'z', weight: 0 }, { id: 'w', weight: 100 }], random)[0]!.id === 'z') zeroFirst++;
    expect(zeroFirst).toBeLessThan(30); // only when the draw is exactly 0 (1 in 101)
    expect(zeroFirst).toBeGreaterThan(0);
  });

  it('lowest priority first, whatever the weights', () => {
    const t = [
      { uri: 'sip:c@h', priority: 20, weight: 1000 },
      { uri: 'sip:a@h', priority: 10, weight: 1 },
      { uri: 'sip:b@h', priority: 10, weight: 1 },
    ];
    for (let s = 0; s < 50; s++) {
      const o = orderTargets(t, seededRandom(s)).map((x) => x.uri);
      expect(o[2]).toBe('sip:c@h');
    }
  });
});

describe('move-on conditions', () => {
  it('classifies timeout, 408, 5xx, 403, connect and DNS failures; others decide', () => {
    expect(failureKind(report({ outcome: 'timeout', finalStatus: 408, endedBy: 'error' }))).toBe('timeout');
    expect(failureKind(report({ outcome: 'no-answer', finalStatus: 408, endedBy: 'remote' }))).toBe('408');
    expect(failureKind(report({ finalStatus: 503 }))).toBe('5xx');
    expect(failureKind(report({ finalStatus: 403 }))).toBe('403');
    expect(failureKind(report({ outcome: 'unreachable', reason: 'transport error: connect ECONNREFUSED 127.0.0.1:5999' }))).toBe('connect-failure');
    expect(failureKind(report({ outcome: 'unreachable', reason: 'cannot resolve nowhere.invalid (ENOTFOUND)' }))).toBe('dns-failure');
    expect(failureKind(report({ finalStatus: 404 }))).toBeUndefined();
    expect(failureKind(report({ finalStatus: 486, outcome: 'busy' }))).toBeUndefined();
    expect(failureKind(report({ outcome: 'answered', finalStatus: 200 }))).toBeUndefined();
  });
});

describe('routes from the file', () => {
  const t = parseRoutingText(`
outbound:
  - name: us
    numbers: ["+1*"]
    targets:
      - { uri: "sip:primary.example.com:5060", priority: 10 }
      - { uri: "sip:{number}@backup.example.com", priority: 20 }
  - name: sf
    numbers: ["+1415*"]
    move-on: [5xx, 403]
    targets: [{ uri: "sip:sf@h" }]
`);
  it('picks the route with the longest matching numbers prefix, compared as E.164', () => {
    expect(routeForNumber(t.outbound, '0014155550100')?.name).toBe('sf');
    expect(routeForNumber(t.outbound, '+12125550100')?.name).toBe('us');
    expect(routeForNumber(t.outbound, '+442079460000')).toBeUndefined();
    expect(t.outbound[0]!.moveOn).toEqual(['timeout', '408', '5xx', 'connect-failure', 'dns-failure']);
  });
  it('puts the number into each target URI', () => {
    expect(targetUri(t.outbound[0]!.targets[0]!, '+14155550100')).toBe('sip:+14155550100@primary.example.com:5060');
    expect(targetUri(t.outbound[0]!.targets[1]!, '+14155550100')).toBe('sip:+14155550100@backup.example.com');
    expect(targetUri({ profile: 'twilio', priority: 1, weight: 1 }, '1', { sourceAddresses: () => [], targetUri: (n, num) => `sip:${num}@${n}.pstn` })).toBe('sip:1@twilio.pstn');
  });
});

describe('callThroughRoute', () => {
  const route: OutboundRoute = {
    name: 'r',
    numbers: [],
    moveOn: ['timeout', '408', '5xx', 'connect-failure', 'dns-failure'],
    targets: [
      { uri: 'sip:{number}@primary', priority: 10, weight: 1 },
      { uri: 'sip:{number}@secondary', priority: 20, weight: 1 },
      { uri: 'sip:{number}@third', priority: 30, weight: 1 },
    ],
  };

  it('moves on after a 503, stops at the answer, lists both attempts; Retry-After puts the primary last for later calls', async () => {
    let now = 0;
    const health = new TargetHealth(() => now);
    const tried: string[] = [];
    const placeOne = async (t: { uri: string }) => {
      tried.push(t.uri);
      if (t.uri.includes('primary')) return report({ finalStatus: 503, reason: '503 Service Unavailable', retryAfterSec: 30 });
      return report({ outcome: 'answered', finalStatus: 200, reason: 'answered' });
    };
    const r = await callThroughRoute({ route, number: '100', placeOne, health });
    expect(r.outcome).toBe('answered');
    expect(r.outboundRoute).toBe('r');
    expect(r.attempts!.map((a) => [a.target, a.status])).toEqual([['sip:100@primary', 503], ['sip:100@secondary', 200]]);
    expect(r.attempts![0]!.reason).toBe('503 Service Unavailable: moving on (5xx)');
    tried.length = 0;
    now = 10_000;
    await callThroughRoute({ route, number: '100', placeOne, health });
    expect(tried).toEqual(['sip:100@secondary']);
    now = 31_000;
    tried.length = 0;
    await callThroughRoute({ route, number: '100', placeOne, health });
    expect(tried).toEqual(['sip:100@primary', 'sip:100@secondary']);
  });

  it('a 404 decides the call; when every target fails, the last one is the outcome', async () => {
    const r = await callThroughRoute({ route, number: '1', placeOne: async () => report({ finalStatus: 404, reason: '404 Not Found' }), health: new TargetHealth() });
    expect(r.attempts).toHaveLength(1);
    expect(r.finalStatus).toBe(404);
    const all = await callThroughRoute({
      route,
      number: '1',
      placeOne: async (t) => report({ outcome: 'timeout', finalStatus: 408, endedBy: 'error', reason: `no response from ${t.uri}` }),
      health: new TargetHealth(),
    });
    expect(all.attempts!.map((a) => a.reason)).toEqual([
      'no response from sip:1@primary: moving on (timeout)',
      'no response from sip:1@secondary: moving on (timeout)',
      'no response from sip:1@third: moving on (timeout)',
    ]);
    expect(all.outcome).toBe('timeout');
  });
});
