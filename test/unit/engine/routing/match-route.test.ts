import { describe, expect, it } from 'vitest';
import { parseRoutingText } from '../../../../src/main/engine/routing/routing-load.ts';
import { factsFrom, matchRoute } from '../../../../src/main/engine/routing/match-route.ts';
import { normaliseE164, userPart } from '../../../../src/main/engine/routing/e164.ts';
import { compilePattern } from '../../../../src/main/engine/routing/patterns.ts';
import type { ProfileLookup } from '../../../../src/main/engine/routing/routing-model.ts';

const table = (yaml: string, profiles?: ProfileLookup) => parseRoutingText(yaml, { file: 'routes.yaml', profiles });
const call = (p: Parameters<typeof factsFrom>[0]) => factsFrom(p);

describe('E.164 normalisation', () => {
  it('reads +1415…, 1415…, 001415…, 011…, tel: and sip: forms as one number', () => {
    for (const v of ['+14155550100', '14155550100', '0014155550100', '01114155550100', 'tel:+1-415-555-0100', 'sip:+14155550100@pbx;user=phone', '<sip:14155550100@h>;tag=1']) {
      expect(normaliseE164(v), v).toBe('+14155550100');
    }
  });
  it('leaves national numbers and names alone', () => {
    expect(normaliseE164('02079460000')).toBe('02079460000');
    expect(normaliseE164('sip:alice@h')).toBe('alice');
    expect(userPart('"Bob" <sip:bob@example.com>;tag=x')).toBe('bob');
  });
  it('compares patterns normalised only when e164 is asked for', () => {
    expect(compilePattern('+1415*', { e164: true }).test('0014155550100')).toBe(true);
    expect(compilePattern('+1415*').test('0014155550100')).toBe(false);
    expect(compilePattern('14155550100', { e164: true }).test('tel:+1-415-555-0100')).toBe(true);
  });
});

describe('patterns', () => {
  it('exact, prefix and regex', () => {
    expect(compilePattern('sales').test('sales')).toBe(true);
    expect(compilePattern('sales').test('sales2')).toBe(false);
    expect(compilePattern('+44*').test('+442079460000')).toBe(true);
    expect(compilePattern('/^\\+1(415|650)/').test('+16505550100')).toBe(true);
    expect(compilePattern('/^abc$/i').test('ABC')).toBe(true);
  });
  it('refuses regexes with nested quantifiers and inputs beyond the bound', () => {
    expect(() => compilePattern('/(a+)+$/')).toThrow(/nested quantifiers/);
    expect(() => compilePattern('/([a-z]*)*x/')).toThrow(/nested quantifiers/);
    expect(() => compilePattern('/(/')).toThrow(/bad regular expression/);
    expect(compilePattern('/a/').test('a'.repeat(600))).toBe(false);
  });
});

