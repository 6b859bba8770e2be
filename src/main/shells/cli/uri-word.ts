/**
 * `trunkscope call notauri`: a bare word (no scheme, no `@`, no dot, no port, not a number) is
 * almost always a typo, not a host to dial. A SIP URI (RFC 3261 §19.1) or a number is asked for.
 */
export function bareWordError(name: string, text: string): string | undefined {
  if (/^(sips?|tel):/i.test(text) || /[@.:[\]]/.test(text)) return undefined;
  if (text.toLowerCase() === 'localhost') return undefined;
  if (/^\+?[\d\-().\s]+$/.test(text)) return undefined; // a number: dialed at the host or proxy
  return `${name}: "${text}" is not a SIP URI or number (e.g. sip:alice@pbx.example.com, sip:+15551234567@trunk.example.com, 127.0.0.1:5060)`;
}
