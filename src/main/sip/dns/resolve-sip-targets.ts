/**
 * RFC 3263 §4: from a SIP/SIPS URI to an ordered list of (transport, address, port) targets.
 *
 * §4.1 transport:  explicit transport param > numeric host (UDP, TLS for sips) > port given
 *                  (UDP, TLS for sips) > NAPTR > SRV per transport > A/AAAA (UDP, TLS for sips).
 * §4.2 port/addr:  port from the URI, else from SRV, else 5060 (5061 for TLS).
 * §4.3 failover:   the caller walks the list on timeout, transport error or 503; see
 *                  target-iterator.ts.
 * RFC 2782 orders each SRV RRset (srv-order.ts). Lookup failures other than NODATA/NXDOMAIN are
 * recorded (onLookup) and treated as "no records"; if nothing is left, SipDnsError lists them.
 */
import type { TransportProto } from '../transport/types.ts';
import { orderSrv, type RandomFn } from './srv-order.ts';
import type { DnsLookup, DnsPort, NaptrRecord, SipTarget, SipUriLocation } from './types.ts';

export interface ResolveOptions {
  dns: DnsPort;
  /** Transports this UA can use, default all three. Others are skipped (RFC 3263 §4.1). */
  supported?: readonly TransportProto[];
  /** RFC 2782 weighted selection; default Math.random. */
  random?: RandomFn;
  /** Address families to look up, in preference order; default [4, 6]. */
  families?: readonly (4 | 6)[];
  /** Called for every DNS query, for the trace. */
  onLookup?: (lookup: DnsLookup) => void;
}

export class SipDnsError extends Error {
  readonly lookups: DnsLookup[];
  constructor(message: string, lookups: DnsLookup[]) {
    super(message);
    this.name = 'SipDnsError';
    this.lookups = lookups;
  }
}

const ALL: readonly TransportProto[] = ['udp', 'tcp', 'tls'];

/** RFC 3263 §4.1 NAPTR service field → transport (RFC 3263 §9 registrations). */
const NAPTR_SERVICES: Record<string, TransportProto> = {
  'sip+d2u': 'udp',
  'sip+d2t': 'tcp',
  'sips+d2t': 'tls',
};

/** RFC 3263 §4.1 SRV owner-name prefixes: "_sips" for TLS, "_sip" otherwise. */
const SRV_PREFIX: Record<TransportProto, string> = {
  udp: '_sip._udp.',
  tcp: '_sip._tcp.',
  tls: '_sips._tcp.',
};

/** RFC 3261 §19.1.2: 5060 for UDP/TCP, 5061 for TLS. */
export function defaultPort(proto: TransportProto): number {
  return proto === 'tls' ? 5061 : 5060;
}

export function ipFamily(host: string): 4 | 6 | undefined {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host))
    return 4;
  if (host.includes(':') && /^[0-9a-fA-F:.]+(%[\w.-]+)?$/.test(host)) return 6;
  return undefined;
}

export async function resolveSipTargets(
  uri: SipUriLocation,
  opts: ResolveOptions,
): Promise<SipTarget[]> {
  const lookups: DnsLookup[] = [];
  const r = new Run(opts, lookups);
  const targets = dedupe(await r.resolve(uri));
  if (targets.length === 0) {
    const failed = lookups.filter((l) => l.error).map((l) => `${l.type} ${l.name}: ${l.error}`);
    const detail = failed.length > 0 ? ` (failed: ${failed.join('; ')})` : '';
    throw new SipDnsError(`no SIP targets found for ${uri.host}${detail}`, lookups);
  }
  return targets;
}

