import { describe, expect, it } from 'vitest';
import {
  clientKey,
  findCancelTarget,
  legacyMatches,
  responseClientKey,
  sentByOf,
  serverKey,
} from '../../../../src/main/sip/transaction/matching.ts';
import { parseVia } from '../../../../src/main/sip/syntax/via.ts';
import { destFor, flowFor, harness, makeRequest, makeResponse, recordingUser } from './helpers.ts';

describe('transaction matching (RFC 3261 §17.1.3, §17.2.3, §9.2)', () => {
  it('client: a response matches on top-Via branch and CSeq method', () => {
    const h = harness();
    const user = recordingUser();
    const invite = makeRequest({ branch: 'z9hG4bKc1' });
    h.layer.sendRequest(invite, destFor('udp'), user);
    h.layer.receive(
      makeResponse(makeRequest({ branch: 'z9hG4bKother' }), 180, 'x'),
      flowFor('udp'),
    );
    h.layer.receive(
      makeResponse(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKc1' }), 200, 'x'),
      flowFor('udp'),
    );
    expect(user.responses).toEqual([]);
    expect(h.strays.map((r) => r.status)).toEqual([180, 200]);
    h.layer.receive(makeResponse(invite, 180, 'x'), flowFor('udp'));
    expect(user.responses).toEqual([180]);
    expect(responseClientKey(makeResponse(invite, 180))).toBe(clientKey('z9hG4bKc1', 'INVITE'));
  });

  it('server: key is branch + sent-by + method, ACK counting as INVITE', () => {
    const inv = makeRequest({ branch: 'z9hG4bKs1', sentBy: 'Host.Example.com' });
    const ack = makeRequest({
      method: 'ACK',
      branch: 'z9hG4bKs1',
      sentBy: 'host.example.com:5060',
    });
    expect(serverKey(ack)).toBe(serverKey(inv));
    expect(
      serverKey(makeRequest({ branch: 'z9hG4bKs1', sentBy: 'host.example.com:5070' })),
    ).not.toBe(serverKey(inv));
    expect(
      serverKey(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKs1', sentBy: 'host.example.com' })),
    ).not.toBe(serverKey(inv));
    expect(serverKey(makeRequest({ branch: '1234' }))).toBeUndefined();
    expect(sentByOf(parseVia('SIP/2.0/TLS a.example.com;branch=z9hG4bKx'))).toBe(
      'a.example.com:5061',
    );
  });

  it('server: same branch from another sent-by is a different transaction', () => {
    const h = harness();
    h.layer.receive(makeRequest({ branch: 'z9hG4bKs2', sentBy: '192.0.2.1:5070' }), flowFor('udp'));
    h.layer.receive(makeRequest({ branch: 'z9hG4bKs2', sentBy: '192.0.2.2:5070' }), flowFor('udp'));
    expect(h.incoming).toHaveLength(2);
    expect(h.incoming[0]!.tx).not.toBe(h.incoming[1]!.tx);
    expect(h.layer.size).toBe(2);
  });

  it('CANCEL: findInviteServerTx finds the INVITE transaction with the same branch and sent-by', () => {
    const h = harness();
    h.layer.receive(makeRequest({ branch: 'z9hG4bKs3' }), flowFor('udp'));
    const inviteTx = h.incoming[0]!.tx!;
    const cancel = makeRequest({ method: 'CANCEL', branch: 'z9hG4bKs3' });
    h.layer.receive(cancel, flowFor('udp'));
    const cancelTx = h.incoming[1]!.tx!;
    expect(cancelTx).not.toBe(inviteTx); // the CANCEL has its own NIST
    expect(h.layer.findInviteServerTx(cancel)).toBe(inviteTx);
    expect(
      h.layer.findInviteServerTx(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKnope' })),
    ).toBeUndefined();
    // A CANCEL whose branch names a non-INVITE transaction targets nothing.
    h.layer.receive(makeRequest({ method: 'OPTIONS', branch: 'z9hG4bKs4' }), flowFor('udp'));
    expect(
      h.layer.findInviteServerTx(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKs4' })),
    ).toBeUndefined();
  });

  describe('RFC 2543 fallback (branch without the magic cookie)', () => {
    it('matches a retransmitted INVITE on Request-URI, tags, Call-ID, CSeq and top Via', () => {
      const h = harness();
      const inv = makeRequest({ branch: 'old-2543' });
      h.layer.receive(inv, flowFor('udp'));
      const tx = h.incoming[0]!.tx!;
      tx.respond(makeResponse(inv, 180, 'uas'));
      h.layer.receive(makeRequest({ branch: 'old-2543' }), flowFor('udp'));
      expect(h.incoming).toHaveLength(1);
      expect(h.sender.responseTimes(180)).toHaveLength(2);
      h.layer.receive(makeRequest({ branch: 'old-2543', seq: 2 }), flowFor('udp'));
      h.layer.receive(makeRequest({ branch: 'old-2543', callId: 'other' }), flowFor('udp'));
      h.layer.receive(
        makeRequest({ branch: 'old-2543', uri: 'sip:carol@example.com' }),
        flowFor('udp'),
      );
      expect(h.incoming).toHaveLength(4);
    });

    it('matches the ACK by the To tag of the response sent', () => {
      const h = harness();
      const inv = makeRequest({ branch: 'old-2543' });
      h.layer.receive(inv, flowFor('udp'));
      const tx = h.incoming[0]!.tx!;
      tx.respond(makeResponse(inv, 486, 'uas'));
      h.layer.receive(
        makeRequest({ method: 'ACK', branch: 'old-2543', toTag: 'someone-else' }),
        flowFor('udp'),
      );
      expect(tx.state).toBe('Completed');
      expect(h.incoming.at(-1)?.tx).toBeUndefined();
      h.layer.receive(
        makeRequest({ method: 'ACK', branch: 'old-2543', toTag: 'uas' }),
        flowFor('udp'),
      );
      expect(tx.state).toBe('Confirmed');
    });

    it('finds the INVITE a CANCEL targets, ignoring the CANCEL method', () => {
      const h = harness();
      h.layer.receive(makeRequest({ branch: null, callId: 'no-branch' }), flowFor('udp'));
      const inv = makeRequest({ branch: 'old-2543' });
      h.layer.receive(inv, flowFor('udp'));
      const inviteTx = h.incoming[1]!.tx!;
      const cancel = makeRequest({ method: 'CANCEL', branch: 'old-2543' });
      expect(h.layer.findInviteServerTx(cancel)).toBe(inviteTx);
      const noBranchCancel = makeRequest({ method: 'CANCEL', branch: null, callId: 'no-branch' });
      expect(h.layer.findInviteServerTx(noBranchCancel)).toBe(h.incoming[0]!.tx);
      expect(
        h.layer.findInviteServerTx(makeRequest({ method: 'CANCEL', branch: 'old-2543', seq: 9 })),
      ).toBeUndefined();
    });

    it('legacyMatches compares the top Via and ignores a malformed stored request', () => {
      const inv = makeRequest({ branch: 'b1' });
      const cand = { request: inv, responseToTag: undefined };
      expect(legacyMatches(cand, makeRequest({ branch: 'b1' }))).toBe(true);
      expect(legacyMatches(cand, makeRequest({ branch: 'b2' }))).toBe(false);
      expect(legacyMatches(cand, makeRequest({ branch: 'b1', sentBy: '192.0.2.9' }))).toBe(false);
      expect(legacyMatches(cand, makeRequest({ branch: 'b1', method: 'OPTIONS' }))).toBe(false);
      const broken = makeRequest({ branch: 'b1' });
      broken.headers.remove('call-id');
      expect(
        legacyMatches({ request: broken, responseToTag: undefined }, makeRequest({ branch: 'b1' })),
      ).toBe(false);
      expect(
        findCancelTarget(
          { byKey: new Map(), legacy: [cand] },
          makeRequest({ method: 'CANCEL', branch: 'b1' }),
        ),
      ).toBe(cand);
    });
  });
});
