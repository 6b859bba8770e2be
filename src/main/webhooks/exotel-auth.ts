/**
 * Exotel callbacks carry no signature (developer.exotel.com webhooks pages): a platform
 * authenticates them by source IP (an allowlist; Exotel gives its ranges on request) and by a
 * per-phone secret `?token=` in the callback URL, compared in constant time.
 */
import { safeEqual } from './hmac.ts';
import type { TriedVariant, Verdict } from './types.ts';

export class AllowListError extends Error {}

interface AllowEntry {
  text: string;
  match(ip: string): boolean;
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is that IPv4 address. */
export function normaliseIp(ip: string): string {
  const t = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  return mapped ? mapped[1]! : t;
}

/**
 * An allowlist from a comma list of IPv4 addresses, IPv4 CIDR ranges and IPv6 addresses. An empty
 * list is valid and refuses everything.
 */
export function parseAllowList(text: string): AllowEntry[] {
  const out: AllowEntry[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(item);
    if (cidr) {
      const base = ipv4ToInt(cidr[1]!);
      const bits = Number(cidr[2]);
      if (base === undefined || bits > 32)
        throw new AllowListError(`allowlist: "${item}" is not an IPv4 range (a.b.c.d/0-32)`);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      out.push({
        text: item,
        match: (ip) => {
          const n = ipv4ToInt(ip);
          return n !== undefined && (n & mask) >>> 0 === (base & mask) >>> 0;
        },
      });
      continue;
    }
    const ip = normaliseIp(item);
    if (ipv4ToInt(ip) === undefined && !/^[0-9a-f:]+$/.test(ip))
      throw new AllowListError(`allowlist: "${item}" is not an IP address or IPv4 range`);
    out.push({ text: item, match: (peer) => peer === ip });
  }
  return out;
}

export interface ExotelValidateInput {
  /** The comma list; undefined means "not checked" (verify without --allow-from). */
  allowFrom: string | undefined;
  source: string | undefined;
  url: string;
  /** Expected per-phone tokens (rotation: old,new). Empty: the token is not checked. */
  tokens: string[];
}

export function exotelTokenOf(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1).split('#')[0]).get('token') ?? undefined;
}

export function validateExotel(input: ExotelValidateInput): Verdict {
  const tried: TriedVariant[] = [];
  const notes: string[] = [];
  if (input.allowFrom !== undefined) {
    const list = parseAllowList(input.allowFrom);
    if (list.length === 0)
      return {
        provider: 'exotel',
        valid: false,
        reason:
          "the IP allowlist is empty, which refuses every request (give Exotel's callback IPs with --allow-from; Exotel support provides them)",
        tried,
      };
    if (input.source === undefined)
      return {
        provider: 'exotel',
        valid: false,
        reason: 'the source IP is unknown, so the allowlist cannot pass it (give --source IP)',
        tried,
      };
    const ip = normaliseIp(input.source);
    const hit = list.find((e) => e.match(ip));
    if (!hit)
      return {
        provider: 'exotel',
        valid: false,
        reason: `source IP ${ip} is not in the allowlist (${list.map((e) => e.text).join(', ')})`,
        tried,
      };
    notes.push(`source IP ${ip} is allowed by ${hit.text}`);
  } else {
    notes.push('source IP not checked (no allowlist given)');
  }
  if (input.tokens.length > 0) {
    const given = exotelTokenOf(input.url);
    const shown = input.url.replace(/([?&]token=)[^&#]*/, '$1****');
    input.tokens.forEach((t, i) =>
      tried.push({
        url: shown,
        signature: `token #${i + 1}`,
        match: given !== undefined && safeEqual(given, t),
        token: i + 1,
        variant: 'per-phone ?token=',
      }),
    );
    if (given === undefined)
      return {
        provider: 'exotel',
        valid: false,
        reason: `the callback URL has no ?token= parameter (the per-phone secret); ${notes.join('; ')}`,
        tried,
      };
    const hit = tried.find((t) => t.match);
    if (!hit)
      return {
        provider: 'exotel',
        valid: false,
        reason: `the ?token= in the callback URL matches none of the ${input.tokens.length} expected token(s) for this phone; ${notes.join('; ')}`,
        tried,
      };
    notes.push(
      input.tokens.length > 1
        ? `?token= matches token #${hit.token} of ${input.tokens.length}`
        : '?token= matches',
    );
  } else {
    notes.push('no per-phone token configured');
  }
  return { provider: 'exotel', valid: true, reason: notes.join('; '), tried };
}
