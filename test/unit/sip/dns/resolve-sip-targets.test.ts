import { describe, expect, it } from 'vitest';
import {
  resolveSipTargets,
  SipDnsError,
} from '../../../../src/main/sip/dns/resolve-sip-targets.ts';
import { seededRandom } from '../../../../src/shared/seeded-random.ts';
import type { DnsLookup, SipTarget } from '../../../../src/main/sip/dns/types.ts';
import { FakeDns, naptr, srv } from './fake-dns.ts';

const brief = (ts: SipTarget[]) => ts.map((t) => `${t.proto} ${t.address}:${t.port} ${t.source}`);

describe('resolveSipTargets — RFC 3263 §4.1 without DNS', () => {
  it('IPv4 literal → UDP 5060, no queries', async () => {
    const dns = new FakeDns();
    const ts = await resolveSipTargets({ host: '192.0.2.10' }, { dns });
    expect(ts).toEqual([
      {
        proto: 'udp',
        address: '192.0.2.10',
        port: 5060,
        host: '192.0.2.10',
        family: 4,
        source: 'literal',
      },
    ]);
    expect(dns.queries).toEqual([]);
  });

  it('IPv6 literal in brackets with a port', async () => {
    const ts = await resolveSipTargets(
      { host: '[2001:db8::1]', port: 5080 },
      { dns: new FakeDns() },
    );
    expect(ts).toEqual([
      {
        proto: 'udp',
        address: '2001:db8::1',
        port: 5080,
        host: '2001:db8::1',
        family: 6,
        source: 'literal',
      },
    ]);
  });

  it('sips literal → TLS 5061; explicit transport wins; sips;transport=tcp → TLS', async () => {
    const dns = new FakeDns();
    expect(brief(await resolveSipTargets({ host: '192.0.2.1', secure: true }, { dns }))).toEqual([
      'tls 192.0.2.1:5061 literal',
    ]);
    expect(
      brief(await resolveSipTargets({ host: '192.0.2.1', transport: 'tcp' }, { dns })),
    ).toEqual(['tcp 192.0.2.1:5060 literal']);
    expect(
      brief(
        await resolveSipTargets({ host: '192.0.2.1', transport: 'tcp', secure: true }, { dns }),
      ),
    ).toEqual(['tls 192.0.2.1:5061 literal']);
  });

  it('uses TCP for a literal when the UA has no UDP', async () => {
    const ts = await resolveSipTargets(
      { host: '192.0.2.1' },
      { dns: new FakeDns(), supported: ['tcp', 'tls'] },
    );
    expect(brief(ts)).toEqual(['tcp 192.0.2.1:5060 literal']);
  });

  it('rejects impossible combinations with clear errors', async () => {
    const dns = new FakeDns();
    await expect(
      resolveSipTargets({ host: 'a.example', transport: 'udp', secure: true }, { dns }),
    ).rejects.toThrow(/sips.*udp/);
    await expect(
      resolveSipTargets({ host: 'a.example', transport: 'tls' }, { dns, supported: ['udp'] }),
    ).rejects.toThrow(/tls is not supported/);
    await expect(
      resolveSipTargets({ host: 'a.example', secure: true }, { dns, supported: ['udp', 'tcp'] }),
    ).rejects.toThrow(/no supported transport for a sips URI/);
  });
});

