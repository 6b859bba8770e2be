/**
 * Lists of IP addresses and CIDR blocks, v4 and v6 (`--allow-from`, a profile's
 * `inbound.allowFrom`): parsed once, matched per request. IPv4-mapped IPv6 sources
 * (::ffff:192.0.2.1, as a dual-stack socket reports them) match the IPv4 entries.
 */
import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

export interface IpList {
  readonly entries: string[];
  has(address: string): boolean;
}

/** Parse one address; undefined when it is not a plain dotted-quad IPv4 or an IPv6 address. */
function parseAddr(text: string): Addr | undefined {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
  if (ipaddr.IPv6.isValid(t)) {
    const v6 = ipaddr.IPv6.parse(t);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return undefined;
}

/** Why an entry is not an address or block, or undefined when it is one. */
export function ipEntryError(entry: string): string | undefined {
  const [addr, bits, extra] = entry.trim().split('/');
  if (extra !== undefined || addr === undefined) return `"${entry}" is not an IP address or CIDR block`;
  const a = parseAddr(addr);
  if (!a) return `"${entry}" is not an IP address or CIDR block`;
  if (bits !== undefined) {
    const max = a.kind() === 'ipv4' ? 32 : 128;
    if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}": prefix length must be 0..${max}`;
  }
  return undefined;
}

export function parseIpList(entries: string[]): IpList {
  const blocks: [Addr, number][] = [];
  for (const e of entries) {
    const err = ipEntryError(e);
    if (err) throw new Error(err);
    const [addr, bits] = e.trim().split('/');
    const a = parseAddr(addr!)!;
    blocks.push([a, bits === undefined ? (a.kind() === 'ipv4' ? 32 : 128) : Number(bits)]);
  }
  return {
    entries: entries.map((e) => e.trim()),
    has(address: string): boolean {
      const a = parseAddr(address);
      if (!a) return false;
      return blocks.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
    },
  };
}
