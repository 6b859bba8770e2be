/**
 * Headers the stack writes itself: a `--header` naming one would send a request with two of them
 * or one the transaction and dialog layers do not know about (RFC 3261 §8.1.1: Via, Call-ID,
 * CSeq, From, To, Max-Forwards are the request's own; §20.14 Content-Length is the framing).
 * Compact forms (§7.3.3) count too.
 */
const OWNED: Record<string, string> = {
  via: 'Via',
  v: 'Via',
  'call-id': 'Call-ID',
  i: 'Call-ID',
  cseq: 'CSeq',
  from: 'From',
  f: 'From',
  to: 'To',
  t: 'To',
  'content-length': 'Content-Length',
  l: 'Content-Length',
  'max-forwards': 'Max-Forwards',
};

/** Why `name` cannot be set with --header, or undefined when it can. */
export function ownedHeaderError(name: string): string | undefined {
  const owned = OWNED[name.toLowerCase()];
  if (!owned) return undefined;
  const hint = owned === 'From' ? ' (use --from and --display-name)' : owned === 'To' ? ' (the To is the URI you call)' : '';
  return `--header: ${owned} is written by the SIP stack (RFC 3261 §8.1.1) and cannot be set${hint}`;
}
