import { describe, expect, it } from 'vitest';
import { flowFor, harness, makeRequest, makeResponse } from './helpers.ts';

const bye = (proto: 'udp' | 'tcp' = 'udp') =>
  makeRequest({ method: 'BYE', branch: 'z9hG4bKbye1', toTag: 'uas', seq: 2, proto });

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('discards retransmissions in Trying, resends the provisional in Proceeding and the final in Completed', () => {
    const h = harness();
    const req = bye();
    h.layer.receive(req, flowFor('udp'));
    const tx = h.incoming[0]!.tx!;
    expect(tx.state).toBe('Trying');
    h.layer.receive(req, flowFor('udp'));
    expect(h.sender.sent).toHaveLength(0);
    tx.respond(makeResponse(req, 100));
    expect(tx.state).toBe('Proceeding');
    h.clock.advance(500);
    h.layer.receive(req, flowFor('udp'));
    tx.respond(makeResponse(req, 200));
    expect(tx.state).toBe('Completed');
    h.clock.advance(500);
    h.layer.receive(req, flowFor('udp'));
    h.layer.receive(req, flowFor('udp'));
    tx.respond(makeResponse(req, 500)); // Completed: further TU responses are dropped
    expect(h.sender.responseTimes(100)).toEqual([0, 500]);
    expect(h.sender.responseTimes(200)).toEqual([500, 1000, 1000]);
    expect(h.sender.responseTimes(500)).toEqual([]);
    expect(tx.retransmissions).toBe(3);
    expect(h.incoming).toHaveLength(1);
  });

  it('terminates after J = 64·T1 over UDP', () => {
    const h = harness();
    const req = bye();
    h.layer.receive(req, flowFor('udp'));
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(req, 200));
    h.clock.advance(31_999);
    expect(tx.state).toBe('Completed');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    // A copy arriving after J is a new request for the TU (it answers from dialog state).
    h.layer.receive(req, flowFor('udp'));
    expect(h.incoming).toHaveLength(2);
  });

  it('terminates at once over TCP (J = 0)', () => {
    const h = harness();
    const req = bye('tcp');
    h.layer.receive(req, flowFor('tcp'));
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(req, 200));
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
  });

  it('J follows a configured T1', () => {
    const h = harness({ T1: 50 });
    const req = bye();
    h.layer.receive(req, flowFor('udp'));
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(req, 200));
    h.clock.advance(3199);
    expect(tx.state).toBe('Completed');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
  });
});
