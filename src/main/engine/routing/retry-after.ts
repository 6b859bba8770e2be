/** Retry-After of a response in seconds (RFC 3261 §20.33: delta-seconds, then comment/params). */
import type { SipResponse } from '../../sip/syntax/message.ts';

export function retryAfterOf(res: SipResponse | undefined): number | undefined {
  const v = res?.headers.get('retry-after');
  const m = v ? /^\s*(\d{1,9})/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}
