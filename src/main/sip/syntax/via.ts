/**
 * Via header values (RFC 3261 §20.42, §18.2.1; rport RFC 3581 §4).
 * `SIP/2.0/UDP host[:port];branch=z9hG4bK...;received=...;rport[=n]`
 */
import { SipParseError } from './message.ts';
import { formatParams, parseParams, type Params } from './params.ts';

export interface Via {
  protocol: string;
  /** Upper case: UDP, TCP, TLS, SCTP, WS, WSS. */
  transport: string;
  /** Host without IPv6 brackets. */
  host: string;
  port?: number;
  params: Params;
}

export function parseVia(value: string): Via {
  const m = /^\s*([^\s/]+)\s*\/\s*([^\s/]+)\s*\/\s*([^\s/]+)\s+(.*)$/s.exec(value);
  if (!m) throw new SipParseError(`bad Via: ${value.slice(0, 80)}`, 400);
  const rest = m[4]!.trim();
  const semi = rest.indexOf(';');
  const hostPort = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  const params = semi < 0 ? {} : parseParams(rest.slice(semi));
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0) throw new SipParseError(`bad Via host: ${hostPort}`, 400);
    host = hostPort.slice(1, end);
    const after = hostPort.slice(end + 1).trim();
    if (after.startsWith(':')) portText = after.slice(1).trim();
    else if (after !== '') throw new SipParseError(`bad Via host: ${hostPort}`, 400);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon).trim();
    if (colon >= 0) portText = hostPort.slice(colon + 1).trim();
  }
  if (!host || /\s/.test(host)) throw new SipParseError(`bad Via host: ${hostPort}`, 400);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new SipParseError(`bad Via port: ${portText}`, 400);
  }
  return { protocol: `${m[1]}/${m[2]}`.toUpperCase(), transport: m[3]!.toUpperCase(), host, port, params };
}

export function formatVia(v: Via): string {
  const host = v.host.includes(':') ? `[${v.host}]` : v.host;
  return `${v.protocol}/${v.transport} ${host}${v.port !== undefined ? `:${v.port}` : ''}${formatParams(v.params)}`;
}

/** RFC 3261 §8.1.1.7 magic cookie: branches starting with it are RFC 3261 compliant. */
export const BRANCH_COOKIE = 'z9hG4bK';