describe('resolveSipTargets — DNS', () => {
  it('port given → A then AAAA only, UDP, source a', async () => {
    const dns = new FakeDns();
    dns.a['pbx.example'] = ['192.0.2.5'];
    dns.aaaa['pbx.example'] = ['2001:db8::5'];
    const ts = await resolveSipTargets({ host: 'pbx.example', port: 5070 }, { dns });
    expect(ts.map((t) => `${t.proto} ${t.address}:${t.port} v${t.family} ${t.source}`)).toEqual([
      'udp 192.0.2.5:5070 v4 a',
      'udp 2001:db8::5:5070 v6 a',
    ]);
    expect(dns.queries.sort()).toEqual(['A pbx.example', 'AAAA pbx.example']);
  });

  it('explicit transport, no port → SRV for that transport, then A fallback', async () => {
    const dns = new FakeDns();
    dns.srv['_sip._tcp.carrier.example'] = [srv('edge1.carrier.example', 5080)];
    dns.a['edge1.carrier.example'] = ['192.0.2.21'];
    dns.a['carrier.example'] = ['192.0.2.99'];
    expect(
      brief(await resolveSipTargets({ host: 'carrier.example', transport: 'tcp' }, { dns })),
    ).toEqual(['tcp 192.0.2.21:5080 srv']);
    expect(dns.queries).not.toContain('NAPTR carrier.example');
    expect(
      brief(await resolveSipTargets({ host: 'carrier.example', transport: 'tls' }, { dns })),
    ).toEqual(['tls 192.0.2.99:5061 a']);
    expect(dns.queries).toContain('SRV _sips._tcp.carrier.example');
  });

  function naptrZone(): FakeDns {
    const dns = new FakeDns();
    dns.naptr['example.com'] = [
      naptr(20, 10, 'SIPS+D2T', '_sips._tcp.example.com'),
      naptr(10, 50, 'SIP+D2T', '_sip._tcp.example.com.'),
      naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com'),
      naptr(5, 10, 'SIP+D2S', '_sip._sctp.example.com'), // SCTP: unsupported
      naptr(1, 10, 'SIP+D2U', 'ignored.example.com', 'a'), // not an "S" record
    ];
    dns.srv['_sip._udp.example.com'] = [srv('udp1.example.com', 5060)];
    dns.srv['_sip._tcp.example.com'] = [srv('tcp1.example.com', 5060)];
    dns.srv['_sips._tcp.example.com'] = [srv('tls1.example.com', 5061)];
    dns.srv['_sip._sctp.example.com'] = [srv('sctp.example.com', 5060)];
    dns.a['udp1.example.com'] = ['192.0.2.1'];
    dns.a['tcp1.example.com'] = ['192.0.2.2'];
    dns.a['tls1.example.com'] = ['192.0.2.3'];
    dns.aaaa['tls1.example.com'] = ['2001:db8::3'];
    return dns;
  }

  it('NAPTR: order then preference, only S records of supported SIP services', async () => {
    const ts = await resolveSipTargets({ host: 'example.com' }, { dns: naptrZone() });
    expect(brief(ts)).toEqual([
      'udp 192.0.2.1:5060 naptr',
      'tcp 192.0.2.2:5060 naptr',
      'tls 192.0.2.3:5061 naptr',
      'tls 2001:db8::3:5061 naptr',
    ]);
    expect(ts[0]?.host).toBe('udp1.example.com');
  });

  it('NAPTR with a transport filter and for sips', async () => {
    expect(
      brief(
        await resolveSipTargets(
          { host: 'example.com' },
          { dns: naptrZone(), supported: ['tcp', 'tls'], families: [4] },
        ),
      ),
    ).toEqual(['tcp 192.0.2.2:5060 naptr', 'tls 192.0.2.3:5061 naptr']);
    expect(
      brief(
        await resolveSipTargets(
          { host: 'example.com', secure: true },
          { dns: naptrZone(), families: [6, 4] },
        ),
      ),
    ).toEqual(['tls 2001:db8::3:5061 naptr', 'tls 192.0.2.3:5061 naptr']);
  });

  it('NAPTR with no usable record falls through to SRV queries', async () => {
    const dns = new FakeDns();
    dns.naptr['odd.example'] = [
      naptr(10, 10, 'SIP+D2S', '_sip._sctp.odd.example'),
      naptr(10, 20, 'E2U+sip', 'x.odd.example'),
    ];
    dns.srv['_sip._tcp.odd.example'] = [srv('t.odd.example', 5065)];
    dns.a['t.odd.example'] = ['192.0.2.65'];
    expect(brief(await resolveSipTargets({ host: 'odd.example' }, { dns }))).toEqual([
      'tcp 192.0.2.65:5065 srv',
    ]);
    expect(dns.queries).not.toContain('SRV _sip._sctp.odd.example');
  });

  it('no NAPTR → SRV for _sip._udp, _sip._tcp, _sips._tcp; priorities inside each', async () => {
    const dns = new FakeDns();
    dns.srv['_sip._tcp.trunk.example'] = [
      srv('b.trunk.example', 5060, 20),
      srv('a.trunk.example', 5060, 10),
    ];
    dns.srv['_sips._tcp.trunk.example'] = [srv('a.trunk.example', 5061, 10)];
    dns.a['a.trunk.example'] = ['192.0.2.10'];
    dns.a['b.trunk.example'] = ['192.0.2.11'];
    const ts = await resolveSipTargets({ host: 'trunk.example' }, { dns });
    expect(brief(ts)).toEqual([
      'tcp 192.0.2.10:5060 srv',
      'tcp 192.0.2.11:5060 srv',
      'tls 192.0.2.10:5061 srv',
    ]);
    expect(dns.queries).toContain('SRV _sip._udp.trunk.example');
    // a.trunk.example looked up once although two SRV records name it
    expect(dns.queries.filter((q) => q === 'A a.trunk.example')).toHaveLength(1);
  });

  it('no NAPTR, no SRV → A/AAAA on the default port (UDP 5060; TLS 5061 for sips)', async () => {
    const dns = new FakeDns();
    dns.a['plain.example'] = ['192.0.2.50'];
    expect(brief(await resolveSipTargets({ host: 'plain.example' }, { dns }))).toEqual([
      'udp 192.0.2.50:5060 a',
    ]);
    expect(
      brief(await resolveSipTargets({ host: 'plain.example', secure: true }, { dns })),
    ).toEqual(['tls 192.0.2.50:5061 a']);
  });

  it('weighted SRV order is reproducible with a seeded random', async () => {
    const dns = new FakeDns();
    dns.srv['_sip._udp.w.example'] = [
      srv('x.w.example', 5060, 10, 10),
      srv('y.w.example', 5060, 10, 20),
      srv('z.w.example', 5060, 10, 70),
    ];
    dns.a['x.w.example'] = ['192.0.2.1'];
    dns.a['y.w.example'] = ['192.0.2.2'];
    dns.a['z.w.example'] = ['192.0.2.3'];
    const run = async (seed: number) =>
      (
        await resolveSipTargets(
          { host: 'w.example' },
          { dns, supported: ['udp'], random: seededRandom(seed) },
        )
      ).map((t) => t.host);
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['x.w.example', 'y.w.example', 'z.w.example']));
    const starts = new Set<string>();
    for (let s = 0; s < 40; s++) starts.add((await run(s))[0] ?? '');
    expect(starts.size).toBeGreaterThan(1); // the weights really randomise the first choice
  });

  it('an SRV RRset of only "." means not available: no A fallback, clear error', async () => {
    const dns = new FakeDns();
    dns.srv['_sip._udp.none.example'] = [srv('', 0, 0)];
    dns.a['none.example'] = ['192.0.2.1'];
    await expect(resolveSipTargets({ host: 'none.example' }, { dns })).rejects.toBeInstanceOf(
      SipDnsError,
    );
    expect(dns.queries).not.toContain('A none.example');
  });

  it('failed lookups are recorded, skipped, and listed when nothing is left', async () => {
    const dns = new FakeDns();
    dns.fail.add('NAPTR flaky.example');
    dns.srv['_sip._udp.flaky.example'] = [srv('s.flaky.example', 5060)];
    dns.a['s.flaky.example'] = ['192.0.2.7'];
    const seen: DnsLookup[] = [];
    const ts = await resolveSipTargets(
      { host: 'flaky.example' },
      { dns, onLookup: (l) => seen.push(l) },
    );
    expect(brief(ts)).toEqual(['udp 192.0.2.7:5060 srv']);
    expect(seen.find((l) => l.type === 'NAPTR')?.error).toMatch(/ETIMEOUT/);
    expect(seen.find((l) => l.type === 'A')).toEqual({
      type: 'A',
      name: 's.flaky.example',
      count: 1,
    });

    const down = new FakeDns();
    for (const q of ['A down.example', 'AAAA down.example']) down.fail.add(q);
    const err = await resolveSipTargets({ host: 'down.example', port: 5060 }, { dns: down }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SipDnsError);
    expect((err as SipDnsError).message).toMatch(
      /no SIP targets found for down.example.*A down.example: .*ETIMEOUT/,
    );
    expect((err as SipDnsError).lookups).toHaveLength(2);
  });

  it('drops duplicate targets', async () => {
    const dns = new FakeDns();
    dns.srv['_sip._udp.dup.example'] = [
      srv('h.dup.example', 5060, 10),
      srv('h.dup.example', 5060, 20),
    ];
    dns.a['h.dup.example'] = ['192.0.2.8'];
    expect(brief(await resolveSipTargets({ host: 'dup.example' }, { dns }))).toEqual([
      'udp 192.0.2.8:5060 srv',
    ]);
  });
});