describe('rules', () => {
  it('did from the Request-URI or To, exact / prefix / regex, with E.164 when the rule says so', () => {
    const t = table(`
rules:
  - name: exact
    did: "+14155550100"
    agent: busy
  - name: to-field
    did: { pattern: "+4420*", field: to }
    agent: ring
  - name: e164
    did: { pattern: "+1650*", e164: true }
    agent: echo
  - name: regex
    did: "/^9\\\\d{3}$/"
    agent: unavailable
`);
    expect(matchRoute(t, call({ requestUri: 'sip:+14155550100@h' })).rule?.name).toBe('exact');
    expect(matchRoute(t, call({ requestUri: 'sip:x@h', to: '<sip:+442079460000@h>' })).rule?.name).toBe('to-field');
    expect(matchRoute(t, call({ requestUri: 'sip:0016505550100@h' })).rule?.name).toBe('e164');
    expect(matchRoute(t, call({ requestUri: 'tel:1-650-555-0100' })).rule?.name).toBe('e164');
    expect(matchRoute(t, call({ requestUri: 'sip:9123@h' })).rule?.name).toBe('regex');
    const none = matchRoute(t, call({ requestUri: 'sip:77@h' }));
    expect(none.rule).toBeUndefined();
    expect(none.misses.map((m) => m.rule)).toEqual(['exact', 'to-field', 'e164', 'regex']);
  });

  it('header (X-*, Diversion, PAI), presence only, any value instance', () => {
    const t = table(`
rules:
  - name: agent-id
    header: { name: X-Agent-Id, value: "sales*" }
    agent: busy
  - name: diverted
    header: { name: Diversion }
    agent: ring
  - default: true
    name: other
    agent: echo
`);
    const h = (headers: Array<[string, string]>) => call({ requestUri: 'sip:1@h', headers });
    expect(matchRoute(t, h([['x-agent-id', 'sales-eu']])).rule?.name).toBe('agent-id');
    expect(matchRoute(t, h([['X-Agent-Id', 'support']])).rule?.name).toBe('other');
    expect(matchRoute(t, h([['Diversion', '<sip:100@pbx>;reason=no-answer']])).rule?.name).toBe('diverted');
    const m = matchRoute(t, h([['X-Agent-Id', 'support']]));
    expect(m.misses[0]!.why).toBe('header X-Agent-Id: "support" does not match sales*');
    expect(m.misses[1]!.why).toBe('header Diversion is absent');
  });

  it('from: the From user, or P-Asserted-Identity when present', () => {
    const t = table(`
rules:
  - name: uk
    from: { pattern: "+44*", e164: true }
    agent: busy
  - default: true
    name: other
    agent: echo
`);
    expect(matchRoute(t, call({ requestUri: 'sip:1@h', from: '<sip:00447700900123@c>;tag=1' })).rule?.name).toBe('uk');
    expect(
      matchRoute(t, call({ requestUri: 'sip:1@h', from: '<sip:anonymous@c>', headers: [['P-Asserted-Identity', '<sip:+447700900123@c>']] })).rule?.name,
    ).toBe('uk');
    expect(matchRoute(t, call({ requestUri: 'sip:1@h', from: '<sip:+14155550100@c>' })).rule?.name).toBe('other');
  });

  it('source: IPv4/IPv6 addresses and CIDRs, and a profile through the lookup', () => {
    const profiles: ProfileLookup = { sourceAddresses: (n) => (n === 'twilio' ? ['54.172.60.0/30'] : undefined) };
    const t = table(
      `
rules:
  - name: two
    source: 127.0.0.2
    agent: busy
  - name: nets
    source: ["10.0.0.0/8", "2001:db8::/32"]
    agent: ring
  - name: carrier
    source: profile:twilio
    agent: unavailable
  - default: true
    name: other
    agent: echo
`,
      profiles,
    );
    const from = (source: string) => matchRoute(t, call({ requestUri: 'sip:1@h', source })).rule?.name;
    expect(from('127.0.0.2')).toBe('two');
    expect(from('::ffff:127.0.0.2')).toBe('two');
    expect(from('127.0.0.3')).toBe('other');
    expect(from('10.1.2.3')).toBe('nets');
    expect(from('2001:db8::5')).toBe('nets');
    expect(from('54.172.60.2')).toBe('carrier');
    expect(from('54.172.60.9')).toBe('other');
    expect(() => table('rules:\n  - name: x\n    source: profile:nope\n    agent: busy\n', profiles)).toThrow(/unknown profile "nope"/);
  });

  it('transport', () => {
    const t = table('rules:\n  - name: tls\n    transport: [tls, tcp]\n    agent: busy\n  - name: d\n    default: true\n    agent: echo\n');
    expect(matchRoute(t, call({ requestUri: 'sip:1@h', transport: 'tcp' })).rule?.name).toBe('tls');
    expect(matchRoute(t, call({ requestUri: 'sip:1@h', transport: 'udp' })).rule?.name).toBe('d');
  });

  it('time: weekday hours in a named zone with a fixed clock, spans across midnight', () => {
    const t = table(`
rules:
  - name: night
    time: { zone: Asia/Tokyo, hours: "22:00-06:00", days: [fri] }
    agent: ring
  - name: office
    time: { zone: America/New_York, days: mon-fri, hours: "09:00-17:00" }
    agent: echo
  - name: closed
    default: true
    agent: unavailable
`);
    const at = (iso: string) => matchRoute(t, call({ requestUri: 'sip:1@h', now: new Date(iso) })).rule?.name;
    expect(at('2026-12-07T14:30:00Z')).toBe('office'); // Mon 09:30 in New York (EST, UTC-5); Mon 23:30 Tokyo
    expect(at('2026-12-07T13:59:00Z')).toBe('closed'); // Mon 08:59
    expect(at('2026-12-07T22:00:00Z')).toBe('closed'); // Mon 17:00: the end is exclusive
    expect(at('2026-12-12T15:00:00Z')).toBe('closed'); // Sat 10:00
    expect(at('2026-12-11T13:00:00Z')).toBe('night'); // Fri 22:00 Tokyo
    expect(at('2026-12-11T20:30:00Z')).toBe('night'); // Sat 05:30 Tokyo: the morning after a Friday
    expect(at('2026-12-11T21:00:00Z')).toBe('office'); // Sat 06:00 Tokyo (over), Fri 16:00 New York
    expect(at('2026-12-12T20:00:00Z')).toBe('closed'); // Sun 05:00 Tokyo follows a Saturday
    const miss = matchRoute(t, call({ requestUri: 'sip:1@h', now: new Date('2026-12-12T15:00:00Z') })).misses[1]!;
    expect(miss.why).toBe('time sat 10:00 America/New_York is outside mon-fri 09:00-17:00 America/New_York');
  });

  it('all conditions of a rule must hold; order decides; the default catches the rest', () => {
    const t = table(`
rules:
  - name: sales-from-two
    did: "+1415*"
    source: 127.0.0.2
    agent: busy
  - name: sales
    did: "+1415*"
    agent: ring
  - name: last
    default: true
    agent: echo
`);
    const r = (src: string, ruri: string) => matchRoute(t, call({ requestUri: ruri, source: src }));
    expect(r('127.0.0.2', 'sip:+14155550100@h').rule?.name).toBe('sales-from-two');
    const m = r('127.0.0.3', 'sip:+14155550100@h');
    expect(m.rule?.name).toBe('sales');
    expect(m.matched).toEqual([{ field: 'did', value: '+14155550100', pattern: '+1415*' }]);
    expect(m.misses).toEqual([{ rule: 'sales-from-two', field: 'source', why: 'source 127.0.0.3 is not in 127.0.0.2' }]);
    expect(r('127.0.0.2', 'sip:+3312@h').rule?.name).toBe('last');
  });
});
