import { describe, expect, it } from 'vitest';
import { destFor, flowFor, harness, makeRequest, makeResponse, recordingUser } from './helpers.ts';

const nonInvite = (proto: 'udp' | 'tcp' = 'udp') =>
  makeRequest({ method: 'OPTIONS', branch: 'z9hG4bKopt1', proto });

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('over UDP retransmits with E doubling up to T2 (0.5, 1, 2, 4, 4, 4… s) and times out with F at 32 s', () => {
    const h = harness();
    const user = recordingUser();
    const tx = h.layer.sendRequest(nonInvite(), destFor('udp'), user);
    expect(tx.state).toBe('Trying');
    h.clock.advance(31_999);
    const times = h.sender.requestTimes('OPTIONS');
    expect(times).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([
      500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000,
    ]);
    expect(user.timeouts).toBe(0);
    h.clock.advance(1);
    expect(user.timeouts).toBe(1);
    expect(tx.state).toBe('Terminated');
    expect(tx.retransmissions).toBe(10);
    expect(h.layer.size).toBe(0);
  });

  it('in Proceeding retransmits every T2, and F still applies', () => {
    const h = harness();
    const user = recordingUser();
    const req = nonInvite();
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.clock.advance(100);
    h.layer.receive(makeResponse(req, 100), flowFor('udp'));
    expect(tx.state).toBe('Proceeding');
    h.clock.advance(32_000 - 100);
    // The pending E (due at 500 ms) fires, then every T2.
    expect(h.sender.requestTimes('OPTIONS')).toEqual([
      0, 500, 4500, 8500, 12500, 16500, 20500, 24500, 28500,
    ]);
    expect(user.responses).toEqual([100]);
    expect(user.timeouts).toBe(1);
  });

  it('passes the final response up once, absorbs retransmissions and terminates after K = T4', () => {
    const h = harness();
    const user = recordingUser();
    const req = nonInvite();
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.layer.receive(makeResponse(req, 200, 'x'), flowFor('udp'));
    expect(tx.state).toBe('Completed');
    h.layer.receive(makeResponse(req, 200, 'x'), flowFor('udp'));
    h.clock.advance(4999);
    expect(tx.state).toBe('Completed');
    expect(user.responses).toEqual([200]);
    expect(h.sender.requestTimes('OPTIONS')).toEqual([0]); // E stopped
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    expect(user.timeouts).toBe(0);
    expect(h.layer.size).toBe(0);
    expect(h.clock.scheduled).toBe(0);
  });

  it('over TCP never retransmits and terminates at once on a final response (K = 0)', () => {
    const h = harness();
    const user = recordingUser();
    const req = nonInvite('tcp');
    const tx = h.layer.sendRequest(req, destFor('tcp'), user);
    h.clock.advance(10_000);
    h.layer.receive(makeResponse(req, 404, 'x'), flowFor('tcp'));
    expect(h.sender.requestTimes('OPTIONS')).toEqual([0]);
    expect(user.responses).toEqual([404]);
    expect(tx.state).toBe('Terminated');
    expect(h.layer.size).toBe(0);
  });

  it('honours configured T1, T2 and T4', () => {
    const h = harness({ T1: 100, T2: 300, T4: 1000 });
    const user = recordingUser();
    const req = nonInvite();
    const tx = h.layer.sendRequest(req, destFor('udp'), user);
    h.clock.advance(1000);
    expect(h.sender.requestTimes('OPTIONS')).toEqual([0, 100, 300, 600, 900]);
    h.layer.receive(makeResponse(req, 200, 'x'), flowFor('udp'));
    h.clock.advance(999);
    expect(tx.state).toBe('Completed');
    h.clock.advance(1);
    expect(tx.state).toBe('Terminated');
    const h2 = harness({ T1: 100, T2: 300 });
    const u2 = recordingUser();
    h2.layer.sendRequest(nonInvite(), destFor('udp'), u2);
    h2.clock.advance(6399);
    expect(u2.timeouts).toBe(0);
    h2.clock.advance(1);
    expect(u2.timeouts).toBe(1); // F = 64·T1
  });

  it('keeps a CANCEL apart from the INVITE with the same branch (key includes the method)', () => {
    const h = harness();
    const invUser = recordingUser();
    const canUser = recordingUser();
    const invite = makeRequest({ branch: 'z9hG4bKsame' });
    const cancel = makeRequest({ method: 'CANCEL', branch: 'z9hG4bKsame' });
    const inv = h.layer.sendRequest(invite, destFor('udp'), invUser);
    const can = h.layer.sendRequest(cancel, destFor('udp'), canUser);
    h.layer.receive(makeResponse(cancel, 200, 'b'), flowFor('udp'));
    h.layer.receive(makeResponse(invite, 487, 'b'), flowFor('udp'));
    expect(canUser.responses).toEqual([200]);
    expect(invUser.responses).toEqual([487]);
    expect(can.state).toBe('Completed');
    expect(inv.state).toBe('Completed');
  });
});
