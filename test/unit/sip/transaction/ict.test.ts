import { describe, expect, it } from 'vitest';
import { cseqOf, tagOf } from '../../../../src/main/sip/syntax/accessors.ts';
import { buildNon2xxAck } from '../../../../src/main/sip/transaction/ict.ts';
import {
  destFor,
  flowFor,
  flush,
  harness,
  makeRequest,
  makeResponse,
  recordingUser,
} from './helpers.ts';

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4)', () => {
  it('over UDP retransmits at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s and times out with B at 32 s', () => {
    const h = harness();
    const user = recordingUser();
    const tx = h.layer.sendRequest(makeRequest(), destFor('udp'), user);
    expect(tx.state).toBe('Calling');
    h.clock.advance(31_999);
    expect(h.sender.requestTimes('INVITE')).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(user.timeouts).toBe(0);
    expect(tx.retransmissions).toBe(6);
    h.clock.advance(1);
    expect(user.timeouts).toBe(1);
    expect(tx.state).toBe('Terminated');
    expect(user.terminated).toBe(1);
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
  });

  it('over TCP sends once and still times out with B', () => {
    const h = harness();
    const user = recordingUser();
    const tx = h.layer.sendRequest(makeRequest({ proto: 'tcp' }), destFor('tcp'), user);
    h.clock.advance(32_000);
    expect(h.sender.requestTimes('INVITE')).toEqual([0]);
    expect(tx.retransmissions).toBe(0);
    expect(user.timeouts).toBe(1);
    expect(h.layer.size).toBe(0);
  });

  it('stops retransmitting and cancels B on a provisional response', () => {
    const h = harness();
    const user = recordingUser();
    const req = makeRequest();
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.clock.advance(600); // one retransmission at 500 ms
    h.layer.receive(makeResponse(req, 100), flowFor('udp'));
    h.layer.receive(makeResponse(req, 180, 'b1'), flowFor('udp'));
    expect(tx.state).toBe('Proceeding');
    h.clock.advance(120_000);
    expect(h.sender.requestTimes('INVITE')).toEqual([0, 500]);
    expect(user.responses).toEqual([100, 180]);
    expect(user.timeouts).toBe(0);
    expect(tx.state).toBe('Proceeding');
  });

  it('ACKs a 4xx itself, re-sends the ACK for each retransmitted 4xx, and terminates after D', async () => {
    const h = harness();
    const user = recordingUser();
    const req = makeRequest({ routes: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'] });
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.layer.receive(makeResponse(req, 180, 'b1'), flowFor('udp'));
    h.layer.receive(makeResponse(req, 486, 'b1'), flowFor('udp'));
    expect(tx.state).toBe('Completed');
    expect(user.responses).toEqual([180, 486]);
    expect(h.sender.requestTimes('ACK')).toEqual([0]);
    h.clock.advance(1000);
    h.layer.receive(makeResponse(req, 486, 'b1'), flowFor('udp'));
    h.clock.advance(1000);
    h.layer.receive(makeResponse(req, 486, 'b1'), flowFor('udp'));
    expect(h.sender.requestTimes('ACK')).toEqual([0, 1000, 2000]);
    expect(user.responses).toEqual([180, 486]); // retransmissions are not passed up
    expect(tx.retransmissions).toBe(2);
    const acks = h.sender.requests('ACK');
    expect(acks[1]).toBe(acks[0]);
    await flush();
    h.clock.advance(32_000 - 2000 - 1);
    expect(tx.state).toBe('Completed');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    // A 486 arriving after D is stray now: no new ACK from the transaction.
    h.layer.receive(makeResponse(req, 486, 'b1'), flowFor('udp'));
    expect(h.sender.requestTimes('ACK')).toHaveLength(3);
    expect(h.strays.map((r) => r.status)).toEqual([486]);
  });

  it('builds the non-2xx ACK per §17.1.1.3', () => {
    const req = makeRequest({
      seq: 42,
      routes: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'],
    });
    const ack = buildNon2xxAck(req, makeResponse(req, 603, 'peer7'));
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe(req.uri);
    expect(ack.headers.getAll('via')).toEqual([req.headers.getAll('via')[0]]);
    expect(ack.headers.get('call-id')).toBe(req.headers.get('call-id'));
    expect(ack.headers.get('from')).toBe(req.headers.get('from'));
    expect(tagOf(ack.headers.get('to'))).toBe('peer7');
    expect(cseqOf(ack)).toEqual({ seq: 42, method: 'ACK' });
    expect(ack.headers.getAll('route')).toEqual([
      '<sip:p1.example.com;lr>',
      '<sip:p2.example.com;lr>',
    ]);
    expect(ack.headers.has('contact')).toBe(false);
    expect(ack.body.length).toBe(0);
  });

  it('over TCP sends the ACK on the INVITE connection and terminates at once (D = 0)', async () => {
    const h = harness();
    const user = recordingUser();
    const req = makeRequest({ proto: 'tcp' });
    const tx = h.layer.sendRequest(req, destFor('tcp'), user);
    await flush(); // the transport reports connection 7
    h.layer.receive(makeResponse(req, 404, 'x'), flowFor('tcp'));
    const ack = h.sender.sent.find((s) => s.msg.type === 'request' && s.msg.method === 'ACK');
    expect(ack?.dest).toEqual({ ...destFor('tcp'), connId: 7 });
    expect(tx.state).toBe('Terminated');
    expect(user.terminated).toBe(1);
    expect(h.layer.size).toBe(0);
  });

  it('enters Accepted on 2xx, passes retransmitted and forked 2xx to the TU, and ends with M', () => {
    const h = harness();
    const user = recordingUser();
    const req = makeRequest();
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.layer.receive(makeResponse(req, 200, 'fork-a'), flowFor('udp'));
    expect(tx.state).toBe('Accepted');
    h.clock.advance(500);
    h.layer.receive(makeResponse(req, 200, 'fork-a'), flowFor('udp'));
    h.layer.receive(makeResponse(req, 200, 'fork-b'), flowFor('udp'));
    h.layer.receive(makeResponse(req, 486, 'fork-c'), flowFor('udp')); // non-2xx in Accepted: dropped
    expect(user.responses).toEqual([200, 200, 200]);
    expect(h.sender.requestTimes('ACK')).toEqual([]); // the TU ACKs 2xx, not the transaction
    expect(h.sender.requestTimes('INVITE')).toEqual([0]); // A stopped
    h.clock.advance(32_000 - 500 - 1);
    expect(tx.state).toBe('Accepted');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    h.layer.receive(makeResponse(req, 200, 'fork-a'), flowFor('udp'));
    expect(h.strays).toHaveLength(1);
    expect(user.responses).toHaveLength(3);
  });

  it('a rejected send reports a transport error and terminates', async () => {
    const h = harness();
    const user = recordingUser();
    h.sender.fail = new Error('ECONNREFUSED');
    const tx = h.layer.sendRequest(makeRequest({ proto: 'tcp' }), destFor('tcp'), user);
    await flush();
    expect(user.errors.map((e) => e.message)).toEqual(['ECONNREFUSED']);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
  });

  it('a rejected retransmission reports a transport error once', async () => {
    const h = harness();
    const user = recordingUser();
    const tx = h.layer.sendRequest(makeRequest(), destFor('udp'), user);
    await flush();
    h.sender.fail = new Error('EHOSTUNREACH');
    h.clock.advance(500);
    await flush();
    expect(user.errors).toHaveLength(1);
    expect(user.timeouts).toBe(0);
    expect(tx.state).toBe('Terminated');
    h.clock.advance(60_000);
    expect(h.sender.requestTimes('INVITE')).toEqual([0, 500]);
  });

  it('honours a configured T1 (A doubles from T1, B = 64·T1)', () => {
    const h = harness({ T1: 100 });
    const user = recordingUser();
    h.layer.sendRequest(makeRequest(), destFor('udp'), user);
    h.clock.advance(6400);
    expect(h.sender.requestTimes('INVITE')).toEqual([0, 100, 300, 700, 1500, 3100, 6300]);
    expect(user.timeouts).toBe(1);
  });

  it('cancelTimers stops retransmissions and terminate() removes the transaction', () => {
    const h = harness();
    const user = recordingUser();
    const tx = h.layer.sendRequest(makeRequest(), destFor('udp'), user);
    tx.cancelTimers();
    h.clock.advance(60_000);
    expect(h.sender.requestTimes('INVITE')).toEqual([0]);
    expect(h.layer.size).toBe(1);
    tx.terminate();
    expect(h.layer.size).toBe(0);
    expect(user.terminated).toBe(1);
  });
});
