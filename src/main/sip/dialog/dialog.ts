/**
 * A SIP dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE creates, with its route
 * set, remote target and CSeq spaces. Builds every in-dialog request (§12.2.1.1).
 */
import { createRequest, Headers, type SipRequest, type SipResponse } from '../syntax/message.ts';
import { callIdOf, cseqOf, tagOf } from '../syntax/accessors.ts';
import { parseNameAddr } from '../syntax/name-addr.ts';
import { formatUri } from '../syntax/uri.ts';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogInit {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From (UAC) / To (UAS) header value of our side, including the tag. */
  localHeader: string;
  /** The peer's side, including its tag. */
  remoteHeader: string;
  localSeq: number;
  remoteSeq: number | undefined;
  remoteTarget: string;
  /** Route set as URIs with params, in the order requests must carry them. */
  routeSet: string[];
  secure: boolean;
  state: DialogState;
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localHeader: string;
  readonly remoteHeader: string;
  localSeq: number;
  remoteSeq: number | undefined;
  remoteTarget: string;
  readonly routeSet: string[];
  readonly secure: boolean;
  state: DialogState;

  constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localHeader = init.localHeader;
    this.remoteHeader = init.remoteHeader;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.secure = init.secure;
    this.state = init.state;
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /**
   * RFC 3261 §12.1.2: the UAC builds the dialog from a response carrying a To tag. The route set
   * is the Record-Route list in reverse order; the remote target is the response's Contact.
   */
  static fromUacResponse(req: SipRequest, res: SipResponse): Dialog {
    const to = res.headers.get('to') ?? '';
    const contact = res.headers.getAll('contact')[0];
    return new Dialog({
      callId: callIdOf(req),
      localTag: tagOf(req.headers.get('from')) ?? '',
      remoteTag: tagOf(to) ?? '',
      localHeader: req.headers.get('from') ?? '',
      remoteHeader: to,
      localSeq: cseqOf(req).seq,
      remoteSeq: undefined,
      remoteTarget: contact ? uriTextOf(contact) : req.uri,
      routeSet: res.headers.getAll('record-route').reverse(),
      secure: req.uri.toLowerCase().startsWith('sips:'),
      state: res.status >= 200 ? 'confirmed' : 'early',
    });
  }

  /** RFC 3261 §12.1.1: the UAS builds the dialog from the request and its own To tag. */
  static fromUasRequest(req: SipRequest, localTag: string, state: DialogState): Dialog {
    const contact = req.headers.getAll('contact')[0];
    const to = req.headers.get('to') ?? '';
    return new Dialog({
      callId: callIdOf(req),
      localTag,
      remoteTag: tagOf(req.headers.get('from')) ?? '',
      localHeader: tagOf(to) ? to : `${to};tag=${localTag}`,
      remoteHeader: req.headers.get('from') ?? '',
      localSeq: Math.floor(Math.random() * 0x7fffffff),
      remoteSeq: cseqOf(req).seq,
      remoteTarget: contact ? uriTextOf(contact) : '',
      routeSet: req.headers.getAll('record-route'),
      secure: req.uri.toLowerCase().startsWith('sips:'),
      state,
    });
  }

  /**
   * Build a request within the dialog (RFC 3261 §12.2.1.1), with loose and strict routing.
   * `cseq` overrides the next local CSeq (used for ACK and CANCEL, which reuse the INVITE's).
   */
  createRequest(method: string, opts: { cseq?: number } = {}): SipRequest {
    const seq = opts.cseq ?? ++this.localSeq;
    const headers = new Headers();
    const { uri, routes } = this.requestTarget();
    headers.append('Max-Forwards', '70');
    headers.append('From', this.localHeader);
    headers.append('To', this.remoteHeader);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${seq} ${method}`);
    for (const r of routes) headers.append('Route', r);
    return createRequest(method, uri, headers);
  }

  /** Request-URI and Route headers per the route set (RFC 3261 §12.2.1.1). */
  requestTarget(): { uri: string; routes: string[] } {
    const first = this.routeSet[0];
    if (first === undefined) return { uri: this.remoteTarget, routes: [] };
    const firstUri = parseNameAddr(first).uri;
    if ('lr' in firstUri.params) return { uri: this.remoteTarget, routes: [...this.routeSet] };
    // Strict routing: the first route becomes the Request-URI, the remote target goes last.
    const stripped = { ...firstUri, params: { ...firstUri.params }, headers: {} };
    delete stripped.params['method'];
    delete stripped.params['maddr'];
    return { uri: formatUri(stripped), routes: [...this.routeSet.slice(1), `<${this.remoteTarget}>`] };
  }

  /** The URI the next hop is resolved from: the first Route, else the Request-URI (§8.1.2). */
  nextHopUri(): string {
    const first = this.routeSet[0];
    if (first !== undefined) return uriTextOf(first);
    return this.remoteTarget;
  }

  /** A target-refresh request or its 2xx may change the remote target (RFC 3261 §12.2). */
  updateRemoteTarget(msg: { headers: Headers }): void {
    const contact = msg.headers.getAll('contact')[0];
    if (contact) this.remoteTarget = uriTextOf(contact);
  }

  /**
   * RFC 3261 §12.2.2: a request with a CSeq lower than the last one is out of order (500);
   * otherwise remember the number.
   */
  acceptRemoteSeq(seq: number, method: string): boolean {
    if (method === 'ACK' || method === 'CANCEL') return true;
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

/**
 * The URI of a name-addr or addr-spec exactly as written (bytes kept, so a peer sees its own
 * Contact back): between '<' and '>', or a bare URI up to its header params (RFC 3261 §20.10).
 */
export function uriTextOf(value: string): string {
  const lt = value.indexOf('<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt);
    return value.slice(lt + 1, gt < 0 ? undefined : gt).trim();
  }
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim();
}
