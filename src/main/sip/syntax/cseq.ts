/** CSeq (RFC 3261 §20.16): a 32-bit sequence number and a method. */
import { SipParseError } from './message.ts';

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string): CSeq {
  const m = /^\s*(\d{1,10})\s+([A-Za-z0-9.!%*_+`'~-]+)\s*$/.exec(value);
  if (!m) throw new SipParseError(`bad CSeq: ${value.slice(0, 80)}`, 400);
  const seq = Number(m[1]);
  // RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer.
  if (seq > 0xffffffff) throw new SipParseError(`CSeq out of range: ${m[1]}`, 400);
  return { seq, method: m[2]! };
}
