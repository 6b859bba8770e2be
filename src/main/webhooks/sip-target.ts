/**
 * A dialled SIP URI taken apart just enough to place the call: scheme, userinfo (RFC 3261 §19.1.1:
 * `sip:user:password@host` — the password form is deprecated, so it becomes digest credentials),
 * `;transport=` and `?headers`. Not a full RFC 3261 parser: the call path parses the URI again.
 */
import { InstructionsError, type DialTarget, type SipTransport } from './call-instructions.ts';

const URI_RE = /^(sips?):(?:([^@;?]*)@)?([^;?]+)((?:;[^?]*)?)(?:\?(.*))?$/i;

export function parseSipTarget(text: string, element: string): Omit<DialTarget, 'attributes'> {
  const raw = text.trim();
  const m = URI_RE.exec(raw);
  if (!m)
    throw new InstructionsError(
      `<${element}> does not hold a SIP URI: "${raw.slice(0, 80)}"`,
      element,
    );
  const scheme = m[1]!.toLowerCase();
  const userinfo = m[2];
  const hostport = m[3]!;
  const params = m[4] ?? '';
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(hostport))
    throw new InstructionsError(`<${element}> SIP URI has a bad host "${hostport}"`, element);
  let user: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (colon >= 0) password = decodeURIComponent(userinfo.slice(colon + 1));
  }
  const tp = /;transport=([a-z]+)/i.exec(params)?.[1]?.toLowerCase();
  if (tp !== undefined && tp !== 'udp' && tp !== 'tcp' && tp !== 'tls')
    throw new InstructionsError(
      `<${element}> SIP URI names transport "${tp}", which is not udp, tcp or tls`,
      element,
    );
  const transport: SipTransport | undefined =
    (tp as SipTransport | undefined) ?? (scheme === 'sips' ? 'tls' : undefined);
  const headers: Record<string, string> = {};
  if (m[5]) for (const [k, v] of new URLSearchParams(m[5])) headers[k] = v;
  const uri = `${scheme}:${user !== undefined ? `${user}@` : ''}${hostport}${params}`;
  const target: Omit<DialTarget, 'attributes'> = { uri, transport, headers };
  if (password !== undefined) {
    target.username = user ? decodeURIComponent(user) : undefined;
    target.password = password;
    target.credentialsFrom = 'the user:password part of the SIP URI';
  }
  return target;
}
