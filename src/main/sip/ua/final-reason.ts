/**
 * A failure response in words, with what the peer said about it: where a 3xx points (Contact,
 * RFC 3261 §8.1.3.4; followed only with CallOptions.maxRedirects), its Reason (RFC 3326, e.g. a
 * Q.850 cause) and Warning (§20.43) headers.
 */
import type { SipResponse } from '../syntax/message.ts';

export function finalReason(res: SipResponse, redirectNote = 'not followed'): string {
  const parts = [`${res.status} ${res.reason}`];
  const contacts = res.status < 400 ? res.headers.getAll('contact').filter((c) => c.trim() !== '') : [];
  if (contacts.length > 0) parts.push(`redirect to ${contacts.join(', ')} (${redirectNote})`);
  for (const name of ['Reason', 'Warning']) {
    const values = res.headers.getAll(name.toLowerCase());
    if (values.length > 0) parts.push(`${name}: ${values.join(', ')}`);
  }
  return parts.join('; ');
}
