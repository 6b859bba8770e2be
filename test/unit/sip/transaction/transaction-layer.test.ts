import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../support/fake-clock.ts';
import { TransactionLayer } from '../../../../src/main/sip/transaction/transaction-layer.ts';
import { generateBranch } from '../../../../src/main/sip/transaction/branch.ts';
import type { SipMessage } from '../../../../src/main/sip/syntax/message.ts';
import {
  destFor,
  FakeSender,
  flowFor,
  flush,
  harness,
  makeRequest,
  makeResponse,
  recordingUser,
} from './helpers.ts';

describe('TransactionLayer', () => {
  it('refuses ACK, a branch without the cookie, and a duplicate branch + method', () => {
    const h = harness();
    const user = recordingUser();
    expect(() => h.layer.sendRequest(makeRequest({ method: 'ACK' }), destFor('udp'), user)).toThrow(
      /ACK/,
    );
    expect(() => h.layer.sendRequest(makeRequest({ branch: 'abc' }), destFor('udp'), user)).toThrow(
      /z9hG4bK/,
    );
    expect(() => h.layer.sendRequest(makeRequest({ branch: null }), destFor('udp'), user)).toThrow(
      /z9hG4bK/,
    );
    h.layer.sendRequest(makeRequest(), destFor('udp'), user);
    expect(() => h.layer.sendRequest(makeRequest(), destFor('udp'), user)).toThrow(
      /already exists/,
    );
    expect(h.layer.size).toBe(1);
    expect(h.sender.sent).toHaveLength(1);
  });

  it('reports malformed messages instead of throwing', () => {
    const clock = new FakeClock();
    const bad: Array<[SipMessage, string]> = [];
    const layer = new TransactionLayer({
      sender: new FakeSender(clock),
      clock,
      responseDestination: (_r, f) => ({ proto: f.proto, remote: f.remote }),
      onRequest: () => {
        throw new Error('must not be called');
      },
      onMalformed: (msg, _flow, err) => bad.push([msg, err.message]),
    });
    const noVia = makeRequest();
    noVia.headers.remove('via');
    const badCseq = makeResponse(makeRequest(), 200);
    badCseq.headers.set('CSeq', 'banana');
    const badVia = makeRequest();
    badVia.headers.set('Via', 'garbage');
    expect(() => layer.receive(noVia, flowFor('udp'))).not.toThrow();
    expect(() => layer.receive(badCseq, flowFor('udp'))).not.toThrow();
    expect(() => layer.receive(badVia, flowFor('udp'))).not.toThrow();
    expect(bad.map(([, m]) => m)).toEqual(['missing Via', 'bad CSeq: banana', 'bad Via: garbage']);
    expect(layer.size).toBe(0);
  });

  it('close() cancels every timer and forgets every transaction', () => {
    const h = harness();
    h.layer.sendRequest(makeRequest(), destFor('udp'), recordingUser());
    h.layer.receive(makeRequest({ branch: 'z9hG4bKin' }), flowFor('udp'));
    expect(h.clock.scheduled).toBeGreaterThan(0);
    h.layer.close();
    expect(h.clock.scheduled).toBe(0);
    expect(h.layer.size).toBe(0);
    h.clock.advance(60_000);
    expect(h.sender.sent).toHaveLength(1);
    h.layer.receive(makeRequest({ branch: 'z9hG4bKlate' }), flowFor('udp'));
    expect(h.incoming).toHaveLength(1);
    expect(() =>
      h.layer.sendRequest(makeRequest({ branch: 'z9hG4bKx2' }), destFor('udp'), recordingUser()),
    ).toThrow(/closed/);
  });

  it('leaves no transaction and no timer behind once every kind has run its course', async () => {
    const h = harness();
    const users = Array.from({ length: 5 }, recordingUser);
    // ICT → 2xx (Accepted, M); ICT → 486 (Completed, D); ICT → nothing (B); NICT → 200 (K); NICT → nothing (F).
    const reqs = ['INVITE', 'INVITE', 'INVITE', 'REGISTER', 'OPTIONS'].map((method) =>
      makeRequest({ method, branch: generateBranch() }),
    );
    reqs.forEach((r, i) => h.layer.sendRequest(r, destFor('udp'), users[i]!));
    h.layer.receive(makeResponse(reqs[0]!, 200, 'a'), flowFor('udp'));
    h.layer.receive(makeResponse(reqs[1]!, 486, 'b'), flowFor('udp'));
    h.layer.receive(makeResponse(reqs[3]!, 200, 'c'), flowFor('udp'));
    // Server side: IST → 486 + ACK (I); IST → 200 (L); IST → 486 and no ACK (H); NIST → 200 (J); CANCEL NIST.
    const inc = [1, 2, 3].map((n) => makeRequest({ branch: `z9hG4bKist${n}`, callId: `in-${n}` }));
    inc.forEach((r) => h.layer.receive(r, flowFor('udp')));
    const bye = makeRequest({ method: 'BYE', branch: 'z9hG4bKbye', toTag: 't' });
    h.layer.receive(bye, flowFor('udp'));
    h.layer.receive(
      makeRequest({ method: 'CANCEL', branch: 'z9hG4bKist2', callId: 'in-2' }),
      flowFor('udp'),
    );
    expect(h.layer.size).toBe(5 + 5);
    const tx = (i: number) => h.incoming[i]!.tx!;
    tx(0).respond(makeResponse(inc[0]!, 486, 'x'));
    h.layer.receive(
      makeRequest({ method: 'ACK', branch: 'z9hG4bKist1', callId: 'in-1', toTag: 'x' }),
      flowFor('udp'),
    );
    tx(1).respond(makeResponse(inc[1]!, 200, 'y'));
    tx(2).respond(makeResponse(inc[2]!, 486, 'z'));
    tx(3).respond(makeResponse(bye, 200));
    tx(4).respond(makeResponse(h.incoming[4]!.req, 200));
    await flush();
    h.clock.advance(31_999);
    expect(h.layer.size).toBeGreaterThan(0);
    h.clock.advance(1);
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
    expect(users.map((u) => u.terminated)).toEqual([1, 1, 1, 1, 1]);
    expect(users.map((u) => u.timeouts)).toEqual([0, 0, 1, 0, 1]);
  });
});
