/**
 * End to end: RFC 3263 resolution through node:dns (c-ares) against a dns2 server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsPort } from '../../../src/main/sip/dns/node-dns.ts';
import { resolveSipTargets, SipDnsError } from '../../../src/main/sip/dns/resolve-sip-targets.ts';
import { seededRandom } from '../../../src/shared/seeded-random.ts';
import type { SipTarget } from '../../../src/main/sip/dns/types.ts';
import { startZoneServer, type RunningZone } from './zone-server.ts';

const naptr = (order: number, preference: number, service: string, replacement: string) => ({
  order,
  preference,
  flags: 'S',
  service,
  regexp: '',
  replacement,
});

let zone: RunningZone;
let dns: NodeDnsPort;

beforeAll(async () => {
  zone = await startZoneServer({
    naptr: {
      'trunk.test': [
        naptr(20, 10, 'SIPS+D2T', '_sips._tcp.trunk.test'),
        naptr(10, 20, 'SIP+D2T', '_sip._tcp.trunk.test'),
        naptr(10, 10, 'SIP+D2U', '_sip._udp.trunk.test'),
      ],
    },
    srv: {
      '_sip._udp.trunk.test': [
        { priority: 20, weight: 0, port: 5062, name: 'backup.trunk.test' },
        { priority: 10, weight: 100, port: 5060, name: 'edge1.trunk.test' },
      ],
      '_sip._tcp.trunk.test': [{ priority: 10, weight: 0, port: 5070, name: 'edge1.trunk.test' }],
      '_sips._tcp.trunk.test': [{ priority: 10, weight: 0, port: 5061, name: 'tls.trunk.test' }],
      '_sip._tcp.srvonly.test': [{ priority: 5, weight: 0, port: 5080, name: 'edge1.trunk.test' }],
    },
    a: {
      'edge1.trunk.test': ['127.0.0.11'],
      'backup.trunk.test': ['127.0.0.12'],
      'tls.trunk.test': ['127.0.0.14'],
      'plain.test': ['127.0.0.20'],
      'srvonly.test': ['127.0.0.99'],
    },
    aaaa: { 'tls.trunk.test': ['::1'] },
    silent: ['silent.test'],
  });
  dns = new NodeDnsPort({ servers: [`127.0.0.1:${zone.port}`], timeoutMs: 300, tries: 1 });
});

afterAll(async () => {
  dns?.cancel();
  await zone?.close();
});

const brief = (ts: SipTarget[]) =>
  ts.map((t) => `${t.proto} ${t.address}:${t.port} ${t.host} ${t.source}`);

describe('NodeDnsPort against a local zone', () => {
  it('decodes NAPTR, SRV, A and AAAA; NODATA and NXDOMAIN give []', async () => {
    const n = await dns.resolveNaptr('trunk.test');
    expect(n).toHaveLength(3);
    expect(n).toContainEqual({
      order: 10,
      preference: 10,
      flags: 'S',
      service: 'SIP+D2U',
      regexp: '',
      replacement: '_sip._udp.trunk.test',
    });
    expect(await dns.resolveSrv('_sip._tcp.trunk.test')).toEqual([
      { priority: 10, weight: 0, port: 5070, name: 'edge1.trunk.test' },
    ]);
    expect(await dns.resolve4('edge1.trunk.test')).toEqual(['127.0.0.11']);
    expect(await dns.resolve6('tls.trunk.test')).toEqual(['::1']);
    expect(await dns.resolve6('edge1.trunk.test')).toEqual([]); // NODATA
    expect(await dns.resolveNaptr('nowhere.test')).toEqual([]); // NXDOMAIN
  });

  it('rejects on timeout within the configured bound', async () => {
    const started = Date.now();
    await expect(dns.resolve4('silent.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('resolveSipTargets over node:dns', () => {
  it('NAPTR → SRV → A/AAAA in RFC 3263 order', async () => {
    const ts = await resolveSipTargets({ host: 'trunk.test' }, { dns, random: seededRandom(1) });
    expect(brief(ts)).toEqual([
      'udp 127.0.0.11:5060 edge1.trunk.test naptr',
      'udp 127.0.0.12:5062 backup.trunk.test naptr',
      'tcp 127.0.0.11:5070 edge1.trunk.test naptr',
      'tls 127.0.0.14:5061 tls.trunk.test naptr',
      'tls ::1:5061 tls.trunk.test naptr',
    ]);
    expect(zone.queries).toContain('35 trunk.test');
  });

  it('sips URI keeps only the SIPS+D2T branch', async () => {
    const ts = await resolveSipTargets(
      { host: 'trunk.test', secure: true },
      { dns, families: [4] },
    );
    expect(brief(ts)).toEqual(['tls 127.0.0.14:5061 tls.trunk.test naptr']);
  });

  it('no NAPTR → SRV; no SRV → A on 5060; a port → A only', async () => {
    expect(brief(await resolveSipTargets({ host: 'srvonly.test' }, { dns }))).toEqual([
      'tcp 127.0.0.11:5080 edge1.trunk.test srv',
    ]);
    expect(brief(await resolveSipTargets({ host: 'plain.test' }, { dns }))).toEqual([
      'udp 127.0.0.20:5060 plain.test a',
    ]);
    expect(brief(await resolveSipTargets({ host: 'srvonly.test', port: 5090 }, { dns }))).toEqual([
      'udp 127.0.0.99:5090 srvonly.test a',
    ]);
  });

  it('an unknown name ends in SipDnsError', async () => {
    await expect(resolveSipTargets({ host: 'nowhere.test' }, { dns })).rejects.toBeInstanceOf(
      SipDnsError,
    );
  });
});
