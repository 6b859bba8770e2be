/**
 * Address classification for the one-way-audio checks: which addresses cannot be reached from the
 * public Internet (RFC 1918 private, RFC 6598 shared CGN space, loopback, link-local, IPv6 ULA).
 */

import type { Endpoint } from '../../../shared/model/endpoint.ts';

export type { Endpoint };

function ipv4(a: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

/** Why `address` is not publicly routable, or null if it is (or is not an IP literal). */
export function nonPublicReason(address: string): string | null {
  const v4 = ipv4(address.startsWith('::ffff:') ? address.slice(7) : address);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
      return 'RFC 1918 private';
    if (a === 100 && b >= 64 && b <= 127) return 'RFC 6598 shared (carrier-grade NAT)';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 0) return 'unspecified';
    return null;
  }
  if (!address.includes(':')) return null;
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === '::1') return 'loopback';
  if (a === '::') return 'unspecified';
  if (/^f[cd][0-9a-f]{0,2}:/.test(a)) return 'IPv6 unique local (RFC 4193)';
  if (/^fe[89ab][0-9a-f]?:/.test(a)) return 'link-local';
  return null;
}

export function isPublicAddress(address: string): boolean {
  return nonPublicReason(address) === null && (ipv4(address) !== null || address.includes(':'));
}

export function formatEndpoint(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/^::ffff:/, '');
  return norm(a.address) === norm(b.address) && a.port === b.port;
}
