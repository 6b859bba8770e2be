/**
 * The plain `--trace` view's masking (issue 15 item 8): the digest `response=` of Authorization
 * and Proxy-Authorization headers (RFC 3261 §22.2, §22.3; RFC 2617 §3.2.2) can be cracked offline
 * for a weak password, so it is shown as `response="****"` unless the user asks for secrets.
 * Linear: one pass per line, character classes that cannot overlap.
 */
const AUTH_LINE = /^(?:Proxy-)?Authorization[ \t]*:/i;
const RESPONSE = /\b(response[ \t]*=[ \t]*)("[^"\r\n]*"|[^\s,;"]+)/gi;

export const MASK = '"****"';

export function maskDigestSecrets(text: string): string {
  if (!/authorization/i.test(text)) return text;
  return text
    .split('\n')
    .map((line) => (AUTH_LINE.test(line) ? line.replace(RESPONSE, `$1${MASK}`) : line))
    .join('\n');
}