function dedupe(ts: SipTarget[]): SipTarget[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = `${t.proto}|${t.address}|${t.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

class Run {
  private readonly dns: DnsPort;
  private readonly supported: readonly TransportProto[];
  private readonly random: RandomFn;
  private readonly families: readonly (4 | 6)[];
  private readonly addrCache = new Map<string, Promise<{ address: string; family: 4 | 6 }[]>>();
  private readonly opts: ResolveOptions;
  private readonly lookups: DnsLookup[];

  constructor(opts: ResolveOptions, lookups: DnsLookup[]) {
    this.opts = opts;
    this.lookups = lookups;
    this.dns = opts.dns;
    this.supported = opts.supported ?? ALL;
    this.random = opts.random ?? Math.random;
    this.families = opts.families ?? [4, 6];
  }

  async resolve(uri: SipUriLocation): Promise<SipTarget[]> {
    const secure = uri.secure === true;
    const host = uri.host.trim().replace(/^\[(.*)\]$/, '$1');
    if (host === '') throw new Error('SIP URI has no host');
    // Transports usable for this URI: a SIPS URI needs TLS (RFC 3261 §26.2.2).
    const usable = this.supported.filter((p) => !secure || p === 'tls');
    if (usable.length === 0) {
      throw new Error(
        `no supported transport for a ${secure ? 'sips' : 'sip'} URI (supported: ${this.supported.join(', ')})`,
      );
    }
    const explicit =
      uri.transport === undefined ? undefined : this.explicitProto(uri.transport, secure);
    // Without NAPTR/SRV: UDP for SIP, TLS for SIPS (RFC 3263 §4.1); TCP if this UA has no UDP.
    const fallback =
      explicit ??
      (secure ? 'tls' : (['udp', 'tcp', 'tls'] as const).find((p) => usable.includes(p)));
    if (fallback === undefined) throw new Error('no usable transport');

    const family = ipFamily(host);
    if (family !== undefined) {
      // RFC 3263 §4.1/§4.2: numeric IP — no DNS; port from the URI or the default.
      const port = uri.port ?? defaultPort(fallback);
      return [{ proto: fallback, address: host, port, host, family, source: 'literal' }];
    }
    if (uri.port !== undefined) {
      // RFC 3263 §4.2: a port in the URI means A/AAAA only.
      return this.addresses(host, fallback, uri.port, 'a');
    }
    if (explicit !== undefined) {
      // RFC 3263 §4.2: transport given, no port — SRV for that transport only, then A/AAAA.
      const viaSrv = await this.srvTargets(SRV_PREFIX[explicit] + host, explicit, 'srv');
      if (viaSrv.found) return viaSrv.targets;
      return this.addresses(host, explicit, defaultPort(explicit), 'a');
    }

    // NAPTR records are all kept in order/preference order (not only the lowest ORDER) so the UA
    // can fail over across transports. When NAPTR leads nowhere usable (no record for a supported
    // transport, or its SRV names are empty) we fall through to plain SRV queries.
    const viaNaptr = await this.naptrTargets(host, usable);
    if (viaNaptr.length > 0) return viaNaptr;

    // RFC 3263 §4.1: "If no NAPTR records are found, the client constructs SRV queries for those
    // transport protocols it supports" — preference here: UDP, TCP, then TLS.
    const order = (['udp', 'tcp', 'tls'] as const).filter((p) => usable.includes(p));
    const results = await Promise.all(
      order.map((p) => this.srvTargets(SRV_PREFIX[p] + host, p, 'srv')),
    );
    if (results.some((x) => x.found)) return results.flatMap((x) => x.targets);

    // RFC 3263 §4.2: no SRV records — A/AAAA on the host with the default port.
    return this.addresses(host, fallback, defaultPort(fallback), 'a');
  }

  private explicitProto(t: TransportProto, secure: boolean): TransportProto {
    // RFC 3261 §26.2.2 / RFC 3263 §4.1: sips with transport=tcp means TLS over TCP.
    const p: TransportProto = secure && t === 'tcp' ? 'tls' : t;
    if (secure && p === 'udp')
      throw new Error('a sips URI cannot use transport=udp (RFC 3261 §26.2.2)');
    if (!this.supported.includes(p)) throw new Error(`transport ${p} is not supported by this UA`);
    return p;
  }

  /** RFC 3263 §4.1: NAPTR with "S" flag and a SIP service, sorted by order then preference. */
  private async naptrTargets(
    host: string,
    usable: readonly TransportProto[],
  ): Promise<SipTarget[]> {
    const records = await this.query('NAPTR', host, () => this.dns.resolveNaptr(host));
    const picked = records
      .filter((r) => r.flags.toLowerCase() === 's')
      .map((r) => ({ r, proto: NAPTR_SERVICES[r.service.toLowerCase()] }))
      .filter(
        (x): x is { r: NaptrRecord; proto: TransportProto } =>
          x.proto !== undefined && usable.includes(x.proto),
      )
      .sort((a, b) => a.r.order - b.r.order || a.r.preference - b.r.preference);
    const out: SipTarget[] = [];
    for (const { r, proto } of picked) {
      const name = r.replacement.replace(/\.$/, '');
      if (name === '') continue;
      out.push(...(await this.srvTargets(name, proto, 'naptr')).targets);
    }
    return out;
  }

  /** SRV RRset → RFC 2782 order → addresses. `found` = the RRset existed (even if only "."). */
  private async srvTargets(
    name: string,
    proto: TransportProto,
    source: SipTarget['source'],
  ): Promise<{ found: boolean; targets: SipTarget[] }> {
    const records = await this.query('SRV', name, () => this.dns.resolveSrv(name));
    const targets: SipTarget[] = [];
    for (const s of orderSrv(records, this.random)) {
      targets.push(...(await this.addresses(s.name.replace(/\.$/, ''), proto, s.port, source)));
    }
    return { found: records.length > 0, targets };
  }

  private async addresses(
    host: string,
    proto: TransportProto,
    port: number,
    source: SipTarget['source'],
  ): Promise<SipTarget[]> {
    let p = this.addrCache.get(host);
    if (!p) {
      p = Promise.all(
        this.families.map(async (f) => {
          const list =
            f === 4
              ? await this.query('A', host, () => this.dns.resolve4(host))
              : await this.query('AAAA', host, () => this.dns.resolve6(host));
          return list.map((address) => ({ address, family: f }));
        }),
      ).then((lists) => lists.flat());
      this.addrCache.set(host, p);
    }
    return (await p).map((a) => ({
      proto,
      address: a.address,
      port,
      host,
      family: a.family,
      source,
    }));
  }

  private async query<T>(
    type: DnsLookup['type'],
    name: string,
    fn: () => Promise<T[]>,
  ): Promise<T[]> {
    let entry: DnsLookup;
    let out: T[] = [];
    try {
      out = await fn();
      entry = { type, name, count: out.length };
    } catch (e) {
      entry = { type, name, error: (e as Error).message };
    }
    this.lookups.push(entry);
    this.opts.onLookup?.(entry);
    return out;
  }
}
