/**
 * What the carrier delivered on an incoming INVITE, as a support engineer checks it: the dialed
 * number (Request-URI user, RFC 3261 §8.2.2.1; To), the caller (From, RFC 3325
 * P-Asserted-Identity), the redirecting history (RFC 5806 Diversion, RFC 7044 History-Info) and
 * every custom `X-*` header.
 */
import type { InboundIdentity } from '../../../shared/model/report.ts';
import type { SipRequest } from '../../sip/syntax/message.ts';

/** Custom headers kept per call, and the longest value kept of each (remote input is bounded). */
const MAX_CUSTOM = 32;
const MAX_VALUE = 256;

export function inboundIdentity(req: SipRequest): InboundIdentity {
  const h = req.headers;
  const cut = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.slice(0, MAX_VALUE));
  const out: InboundIdentity = {
    requestUri: req.uri.slice(0, MAX_VALUE),
    dialed: userOf(req.uri) ?? userOf(uriOf(h.get('to') ?? '')) ?? null,
    to: cut(h.get('to')) ?? null,
    from: cut(h.get('from')) ?? null,
  };
  const pai = h.getAll('p-asserted-identity');
  if (pai.length > 0) out.pAssertedIdentity = pai.slice(0, 4).map((v) => v.slice(0, MAX_VALUE));
  const diversion = h.getAll('diversion');
  if (diversion.length > 0) out.diversion = diversion.slice(0, 8).map((v) => v.slice(0, MAX_VALUE));
  const history = h.getAll('history-info');
  if (history.length > 0) out.historyInfo = history.slice(0, 8).map((v) => v.slice(0, MAX_VALUE));
  const custom: Record<string, string> = {};
  let n = 0;
  for (const f of h.fields) {
    if (!/^x-/i.test(f.name) || n >= MAX_CUSTOM) continue;
    custom[f.name] = custom[f.name] === undefined ? f.value.slice(0, MAX_VALUE) : `${custom[f.name]}, ${f.value}`.slice(0, MAX_VALUE);
    n++;
  }
  if (n > 0) out.headers = custom;
  return out;
}

/** The URI inside a name-addr (`"Bob" <sip:…>;tag=…`) or the addr-spec itself. */
function uriOf(nameAddr: string): string {
  const m = /<([^>]*)>/.exec(nameAddr);
  return (m ? m[1]! : nameAddr.split(';')[0]!).trim();
}

/** The user part of a sip:/sips: URI, or the number of a tel: URI (RFC 3966). */
function userOf(uri: string): string | undefined {
  const tel = /^tel:([^;?]+)/i.exec(uri);
  if (tel) return decodeURIComponent(tel[1]!);
  const m = /^sips?:([^@;?>]+)@/i.exec(uri);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!.split(':')[0]!);
  } catch {
    return m[1]!.split(':')[0]!;
  }
}
