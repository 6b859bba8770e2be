/**
 * The concrete local address to advertise (Via sent-by, Contact) when a socket is bound to a
 * wildcard address: loopback for loopback peers, else the interface on the peer's subnet, else
 * the first external interface of the family (RFC 3261 §18.1.1: sent-by is an address the
 * peer can reach).
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { Endpoint } from './types.ts';
import { familyOf, isLoopback, isWildcard, normalizeAddress, type Family } from './ip.ts';

/** A bound socket and which remote addresses it can send to. */
export interface Reachable {
  local: Endpoint;
  reach(address: string): boolean;
}

/** Among sockets that reach `remote`, prefer one of matching scope (loopback or not). */
export function pickListener<T extends Reachable>(list: T[], remote?: string): T | undefined {
  if (remote === undefined) return list.find((l) => familyOf(l.local.address) !== 6) ?? list[0];
  const usable = list.filter((l) => l.reach(remote));
  const loop = isLoopback(remote);
  return (
    usable.find((l) => !isWildcard(l.local.address) && isLoopback(l.local.address) === loop) ??
    usable.find((l) => isWildcard(l.local.address)) ??
    usable[0]
  );
}

/** What a stream listener reaches: its family, plus IPv4 when it is a dual-stack `::`. */
export function streamReach(local: Endpoint, ipv6Only: boolean): (address: string) => boolean {
  const fl = familyOf(local.address) || 4;
  const dual = normalizeAddress(local.address) === '::' && !ipv6Only;
  return (a) => {
    const fa = familyOf(a) || 4; // a host name is resolved as IPv4 by default
    return fa === fl || (fa === 4 && dual);
  };
}

/** The bound endpoint with a wildcard address replaced by a concrete one for `remoteAddress`. */
export function concreteEndpoint(local: Endpoint, remoteAddress?: string): Endpoint {
  const fr = remoteAddress === undefined ? 0 : familyOf(remoteAddress);
  const fam: Family = fr !== 0 ? fr : familyOf(local.address) || 4;
  return { address: concreteLocalAddress(local.address, fam, remoteAddress), port: local.port };
}

export function concreteLocalAddress(bound: string, family: Family, remoteAddress?: string): string {
  if (!isWildcard(bound)) return normalizeAddress(bound);
  const loopback = family === 6 ? '::1' : '127.0.0.1';
  if (remoteAddress === undefined || isLoopback(remoteAddress)) {
    return remoteAddress === undefined ? (firstExternal(family) ?? loopback) : loopback;
  }
  return onSubnet(family, remoteAddress) ?? firstExternal(family) ?? loopback;
}

function interfaces(family: Family): NetworkInterfaceInfo[] {
  const out: NetworkInterfaceInfo[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if ((i.family === 'IPv4' ? 4 : 6) === family) out.push(i);
  }
  return out;
}

function firstExternal(family: Family): string | undefined {
  // Link-local IPv6 (fe80::/10) needs a zone and is a poor sent-by; prefer global addresses.
  const ext = interfaces(family).filter((i) => !i.internal && !/^fe[89ab]/i.test(i.address));
  return ext[0]?.address;
}

function onSubnet(family: Family, remote: string): string | undefined {
  if (familyOf(remote) !== family) return undefined;
  const r = toBytes(normalizeAddress(remote));
  if (!r) return undefined;
  for (const i of interfaces(family)) {
    if (i.internal) continue;
    const a = toBytes(i.address);
    const m = toBytes(i.netmask);
    if (!a || !m || a.length !== r.length) continue;
    let same = true;
    for (let k = 0; k < a.length && same; k++) same = (a[k]! & m[k]!) === (r[k]! & m[k]!);
    if (same) return i.address;
  }
  return undefined;
}

function toBytes(address: string): number[] | undefined {
  if (familyOf(address) === 4) return address.split('.').map(Number);
  if (familyOf(address) !== 6) return undefined;
  const [head, tail] = address.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    out.push((v >> 8) & 0xff, v & 0xff);
  }
  return out.length === 16 ? out : undefined;
}
