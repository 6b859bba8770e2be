/**
 * Building the headers every UA request and response carries: Via with a fresh branch, Contact,
 * tags, Call-IDs, and responses mirrored from their request (RFC 3261 §8.1.1, §8.2.6).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createResponse, Headers, type SipRequest, type SipResponse } from '../syntax/message.ts';
import { tagOf } from '../syntax/accessors.ts';
import type { Destination, Endpoint, TransportProto } from '../transport/types.ts';
import { randomHex } from '../transaction/branch.ts';

/** RFC 3261 §19.3: a globally unique, cryptographically random tag (48 bits). */
export function newTag(): string {
  return randomHex(6);
}

export function newCallId(host: string): string {
  return `${randomUUID()}@${host.includes(':') ? `[${host}]` : host}`;
}

export { generateBranch as newBranch } from '../transaction/branch.ts';

export function hostPort(ep: Endpoint): string {
  return `${ep.address.includes(':') ? `[${ep.address}]` : ep.address}:${ep.port}`;
}

/** RFC 3261 §18.1.1 / RFC 3581 §3: Via sent-by is our listening address; ask for rport. */
export function viaValue(proto: TransportProto, local: Endpoint, branch: string): string {
  return `SIP/2.0/${proto.toUpperCase()} ${hostPort(local)};rport;branch=${branch}`;
}

/** Our Contact for a transport (RFC 3261 §8.1.1.8); transport param except for UDP. */
export function contactValue(user: string | undefined, proto: TransportProto, local: Endpoint): string {
  const userPart = user ? `${user}@` : '';
  const param = proto === 'udp' ? '' : `;transport=${proto}`;
  return `<sip:${userPart}${hostPort(local)}${param}>`;
}

/** Standard reason phrases for the statuses we send (RFC 3261 §21, RFC 4028, RFC 3262). */
export const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  420: 'Bad Extension',
  422: 'Session Interval Too Small',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  503: 'Service Unavailable',
  603: 'Decline',
};

/**
 * The To tag of a response outside a dialog that no session chose a tag for: derived from the
 * request's Call-ID, From tag and top Via branch, so a retransmitted request answered again
 * (outside its transaction, e.g. a 400) gets the same tag (RFC 3261 §8.2.6.2, §19.3: our tags
 * are random per request; this is a keyed digest of values the peer made random).
 */
export function stableToTag(req: SipRequest): string {
  const parts = [req.headers.get('call-id') ?? '', tagOf(req.headers.get('from')) ?? '', req.headers.get('via') ?? '', req.method];
  return createHash('sha256').update(tagSalt).update(parts.join('\n')).digest('hex').slice(0, 12);
}
const tagSalt = randomUUID();

/**
 * RFC 3261 §8.2.6.2: a response copies Via, From, To, Call-ID and CSeq from the request and adds
 * a To tag (except to 100) when the request had none: the session's own tag when it gives one,
 * else a tag of our own ({@link stableToTag}) — every response outside a dialog carries one.
 * Record-Route is copied on dialog-forming responses (§12.1.1).
 */
export function responseTo(req: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
  const h = new Headers();
  for (const f of req.headers.fields) {
    if (f.key === 'via' || f.key === 'from' || f.key === 'call-id' || f.key === 'cseq') h.append(f.name, f.value);
    else if (f.key === 'to') {
      const needsTag = status > 100 && tagOf(f.value) === undefined;
      if (needsTag) toTag ??= stableToTag(req);
      h.append(f.name, needsTag ? `${f.value};tag=${toTag}` : f.value);
    } else if (f.key === 'record-route' && req.method === 'INVITE' && status > 100 && status < 300) {
      h.append(f.name, f.value);
    }
  }
  return createResponse(status, reason ?? REASONS[status] ?? 'Unknown', h);
}

/** Key for a destination, to compare hops. */
export function destKey(d: Destination): string {
  return `${d.proto}:${d.remote.address}:${d.remote.port}`;
}
