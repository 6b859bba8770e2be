/** IP address helpers shared by the transport adapters (pure; node:net only for isIP). */
import { isIP } from 'node:net';

export type Family = 4 | 6;

/**
 * Canonical text of an address: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket
 * reports) becomes plain IPv4, brackets are dropped and IPv6 is compressed as RFC 5952 §4 says
 * (via the WHATWG URL host parser), so two spellings of one address compare equal.
 * Host names are returned lower-cased.
 */
export function normalizeAddress(address: string): string {
  // Every datagram and every send asks about the same few addresses: remembered (bounded).
  let n = normalized.get(address);
  if (n === undefined) {
    n = normalizeUncached(address);
    if (normalized.size >= MAX_REMEMBERED) normalized.clear();
    normalized.set(address, n);
  }
  return n;
}

const normalized = new Map<string, string>();
const families = new Map<string, 0 | Family>();
const MAX_REMEMBERED = 256;

function normalizeUncached(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (isIP(zone < 0 ? a : a.slice(0, zone)) !== 6) return a.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1]!;
  if (zone >= 0) return a.toLowerCase();
  try {
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return a.toLowerCase();
  }
}

/** 4 or 6 for an IP literal, 0 for a host name. */
export function familyOf(address: string): 0 | Family {
  let f = families.get(address);
  if (f === undefined) {
    const a = normalizeAddress(address);
    const zone = a.indexOf('%');
    f = isIP(zone < 0 ? a : a.slice(0, zone)) as 0 | Family;
    if (families.size >= MAX_REMEMBERED) families.clear();
    families.set(address, f);
  }
  return f;
}

export function isWildcard(address: string): boolean {
  const a = normalizeAddress(address);
  return a === '0.0.0.0' || a === '::';
}

export function isLoopback(address: string): boolean {
  const a = normalizeAddress(address);
  return a === '::1' || /^127\./.test(a) || a === 'localhost';
}

export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/** `host:port` with IPv6 in brackets (RFC 3261 §19.1.1 / RFC 5118 §4.1). */
export function hostPort(address: string, port: number): string {
  return `${familyOf(address) === 6 ? `[${address}]` : address}:${port}`;
}
