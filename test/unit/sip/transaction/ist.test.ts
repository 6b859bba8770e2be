import { describe, expect, it } from 'vitest';
import { flowFor, flush, harness, makeRequest, makeResponse, type Harness } from './helpers.ts';
import type { ServerTransaction } from '../../../../src/main/sip/transaction/types.ts';
import { buildTrying } from '../../../../src/main/sip/transaction/ist.ts';
import type { SipRequest } from '../../../../src/main/sip/syntax/message.ts';

function incomingInvite(
  h: Harness,
  proto: 'udp' | 'tcp' = 'udp',
): { tx: ServerTransaction; req: SipRequest } {
  const req = makeRequest({ branch: 'z9hG4bKinv1', proto });
  h.layer.receive(req, flowFor(proto));
  const tx = h.incoming.at(-1)?.tx;
  if (!tx) throw new Error('no server transaction');
  return { tx, req };
}

/** The non-2xx ACK the peer's ICT would send: same branch as the INVITE. */
const ackFor = (toTag: string) => makeRequest({ method: 'ACK', branch: 'z9hG4bKinv1', toTag });

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  it('sends 100 Trying after 200 ms when the TU has not answered', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    expect(tx.state).toBe('Proceeding');
    h.clock.advance(199);
    expect(h.sender.sent).toHaveLength(0);
    h.clock.advance(1);
    expect(h.sender.responseTimes(100)).toEqual([200]);
    const trying = h.sender.sent[0]!.msg;
    expect(trying.headers.getAll('via')).toEqual(req.headers.getAll('via'));
    expect(trying.headers.get('to')).toBe(req.headers.get('to')); // no tag added
    expect(trying.headers.get('cseq')).toBe('1 INVITE');
    expect(h.sender.sent[0]!.dest).toEqual({
      proto: 'udp',
      remote: flowFor('udp').remote,
      connId: undefined,
    });
  });

  it('sends no 100 Trying when the TU answers first', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    h.clock.advance(50);
    tx.respond(makeResponse(req, 180, 'uas'));
    h.clock.advance(1000);
    expect(h.sender.responseTimes(100)).toEqual([]);
    expect(h.sender.responseTimes(180)).toEqual([50]);
  });

  it('absorbs retransmitted INVITEs by resending the last provisional response', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    h.clock.advance(300); // 100 Trying at 200
    h.layer.receive(req, flowFor('udp'));
    tx.respond(makeResponse(req, 183, 'uas'));
    h.clock.advance(700);
    h.layer.receive(req, flowFor('udp'));
    expect(h.incoming).toHaveLength(1); // retransmissions never reach the TU
    expect(h.sender.responseTimes(100)).toEqual([200, 300]);
    expect(h.sender.responseTimes(183)).toEqual([300, 1000]);
    expect(tx.retransmissions).toBe(2);
  });

  it('retransmits a 486 with G (0.5, 1, 2, 4, 4 s…) until H fires at 32 s, then terminates', () => {
    const h = harness();
    let timeouts = 0;
    let terminated = 0;
    const { tx, req } = incomingInvite(h);
    tx.onTimeout = () => timeouts++;
    tx.onTerminated = () => terminated++;
    tx.respond(makeResponse(req, 486, 'uas'));
    expect(tx.state).toBe('Completed');
    h.clock.advance(31_999);
    expect(h.sender.responseTimes(486)).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(timeouts).toBe(0);
    h.clock.advance(1);
    expect(timeouts).toBe(1);
    expect(terminated).toBe(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
  });

  it('resends the final response for a retransmitted INVITE in Completed', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    tx.respond(makeResponse(req, 603, 'uas'));
    h.clock.advance(100);
    h.layer.receive(req, flowFor('udp'));
    expect(h.sender.responseTimes(603)).toEqual([0, 100]);
    expect(h.incoming).toHaveLength(1);
  });

  it('stops G on the ACK, absorbs further ACKs in Confirmed, and ends after I = T4', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    const acks: SipRequest[] = [];
    tx.onAck = (a) => acks.push(a);
    tx.respond(makeResponse(req, 486, 'uas'));
    h.clock.advance(600); // one G retransmission at 500
    h.layer.receive(ackFor('uas'), flowFor('udp'));
    expect(tx.state).toBe('Confirmed');
    h.layer.receive(ackFor('uas'), flowFor('udp'));
    h.layer.receive(req, flowFor('udp')); // a late INVITE copy is absorbed too
    h.clock.advance(4999);
    expect(tx.state).toBe('Confirmed');
    expect(h.sender.responseTimes(486)).toEqual([0, 500]);
    expect(acks).toHaveLength(0); // non-2xx ACKs are the transaction's, not the TU's
    expect(h.incoming).toHaveLength(1);
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
  });

  it('over TCP: no G, and the ACK terminates at once (I = 0)', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h, 'tcp');
    tx.respond(makeResponse(req, 480, 'uas'));
    h.clock.advance(10_000);
    expect(h.sender.responseTimes(480)).toEqual([0]);
    h.layer.receive(
      makeRequest({ method: 'ACK', branch: 'z9hG4bKinv1', toTag: 'uas', proto: 'tcp' }),
      flowFor('tcp'),
    );
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
  });

  it('enters Accepted on 2xx: INVITE copies absorbed, TU 2xx retransmissions sent, ACK to onAck, ends after L', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    const acks: SipRequest[] = [];
    tx.onAck = (a) => acks.push(a);
    const ok = makeResponse(req, 200, 'uas');
    tx.respond(ok);
    expect(tx.state).toBe('Accepted');
    h.clock.advance(500);
    h.layer.receive(req, flowFor('udp'));
    expect(h.sender.responseTimes(200)).toEqual([0]); // absorbed: no resend by the transaction
    tx.respond(ok); // the TU's own 2xx retransmission (§13.3.1.4)
    expect(h.sender.responseTimes(200)).toEqual([0, 500]);
    tx.respond(makeResponse(req, 500, 'uas')); // not allowed after a 2xx: dropped
    expect(h.sender.responseTimes(500)).toEqual([]);
    const ack = ackFor('uas');
    h.layer.receive(ack, flowFor('udp'));
    expect(acks).toEqual([ack]);
    expect(h.incoming).toHaveLength(1);
    h.clock.advance(32_000 - 500 - 1);
    expect(tx.state).toBe('Accepted');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
  });

  it('in Accepted without onAck, a matching ACK reaches onRequest with no transaction', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    tx.respond(makeResponse(req, 200, 'uas'));
    h.layer.receive(ackFor('uas'), flowFor('udp'));
    expect(h.incoming.map((i) => [i.req.method, i.tx === undefined])).toEqual([
      ['INVITE', false],
      ['ACK', true],
    ]);
  });

  it('an ACK for 2xx with its own branch goes to onRequest without a transaction', () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    const acks: SipRequest[] = [];
    tx.onAck = (a) => acks.push(a);
    tx.respond(makeResponse(req, 200, 'uas'));
    h.layer.receive(
      makeRequest({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag: 'uas' }),
      flowFor('udp'),
    );
    expect(acks).toHaveLength(0);
    expect(h.incoming.at(-1)?.req.method).toBe('ACK');
    expect(h.incoming.at(-1)?.tx).toBeUndefined();
  });

  it('honours configured T1/T2 for G and H', () => {
    const h = harness({ T1: 100, T2: 400 });
    let timeouts = 0;
    const { tx, req } = incomingInvite(h);
    tx.onTimeout = () => timeouts++;
    tx.respond(makeResponse(req, 486, 'uas'));
    h.clock.advance(6400);
    expect(h.sender.responseTimes(486)).toEqual([
      0, 100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100, 5500,
      5900, 6300,
    ]);
    expect(timeouts).toBe(1);
  });

  it('a rejected response send reports a transport error and terminates', async () => {
    const h = harness();
    const { tx, req } = incomingInvite(h);
    const errors: Error[] = [];
    tx.onTransportError = (e) => errors.push(e);
    h.sender.fail = new Error('EPIPE');
    tx.respond(makeResponse(req, 486, 'uas'));
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['EPIPE']);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
  });

  it('buildTrying copies Timestamp and keeps every Via', () => {
    const req = makeRequest();
    req.headers.append('Timestamp', '54');
    const t = buildTrying(req);
    expect(t.status).toBe(100);
    expect(t.headers.get('timestamp')).toBe('54');
    expect(t.headers.getAll('via')).toHaveLength(2);
    expect(t.headers.has('contact')).toBe(false);
  });
});
