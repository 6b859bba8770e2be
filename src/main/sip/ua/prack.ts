/** PRACK for a reliable provisional response (RFC 3262 §7.2: RAck = RSeq, CSeq number, method). */
import type { Dialog } from '../dialog/dialog.ts';
import { cseqOf } from '../syntax/accessors.ts';
import type { SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import type { InviteSession } from './invite-session.ts';
import { sendNonInvite, type RequestOutcome } from './request-client.ts';

export async function sendPrack(session: InviteSession, dialog: Dialog, res: SipResponse, flow: Flow): Promise<RequestOutcome> {
  const cseq = cseqOf(res);
  const rack = `${res.headers.get('rseq')!.trim()} ${cseq.seq} ${cseq.method}`;
  const first = ++dialog.localSeq;
  return sendNonInvite(session.ua, {
    build: (n) => {
      const req = dialog.createRequest('PRACK', { cseq: n });
      req.headers.append('RAck', rack);
      return req;
    },
    firstCSeq: first,
    nextHop: dialog.nextHopUri(),
    auth: session.auth,
    defaultProto: flow.proto,
  });
}
