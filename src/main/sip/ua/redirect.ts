/**
 * Redirect targets (RFC 3261 §8.1.3.4, §21.3): the URIs a 3xx response's Contact headers name,
 * best first — by q-value (§20.10; no q counts as 1), then in the order given. A Contact that
 * does not parse, or is not a SIP/SIPS URI, is skipped rather than followed.
 */
import type { SipResponse } from '../syntax/message.ts';
import { parseNameAddr } from '../syntax/name-addr.ts';
import { formatUri } from '../syntax/uri.ts';

export function redirectTargets(res: SipResponse): string[] {
  const found: Array<{ uri: string; q: number; i: number }> = [];
  res.headers.getAll('contact').forEach((value, i) => {
    try {
      const na = parseNameAddr(value);
      if (na.uri.scheme !== 'sip' && na.uri.scheme !== 'sips') return;
      const q = na.params.q != null ? Number(na.params.q) : 1;
      found.push({ uri: formatUri(na.uri), q: Number.isFinite(q) ? q : 0, i });
    } catch {
      // not a usable Contact: skip it
    }
  });
  return found.sort((a, b) => b.q - a.q || a.i - b.i).map((c) => c.uri);
}
