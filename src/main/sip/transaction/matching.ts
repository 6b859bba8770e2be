/**
 * Transaction matching (RFC 3261 §17.1.3 client side, §17.2.3 server side, §9.2 for CANCEL).
 * Keys are plain strings so the layer can keep transactions in Maps.
 */
import type { SipMessage, SipRequest, SipResponse } from '../syntax/message.ts';
import { callIdOf, cseqOf, tagOf, topVia } from '../syntax/accessors.ts';
import { formatVia, type Via } from '../syntax/via.ts';
import { isRfc3261Branch } from './branch.ts';

const SEP = '\u0000';

/** The branch of the top Via, if any. */
export function branchOf(msg: SipMessage): string | undefined {
  const b = topVia(msg).params['branch'];
  return typeof b === 'string' && b !== '' ? b : undefined;
}

/** Client key: top-Via branch + CSeq method (§17.1.3). For the request we sent, the method is the request's. */
export function clientKey(branch: string, method: string): string {
  return `${branch}${SEP}${method.toUpperCase()}`;
}

/** The client key a response matches, or undefined when its top Via has no branch. */
export function responseClientKey(res: SipResponse): string | undefined {
  const branch = branchOf(res);
  return branch === undefined ? undefined : clientKey(branch, cseqOf(res).method);
}

function defaultPort(transport: string): number {
  return transport === 'TLS' || transport === 'WSS' ? 5061 : 5060;
}

/** sent-by of a Via, with the default port filled in so `host` and `host:5060` compare equal. */
export function sentByOf(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort(via.transport)}`;
}

/**
 * Server key (§17.2.3): branch + sent-by + method, where an ACK counts as INVITE so that it
 * matches the INVITE server transaction. Undefined when the branch lacks the magic cookie:
 * such requests use the RFC 2543 rules below.
 */
export function serverKey(req: SipRequest, methodOverride?: string): string | undefined {
  const via = topVia(req);
  const branch = via.params['branch'];
  if (!isRfc3261Branch(branch)) return undefined;
  const method = (methodOverride ?? req.method).toUpperCase();
  return `${branch}${SEP}${sentByOf(via)}${SEP}${method === 'ACK' ? 'INVITE' : method}`;
}

/** The top Via in a normalized form for RFC 2543 comparisons. */
function viaIdentity(msg: SipMessage): string {
  const v = topVia(msg);
  return formatVia({ ...v, host: v.host.toLowerCase(), port: v.port ?? defaultPort(v.transport) });
}

/** A request that created an RFC 2543 server transaction, and the To tag of its final response. */
export interface LegacyCandidate {
  /** Kept for RFC 2543 transactions (undefined only once a §17.2.3-keyed one released it). */
  readonly request: SipRequest | undefined;
  readonly responseToTag: string | undefined;
}

/**
 * RFC 2543 fallback (§17.2.3), for requests whose branch lacks the magic cookie.
 * - ACK: Request-URI, From tag, Call-ID, CSeq number and top Via equal the INVITE's, and the
 *   ACK's To tag equals the To tag of the response the transaction sent.
 * - Other requests: Request-URI, To tag, From tag, Call-ID, CSeq (number and method) and top Via
 *   equal. `asMethod` replaces the request's method (§9.2: a CANCEL looks for the INVITE).
 */
export function legacyMatches(tx: LegacyCandidate, req: SipRequest, asMethod?: string): boolean {
  const r = legacyIdentity(req); // a malformed incoming request throws: the layer reports it
  const own = tx.request;
  if (!own) return false;
  let o: LegacyIdentity;
  try {
    o = legacyIdentity(own);
  } catch {
    return false; // a transaction whose own request lacks these headers matches nothing
  }
  if (
    o.uri !== r.uri ||
    o.callId !== r.callId ||
    o.fromTag !== r.fromTag ||
    o.seq !== r.seq ||
    o.via !== r.via
  )
    return false;
  const method = (asMethod ?? req.method).toUpperCase();
  if (method === 'ACK') return own.method === 'INVITE' && r.toTag === tx.responseToTag;
  return (
    own.method.toUpperCase() === method && o.cseqMethod === method && o.toTag === r.toTag
  );
}

interface LegacyIdentity {
  uri: string;
  callId: string;
  fromTag: string | undefined;
  toTag: string | undefined;
  seq: number;
  cseqMethod: string;
  via: string;
}

function legacyIdentity(req: SipRequest): LegacyIdentity {
  const cseq = cseqOf(req);
  return {
    uri: req.uri.trim(),
    callId: callIdOf(req),
    fromTag: tagOf(req.headers.get('from')),
    toTag: tagOf(req.headers.get('to')),
    seq: cseq.seq,
    cseqMethod: cseq.method.toUpperCase(),
    via: viaIdentity(req),
  };
}

/** The server transactions the layer keeps: by §17.2.3 key, and the RFC 2543 ones to scan. */
export interface ServerTxIndex<T extends LegacyCandidate> {
  readonly byKey: ReadonlyMap<string, T>;
  readonly legacy: Iterable<T>;
}

/** The server transaction `req` belongs to (§17.2.3), treating its method as `asMethod` if given. */
export function matchServerTx<T extends LegacyCandidate>(
  index: ServerTxIndex<T>,
  req: SipRequest,
  asMethod?: string,
  key: string | undefined = serverKey(req, asMethod),
): T | undefined {
  if (key !== undefined) return index.byKey.get(key);
  for (const tx of index.legacy) if (legacyMatches(tx, req, asMethod)) return tx;
  return undefined;
}

/**
 * The INVITE server transaction a CANCEL targets (§9.2): the §17.2.3 match with the CANCEL's
 * method taken as INVITE (the method "is anything but CANCEL or ACK").
 */
export function findCancelTarget<T extends LegacyCandidate & { readonly method?: string }>(
  index: ServerTxIndex<T>,
  cancel: SipRequest,
): T | undefined {
  const tx = matchServerTx(index, cancel, 'INVITE');
  // The method outlives the request, which a transaction in Accepted/Completed has released.
  return tx && (tx.method ?? tx.request?.method) === 'INVITE' ? tx : undefined;
}
