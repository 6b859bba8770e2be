/**
 * Server transactions let go of their request once the final response is out, and of the TU's
 * callbacks when the TU detaches, while keeping RFC 3261 §17.2 / RFC 6026 §7.1 behaviour.
 */
import { describe, expect, it } from 'vitest';
import { flowFor, flush, harness, makeRequest, makeResponse, type FakeSender } from './helpers.ts';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import type { Destination, Flow } from '../../../../src/main/sip/transport/types.ts';

const udp = flowFor('udp');

/** A FakeSender that also takes bytes (as the real transport does), recording them parsed. */
function withRaw(sender: FakeSender): Buffer[] {
  const raws: Buffer[] = [];
  Object.assign(sender, {
    sendRaw(data: Buffer, dest: Destination): Promise<Flow> {
      raws.push(data);
      return sender.send(parseMessage(data), dest);
    },
  });
  return raws;
}

describe('server transactions after the final response', () => {
  it('IST in Accepted: request released, INVITE retransmission absorbed, ACK still reaches the TU', async () => {
    const h = harness();
    const raws = withRaw(h.sender);
    const inv = makeRequest({ branch: 'z9hG4bKrel1' });
    h.layer.receive(inv, udp);
    const tx = h.incoming[0]!.tx!;
    let timeouts = 0;
    tx.onTimeout = () => timeouts++;
    tx.respond(makeResponse(inv, 200, 'uas'));
    expect(tx.state).toBe('Accepted');
    expect(tx.request).toBeUndefined();
    expect(tx.method).toBe('INVITE');
    tx.detach();
    expect(tx.onTimeout).toBeUndefined();
    h.layer.receive(inv, udp); // retransmitted INVITE: absorbed (RFC 6026 §7.1)
    await flush();
    expect(h.sender.sent).toHaveLength(1);
    expect(raws).toHaveLength(1);
    expect(h.incoming).toHaveLength(1);
    const ack = makeRequest({ method: 'ACK', branch: 'z9hG4bKrel1', toTag: 'uas' });
    h.layer.receive(ack, udp);
    expect(h.incoming).toHaveLength(2);
    expect(h.incoming[1]!.req).toBe(ack);
    expect(h.incoming[1]!.tx).toBeUndefined();
    // A CANCEL arriving now still finds its INVITE transaction (RFC 3261 §9.2) by the method kept.
    expect(h.layer.findInviteServerTx(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKrel1' }))).toBe(tx);
    h.clock.advance(32_000); // Timer L
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
    expect(timeouts).toBe(0);
  });

  it('IST in Completed resends the same non-2xx bytes on retransmission and Timer G', async () => {
    const h = harness();
    const raws = withRaw(h.sender);
    const inv = makeRequest({ branch: 'z9hG4bKrel2' });
    h.layer.receive(inv, udp);
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(inv, 486, 'uas', 'Busy Here'));
    expect(tx.state).toBe('Completed');
    expect(tx.request).toBeUndefined();
    tx.detach();
    h.layer.receive(inv, udp);
    h.clock.advance(500); // Timer G
    await flush();
    expect(h.sender.responseTimes(486)).toEqual([0, 0, 500]);
    expect(raws.every((r) => r.equals(raws[0]!))).toBe(true);
    expect(tx.retransmissions).toBe(2);
    h.layer.receive(makeRequest({ method: 'ACK', branch: 'z9hG4bKrel2', toTag: 'uas' }), udp);
    expect(tx.state).toBe('Confirmed');
    expect(h.incoming).toHaveLength(1); // the non-2xx ACK is absorbed
    h.clock.advance(5000); // Timer I
    expect(h.layer.size).toBe(0);
  });

  it('IST in Completed: Timer H after detach tells nobody', () => {
    const h = harness();
    const inv = makeRequest({ branch: 'z9hG4bKrel3' });
    h.layer.receive(inv, udp);
    const tx = h.incoming[0]!.tx!;
    let timeouts = 0;
    let terminated = 0;
    tx.onTimeout = () => timeouts++;
    tx.onTerminated = () => terminated++;
    tx.respond(makeResponse(inv, 603, 'uas'));
    tx.detach();
    h.clock.advance(32_000);
    expect(tx.state).toBe('Terminated');
    expect(timeouts + terminated).toBe(0);
  });

  it('NIST in Completed: request released, last response resent to a retransmission', async () => {
    const h = harness();
    withRaw(h.sender);
    const bye = makeRequest({ method: 'BYE', branch: 'z9hG4bKrel4', toTag: 'uas' });
    h.layer.receive(bye, udp);
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(bye, 200));
    expect(tx.state).toBe('Completed');
    expect(tx.request).toBeUndefined();
    h.layer.receive(bye, udp);
    await flush();
    expect(h.sender.responseTimes(200)).toEqual([0, 0]);
    expect(h.incoming).toHaveLength(1);
    h.clock.advance(32_000); // Timer J
    expect(h.layer.size).toBe(0);
  });

  it('an RFC 2543 transaction keeps its request: its ACK is matched by it (§17.2.3)', () => {
    const h = harness();
    const inv = makeRequest({ branch: null });
    h.layer.receive(inv, udp);
    const tx = h.incoming[0]!.tx!;
    tx.respond(makeResponse(inv, 486, 'uas'));
    tx.detach();
    expect(tx.request).toBe(inv);
    h.layer.receive(makeRequest({ method: 'ACK', branch: null, toTag: 'uas' }), udp);
    expect(tx.state).toBe('Confirmed');
  });
});
