/** Shortcuts to the headers every layer reads. Each parses on demand. */
import { SipParseError, type SipMessage } from './message.ts';
import { parseCSeq, type CSeq } from './cseq.ts';
import { parseVia, type Via } from './via.ts';
import { parseParams } from './params.ts';

export function topVia(msg: SipMessage): Via {
  const v = msg.headers.getAll('via')[0];
  if (v === undefined) throw new SipParseError('missing Via', 400);
  return parseVia(v);
}

export function cseqOf(msg: SipMessage): CSeq {
  const v = msg.headers.get('cseq');
  if (v === undefined) throw new SipParseError('missing CSeq', 400);
  return parseCSeq(v);
}

export function callIdOf(msg: SipMessage): string {
  const v = msg.headers.get('call-id');
  if (v === undefined || v === '') throw new SipParseError('missing Call-ID', 400);
  return v;
}

/**
 * The tag parameter of a From/To value: params after the name-addr's closing '>' (or after the
 * bare URI's first ';' when there are no angle brackets, RFC 3261 §20.10).
 */
export function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const gt = value.lastIndexOf('>');
  let paramsText: string;
  if (gt >= 0) paramsText = value.slice(gt + 1);
  else {
    const semi = value.indexOf(';');
    paramsText = semi < 0 ? '' : value.slice(semi);
  }
  const tag = parseParams(paramsText)['tag'];
  return tag ?? undefined;
}
