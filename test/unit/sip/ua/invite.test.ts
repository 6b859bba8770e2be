import { describe, expect, it } from 'vitest';
import { InviteClient } from '../../../../src/main/sip/ua/invite-client.ts';
import { InviteServer } from '../../../../src/main/sip/ua/invite-server.ts';
import { pair, type Pair } from './helpers.ts';

function answering(p: Pair, mode: 'answer' | 'ring' | 'busy' = 'answer'): InviteServer[] {
  const calls: InviteServer[] = [];
  p.bob.on('invite', (req, tx, flow) => {
    const s = new InviteServer(p.bob, p.media(), req, tx, flow, { sessionExpires: 0, minSE: 90 });
    calls.push(s);
    if (mode === 'busy') return s.reject(486);
    s.ring();
    if (mode === 'answer') s.answer();
  });
  return calls;
}

describe('INVITE sessions between two user agents', () => {
  it('connects, exchanges BYE, and releases every dialog and transaction', async () => {
    const p = pair();
    const servers = answering(p);
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
    const states: string[] = [];
    call.on('state', (s) => states.push(s));
    await call.start();
    await p.run(300);
    expect(call.state).toBe('connected');
    expect(servers[0]!.state).toBe('connected');
    expect(states).toContain('ringing');
    await Promise.all([call.hangup(), p.run(300)]);
    expect(call.state).toBe('terminated');
    expect(servers[0]!.end?.by).toBe('remote');
    expect(p.net.log.filter((l) => /: (INVITE|SIP\/2.0 180|SIP\/2.0 200|ACK|BYE)/.test(l)).length).toBeGreaterThanOrEqual(6);
    await p.run(40_000, 1000);
    expect(p.alice.tl.size).toBe(0);
    expect(p.bob.tl.size).toBe(0);
    expect(p.alice.dialogCount + p.bob.dialogCount).toBe(0);
  });

  it('a BYE with a Reason header (RFC 3326): the call ends by remote, saying why', async () => {
    const p = pair();
    const servers = answering(p);
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
    await call.start();
    await p.run(300);
    expect(call.state).toBe('connected');
    await Promise.all([servers[0]!.inDialog('BYE', { headers: [['Reason', 'Q.850;cause=16;text="Normal call clearing"']] }), p.run(300)]);
    expect(call.end).toMatchObject({ by: 'remote', reason: 'remote hangup (BYE; Reason: Q.850;cause=16;text="Normal call clearing")' });
  });

  it('our BYE unanswered: the call is over when the BYE leaves (§15.1.1): dated then, no request after it', async () => {
    const p = pair();
    answering(p);
    p.net.drop = (line) => line.startsWith('BYE');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
    await call.start();
    await p.run(300);
    expect(call.state).toBe('connected');
    const hangup = call.hangup('duration reached');
    const byeAt = p.clock.now();
    await p.run(1000);
    // Still waiting for the BYE's answer, but nothing more goes out in the dialog.
    expect(await call.reinvite('sendonly')).toBe(false);
    void call.hangup('again');
    await Promise.all([hangup, p.run(40_000, 1000)]);
    expect(call.state).toBe('terminated');
    expect(call.end?.reason).toMatch(/duration reached \(BYE timeout\)/);
    expect(call.endedAt).toBe(byeAt);
    const requests = p.aliceT.sent.flatMap((m) => (m.type === 'request' && m.method !== 'ACK' ? [m.method] : []));
    expect(requests.filter((m) => m === 'INVITE')).toHaveLength(1);
    const byes = p.aliceT.sent.filter((m) => m.type === 'request' && m.method === 'BYE');
    expect(new Set(byes.map((b) => b.headers.get('cseq'))).size).toBe(1);
  });

  it('follows a 302 only to a target not tried yet: a redirect back to itself ends the call with the 302', async () => {
    const p = pair();
    const seen: string[] = [];
    p.bob.on('invite', (req, tx, flow) => {
      seen.push(`${req.uri} ${req.headers.get('cseq')}`);
      const s = new InviteServer(p.bob, p.media(), req, tx, flow, { sessionExpires: 0, minSE: 90 });
      // First to bob2@, which then redirects back to bob@: a loop the caller must not follow.
      s.reject(302, 'Moved Temporarily', [['Contact', req.uri.includes('bob2') ? '<sip:bob@10.0.0.2>' : '<sip:bob2@10.0.0.2>']]);
    });
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', maxRedirects: 5 });
    const redirected: string[] = [];
    call.on('redirected', (status, to) => redirected.push(`${status} ${to}`));
    await call.start();
    await p.run(1000);
    expect(seen).toEqual(['sip:bob@10.0.0.2 1 INVITE', 'sip:bob2@10.0.0.2 2 INVITE']);
    expect(redirected).toEqual(['302 sip:bob2@10.0.0.2']);
    expect(call.state).toBe('terminated');
    expect(call.end?.status).toBe(302);
    expect(call.end?.reason).toMatch(/^302 Moved Temporarily; redirect to <sip:bob@10\.0\.0\.2> \(not followed: 1 of 5 redirects used, or no new SIP target\)/);
  });

  it('retransmits the 2xx until the ACK arrives (RFC 3261 §13.3.1.4)', async () => {
    const p = pair();
    answering(p);
    let acksDropped = 0;
    p.net.drop = (line) => line.startsWith('ACK') && acksDropped++ < 2;
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
    await call.start();
    await p.run(3000);
    const oks = p.net.log.filter((l) => l.startsWith('10.0.0.2') && l.includes('SIP/2.0 200 OK')).length;
    expect(oks).toBe(3); // original + 2 retransmissions, each re-ACKed; the third ACK got through
    expect(call.state).toBe('connected');
    await p.run(5000);
    expect(p.net.log.filter((l) => l.startsWith('10.0.0.2') && l.includes('SIP/2.0 200 OK')).length).toBe(3);
  });

  it('CANCELs an unanswered call after a provisional and gets 487', async () => {
    const p = pair();
    const servers = answering(p, 'ring');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', timeoutSec: 1 });
    await call.start();
    await p.run(1500);
    expect(call.state).toBe('terminated');
    expect(call.end?.status).toBe(487);
    expect(call.end?.by).toBe('local');
    expect(servers[0]!.end?.status).toBe(487);
    expect(p.net.log.some((l) => l.includes(': CANCEL'))).toBe(true);
  });

  it('reports a busy callee', async () => {
    const p = pair();
    answering(p, 'busy');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2' });
    await call.start();
    await p.run(300);
    expect(call.end?.status).toBe(486);
    expect(call.end?.by).toBe('remote');
  });

  it('holds and resumes by re-INVITE with mirrored directions', async () => {
    const p = pair();
    const servers = answering(p);
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 0, minSE: 90 } });
    await call.start();
    await p.run(300);
    const held: string[] = [];
    servers[0]!.on('hold', (d, by) => held.push(`${d}/${by}`));
    const [ok] = await Promise.all([call.hold(true), p.run(300)]);
    expect(ok).toBe(true);
    const lastOk = p.bobT.sent.filter((m) => m.type === 'response' && m.status === 200).at(-1)!;
    expect(lastOk.body.toString()).toContain('a=recvonly');
    const [ok2] = await Promise.all([call.hold(false), p.run(300)]);
    expect(ok2).toBe(true);
    expect(held).toEqual(['sendonly/remote', 'sendrecv/remote']);
  });

  it('times out with no answer at all (timer B) and says so', async () => {
    const p = pair();
    p.net.drop = (line) => line.startsWith('INVITE');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2' });
    await call.start();
    await p.run(33_000, 500);
    expect(call.state).toBe('terminated');
    expect(call.end?.reason).toMatch(/timer B/);
    expect(p.aliceT.sent.filter((m) => m.type === 'request' && m.method === 'INVITE').length).toBe(7);
  });

  it('--timeout with no provisional response: ends then (no CANCEL, §9.1) and stops retransmitting', async () => {
    const p = pair();
    p.net.drop = (line) => line.startsWith('INVITE');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', timeoutSec: 2 });
    await call.start();
    await p.run(1900, 100);
    expect(call.state).toBe('calling');
    await p.run(200, 100);
    expect(call.state).toBe('terminated');
    expect(call.end).toMatchObject({ by: 'error', status: 408 });
    expect(call.end?.reason).toMatch(/no response to the INVITE within the 2 s answer timeout .*RFC 3261 §9\.1/);
    const invites = (): number => p.aliceT.sent.filter((m) => m.type === 'request' && m.method === 'INVITE').length;
    // Sent at 0, 0.5 and 1.5 s (timer A doubling from T1), then nothing more, and never a CANCEL.
    expect(invites()).toBe(3);
    await p.run(10_000, 500);
    expect(invites()).toBe(3);
    expect(p.aliceT.sent.some((m) => m.type === 'request' && m.method === 'CANCEL')).toBe(false);
  });

  it('--timeout before any provisional, then a late 2xx: ACKed and closed with BYE, no dialog kept', async () => {
    const p = pair();
    p.net.drop = (line) => line.startsWith('INVITE');
    const servers = answering(p);
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', timeoutSec: 1 });
    await call.start();
    await p.run(1200, 100);
    expect(call.state).toBe('terminated');
    // An INVITE delayed in the network reaches the callee after we gave up; it answers.
    const inv = p.aliceT.sent.filter((m) => m.type === 'request' && m.method === 'INVITE').at(-1)!;
    p.bobT.emit('message', inv, { proto: 'udp', local: p.bobT.local, remote: p.aliceT.local });
    await p.run(2000, 100);
    const methods = p.aliceT.sent.flatMap((m) => (m.type === 'request' ? [m.method] : []));
    expect(methods).toContain('ACK');
    expect(methods).toContain('BYE');
    expect(servers[0]!.state).toBe('terminated');
    expect(servers[0]!.end?.by).toBe('remote');
    expect(call.end?.status).toBe(408);
    await p.run(40_000, 1000);
    expect(p.alice.dialogCount + p.bob.dialogCount).toBe(0);
  });
});
