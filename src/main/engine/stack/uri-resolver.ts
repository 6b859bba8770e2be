/**
 * Turns a SIP URI into destinations for the UA: IP literals directly, names through RFC 3263
 * (NAPTR → SRV → A/AAAA) on the configured DNS servers; "localhost" without DNS.
 */
import { resolveSipTargets } from '../../sip/dns/resolve-sip-targets.ts';
import { NodeDnsPort } from '../../sip/dns/node-dns.ts';
import type { DnsPort } from '../../sip/dns/types.ts';
import { parseUri } from '../../sip/syntax/uri.ts';
import type { Destination, TransportProto } from '../../sip/transport/types.ts';
import type { UriResolver } from '../../sip/ua/types.ts';

export interface ResolverOptions {
  dnsServers?: string[];
  dns?: DnsPort;
  /** Transports we have listeners/clients for. */
  supported: TransportProto[];
}

export function createUriResolver(o: ResolverOptions): UriResolver {
  const dns = o.dns ?? new NodeDnsPort({ servers: o.dnsServers });
  return async (text: string, defaultProto: TransportProto): Promise<Destination[]> => {
    const uri = parseUri(text);
    const param = uri.params['transport']?.toLowerCase();
    const secure = uri.scheme.toLowerCase() === 'sips';
    let transport: TransportProto | undefined;
    if (param === 'udp' || param === 'tcp' || param === 'tls') transport = param;
    else if (param !== undefined) throw new Error(`unsupported transport "${param}" in ${text}`);
    const host = uri.params['maddr'] ?? uri.host;
    if (host.toLowerCase() === 'localhost') {
      const proto = transport ?? (secure ? 'tls' : defaultProto);
      return [{ proto, remote: { address: '127.0.0.1', port: uri.port ?? (proto === 'tls' ? 5061 : 5060) } }];
    }
    // With no transport named, the user's chosen default applies to literals and A records
    // (RFC 3263 §4.1 says UDP; a trunk tester honours --transport instead).
    const targets = await resolveSipTargets(
      { host, port: uri.port, transport: transport ?? (isLiteral(host) || uri.port ? defaultProto : undefined), secure },
      { dns, supported: o.supported },
    );
    return targets.map((t) => ({ proto: t.proto, remote: { address: t.address, port: t.port } }));
  };
}

function isLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
