import { afterEach, describe, expect, it } from 'vitest';
import type { EngineService } from '../../../src/main/engine/service/engine-service.ts';
import type { RouteTestDto, RoutingSummary } from '../../../src/shared/model/routing.ts';
import { loopbackService } from './service-helpers.ts';

let svc: EngineService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

const FILE = `
rules:
  - name: vip
    from: "+44*"
    agent: echo
  - name: rest
    default: true
    agent: busy
outbound:
  - name: us
    numbers: ["+1*"]
    targets: [{ uri: "sip:a@h", priority: 1, weight: 5 }]
`;

describe('routing.check and routing.test through the contract', () => {
  it('summarises a good file and lists problems of a bad one', async () => {
    svc = loopbackService();
    const good = await svc.dispatch('routing.check', { text: FILE });
    expect(good.ok).toBe(true);
    const s = (good as { result: RoutingSummary }).result;
    expect(s.rules.map((r) => [r.name, r.agentText])).toEqual([['vip', 'echo'], ['rest', 'busy']]);
    expect(s.outbound).toEqual([{ name: 'us', numbers: ['+1*'], targets: [{ target: 'sip:a@h', priority: 1, weight: 5 }] }]);
    const bad = (await svc.dispatch('routing.check', { text: 'rules: [{ name: a, agent: "reject 99" }]' })) as { result: RoutingSummary };
    expect(bad.result.ok).toBe(false);
    expect(bad.result.problems.map((p) => p.field)).toContain('rules[0].agent');
  });

  it('tests a made-up call; bad input is an inputError; a missing field is refused by the contract', async () => {
    svc = loopbackService();
    const r = (await svc.dispatch('routing.test', { text: FILE, to: '100', from: '+442079460000' })) as { result: RouteTestDto };
    expect(r.result.matched?.rule).toBe('vip');
    expect(r.result.lines).toEqual(['YES vip: from +442079460000 matches +44* → echo']);
    const src = (await svc.dispatch('routing.test', { text: FILE, to: '100', source: 'not-an-ip' })) as { result: RouteTestDto };
    expect(src.result.inputError).toMatch(/--source: not an IPv4 or IPv6 address/);
    const none = await svc.dispatch('routing.test', { text: FILE });
    expect(none).toMatchObject({ ok: false });
    expect((none as { error: string }).error).toMatch(/^routing\.test: to:/);
  });
});
