/**
 * A re-INVITE from our side inside a confirmed dialog (RFC 3261 §14.1): new offer, session-timer
 * headers, digest retry, and the ACK for its 2xx sent by the UA core (§13.2.2.4).
 */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Destination } from '../transport/types.ts';
import type { Direction } from './media-handler.ts';
import type { InviteSession } from './invite-session.ts';

export async function sendReinvite(session: InviteSession, direction: Direction): Promise<SipResponse | undefined> {
  const dialog = session.dialog!;
  const ua = session.ua;
  let dests: Destination[];
  try {
    dests = await ua.opts.resolve(dialog.nextHopUri(), session.flow?.proto ?? ua.opts.defaultProto);
  } catch {
    return undefined;
  }
  const dest = dests[0];
  if (!dest) return undefined;
  const build = (): SipRequest => {
    const req = dialog.createRequest('INVITE');
    for (const [n, v] of session.sessionTimerHeaders(session.timer.current?.interval)) req.headers.append(n, v);
    req.headers.append('Content-Type', 'application/sdp');
    req.body = Buffer.from(session.media.offer(direction));
    return req;
  };
  let req = build();
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await once(session, req, dest);
    if (!res) return undefined;
    if ((res.status === 401 || res.status === 407) && session.auth) {
      if (session.auth.onChallenge(res, req).kind === 'fail') return res;
      req = build();
      session.auth.authorize(req);
      continue;
    }
    return res;
  }
  return undefined;
}

function once(session: InviteSession, req: SipRequest, dest: Destination): Promise<SipResponse | undefined> {
  const dialog = session.dialog!;
  const seq = dialog.localSeq;
  return new Promise((resolve) => {
    let acked = false;
    session.ua.sendRequest(req, dest, {
      onResponse(res) {
        if (res.status < 200) return;
        if (res.status < 300) {
          // Every 2xx (including retransmissions) is ACKed by the core (§13.2.2.4).
          const ack = dialog.createRequest('ACK', { cseq: seq });
          session.ua.sendAck(ack, dest);
          if (!acked && res.body.length > 0) session.media.onAnswer?.(res.body.toString());
          dialog.updateRemoteTarget(res);
          acked = true;
        }
        resolve(res);
      },
      onTimeout: () => resolve(undefined),
      onTransportError: () => resolve(undefined),
    });
  });
}
