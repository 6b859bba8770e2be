import { describe, expect, it } from 'vitest';
import { InviteClient } from '../../../../src/main/sip/ua/invite-client.ts';
import { InviteServer } from '../../../../src/main/sip/ua/invite-server.ts';
import { Registration } from '../../../../src/main/sip/ua/registration.ts';
import { responseTo } from '../../../../src/main/sip/ua/message-factory.ts';
import { sendNonInvite } from '../../../../src/main/sip/ua/request-client.ts';
import { computeDigestResponse } from '../../../../src/main/sip/auth/digest.ts';
import { parseParams } from '../../../../src/main/sip/syntax/params.ts';
import { tagOf as tagOfTo } from '../../../../src/main/sip/syntax/accessors.ts';
import { createRequest, Headers, type SipRequest } from '../../../../src/main/sip/syntax/message.ts';
import type { SessionTimerConfig } from '../../../../src/main/sip/ua/session-timer.ts';
import { pair, type Pair } from './helpers.ts';

function uas(p: Pair, cfg: SessionTimerConfig, onCall?: (s: InviteServer) => void): InviteServer[] {
  const calls: InviteServer[] = [];
  p.bob.on('invite', (req, tx, flow) => {
    const s = new InviteServer(p.bob, p.media(), req, tx, flow, cfg);
    calls.push(s);
    if (onCall) return onCall(s);
    s.ring();
    s.answer();
  });
  return calls;
}

const sent = (p: Pair, who: 'alice' | 'bob', method: string) =>
  (who === 'alice' ? p.aliceT : p.bobT).sent.filter((m) => m.type === 'request' && m.method === method) as SipRequest[];

describe('RFC 4028 session timers', () => {
  it('the refresher refreshes at half the interval by UPDATE when the peer allows it', async () => {
    const p = pair();
    uas(p, { sessionExpires: 90, minSE: 90 });
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 90, minSE: 90 } });
    const refreshed: string[] = [];
    call.on('refreshed', (m, by) => refreshed.push(`${m}/${by}`));
    await call.start();
    await p.run(300);
    expect(call.state).toBe('connected');
    expect(call.timer.current).toMatchObject({ interval: 90, weRefresh: true });
    await p.run(46_000, 500);
    expect(sent(p, 'alice', 'UPDATE').length).toBe(1);
    expect(sent(p, 'alice', 'UPDATE')[0]!.headers.get('session-expires')).toMatch(/^90;refresher=uac/);
    expect(refreshed).toEqual(['UPDATE/local']);
    expect(call.state).toBe('connected');
  });

  it('the non-refresher sends BYE when no refresh comes before expiry', async () => {
    const p = pair();
    const servers = uas(p, { sessionExpires: 90, minSE: 90 });
    // Alice refreshes; drop her refreshes so Bob's session expires.
    p.net.drop = (line) => line.startsWith('UPDATE') || line.startsWith('INVITE sip:alice');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 90, minSE: 90 } });
    await call.start();
    await p.run(300);
    await p.run(62_000, 1000);
    expect(servers[0]!.end?.reason).toMatch(/session expired/);
    expect(sent(p, 'bob', 'BYE').length).toBe(1);
  });

  it('a 422 makes the caller retry with the Min-SE asked for', async () => {
    const p = pair();
    uas(p, { sessionExpires: 1800, minSE: 300 });
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', sessionTimer: { sessionExpires: 120, minSE: 90 } });
    await call.start();
    await p.run(500);
    const invites = sent(p, 'alice', 'INVITE');
    expect(invites.length).toBe(2);
    expect(invites[1]!.headers.get('session-expires')).toMatch(/^300;/);
    expect(call.state).toBe('connected');
  });
});

describe('reliable provisionals (RFC 3262)', () => {
  it('the caller PRACKs a 180 that requires 100rel and the callee stops retransmitting it', async () => {
    const p = pair();
    const servers = uas(p, { sessionExpires: 0, minSE: 90 }, (s) => s.ring());
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', headers: [['Require', '100rel']] });
    await call.start();
    await p.run(3000);
    expect(sent(p, 'alice', 'PRACK').length).toBe(1);
    const rack = sent(p, 'alice', 'PRACK')[0]!.headers.get('rack')!;
    expect(rack).toMatch(/^\d+ 1 INVITE$/);
    const ringing = p.bobT.sent.filter((m) => m.type === 'response' && m.status === 180);
    expect(ringing.length).toBe(1);
    servers[0]!.answer();
    await p.run(300);
    expect(call.state).toBe('connected');
  });
});

describe('digest authentication on INVITE and REGISTER', () => {
  function challenger(p: Pair, password: string, status = 407): void {
    p.bob.on('invite', (req, tx) => {
      const auth = req.headers.get(status === 407 ? 'proxy-authorization' : 'authorization');
      if (auth && checkDigest(req, auth, password)) {
        const s = new InviteServer(p.bob, p.media(), req, tx, tx.flow, { sessionExpires: 0, minSE: 90 });
        return void s.answer();
      }
      const res = responseTo(req, status, undefined, 'srvtag');
      res.headers.append(status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate', 'Digest realm="test", nonce="abc123", qop="auth", algorithm=MD5');
      tx.respond(res);
    });
  }

  it('answers a 407 and connects', async () => {
    const p = pair();
    challenger(p, 'secret');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', credentials: { username: 'alice', password: 'secret' } });
    await call.start();
    await p.run(500);
    expect(call.state).toBe('connected');
    const invites = sent(p, 'alice', 'INVITE');
    expect(invites.length).toBe(2);
    expect(invites[1]!.headers.get('cseq')).toBe('2 INVITE');
    expect(invites[1]!.headers.get('call-id')).toBe(invites[0]!.headers.get('call-id'));
  });

  it('classifies a second challenge as wrong credentials', async () => {
    const p = pair();
    challenger(p, 'secret');
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', credentials: { username: 'alice', password: 'wrong' } });
    await call.start();
    await p.run(500);
    expect(call.end?.status).toBe(407);
    expect(call.end?.reason).toMatch(/wrong-credentials/);
  });

  it('classifies another realm as a realm mismatch', async () => {
    const p = pair();
    challenger(p, 'secret', 401);
    const call = new InviteClient(p.alice, p.media(), { target: 'sip:bob@10.0.0.2', credentials: { username: 'alice', password: 'secret', realm: 'other' } });
    await call.start();
    await p.run(500);
    expect(call.end?.reason).toMatch(/realm-mismatch/);
  });

  it('registers with digest, refreshes before expiry and unregisters', async () => {
    const p = pair();
    const seen: SipRequest[] = [];
    registrarOn(p, seen, 'pw');
    const reg = new Registration(p.alice, { aor: 'sip:alice@10.0.0.2', credentials: { username: 'alice', password: 'pw' }, expires: 60 });
    const out = await Promise.all([reg.register(), p.run(500)]);
    expect(out[0].response?.status).toBe(200);
    expect(reg.grantedExpires).toBe(60);
    await p.run(31_000, 1000);
    expect(reg.refreshes).toBe(1);
    const un = await Promise.all([reg.unregister(), p.run(500)]);
    expect(un[0].response?.status).toBe(200);
    expect(seen.at(-1)!.headers.get('expires')).toBe('0');
    expect(seen.every((r, i) => i === 0 || r.headers.has('authorization'))).toBe(true);
  });
});

describe('requests the UA core answers by itself', () => {
  it('answers OPTIONS 200 with Allow, 481 to an unknown dialog and 420 to an unknown Require', async () => {
    const p = pair();
    const mk = (method: string, extra: Array<[string, string]> = []) => (cseq: number) => {
      const h = new Headers([['From', '<sip:a@10.0.0.1>;tag=x1'], ['To', '<sip:b@10.0.0.2>'], ['Call-ID', `c-${method}-${extra.length}`], ['CSeq', `${cseq} ${method}`], ...extra]);
      return createRequest(method, 'sip:b@10.0.0.2', h);
    };
    const [opt] = await Promise.all([sendNonInvite(p.alice, { build: mk('OPTIONS'), firstCSeq: 1, nextHop: 'sip:10.0.0.2' }), p.run(300)]);
    expect(opt.response?.status).toBe(200);
    expect(opt.response?.headers.get('allow')).toContain('INVITE');
    const [bye] = await Promise.all([sendNonInvite(p.alice, { build: mk('BYE', [['X-Z', '1']]), firstCSeq: 1, nextHop: 'sip:10.0.0.2' }), p.run(300)]);
    expect(bye.response?.status).toBe(481);
    const [req] = await Promise.all([sendNonInvite(p.alice, { build: mk('MESSAGE', [['Require', 'foo-bar']]), firstCSeq: 1, nextHop: 'sip:10.0.0.2' }), p.run(300)]);
    expect(req.response?.status).toBe(420);
    expect(req.response?.headers.get('unsupported')).toBe('foo-bar');
  });

  it('gives every response outside a dialog a To tag, the same one to a retransmission (RFC 3261 §8.2.6.2)', async () => {
    const p = pair();
    const mk = (method: string, extra: Array<[string, string]> = []) => (cseq: number) => {
      const h = new Headers([['From', '<sip:a@10.0.0.1>;tag=x2'], ['To', '<sip:b@10.0.0.2>'], ['Call-ID', `t-${method}-${extra.length}`], ['CSeq', `${cseq} ${method}`], ...extra]);
      return createRequest(method, 'sip:b@10.0.0.2', h);
    };
    const cases: Array<[string, Array<[string, string]>, number]> = [
      ['OPTIONS', [], 200],
      ['SUBSCRIBE', [], 405],
      ['BYE', [], 481],
      ['INFO', [['Require', 'nope']], 420],
      ['INVITE', [], 480], // no one listens for INVITEs on bob
      ['NOTIFY', [['Event', 'message-summary']], 481],
      ['MESSAGE', [['Content-Type', 'text/plain']], 200],
      ['MESSAGE', [['Content-Type', 'application/json'], ['X-A', '1']], 415],
    ];
    for (const [method, extra, status] of cases) {
      if (method === 'INVITE') {
        p.aliceT.sent.length = 0;
        const h = mk('INVITE', [['Via', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKinv1'], ['Max-Forwards', '70']])(1);
        await p.aliceT.send(h, { proto: 'udp', remote: { address: '10.0.0.2', port: 5060 } });
        await p.run(100);
        const res = p.bobT.sent.filter((m) => m.type === 'response' && m.status === 480);
        expect(res.length, method).toBe(1);
        expect(tagOfTo(res[0]!.headers.get('to')), method).toMatch(/^[0-9a-f]{12}$/);
        continue;
      }
      const [r] = await Promise.all([sendNonInvite(p.alice, { build: mk(method, extra), firstCSeq: 1, nextHop: 'sip:10.0.0.2' }), p.run(300)]);
      expect(r.response?.status, method).toBe(status);
      expect(tagOfTo(r.response?.headers.get('to')), `${method} ${status}`).toMatch(/^[0-9a-f]{12}$/);
      if (method === 'OPTIONS') expect(r.response?.headers.get('supported')).not.toMatch(/replaces/);
      if (status === 415) expect(r.response?.headers.get('accept')).toBe('text/plain');
    }
    // A 100 carries no tag; a response built twice for the same request names the same tag.
    const req = mk('OPTIONS')(7);
    req.headers.prepend('Via', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKsame');
    expect(tagOfTo(responseTo(req, 100).headers.get('to'))).toBeUndefined();
    expect(tagOfTo(responseTo(req, 400).headers.get('to'))).toBe(tagOfTo(responseTo(req, 400).headers.get('to')));
    expect(tagOfTo(responseTo(req, 200, undefined, 'mine').headers.get('to'))).toBe('mine');
  });

  it('answers a request whose CSeq method differs from its method with 400 and the reason', async () => {
    const p = pair();
    const malformed: string[] = [];
    p.bob.on('malformed', (r) => malformed.push(r));
    const h = new Headers([
      ['Via', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbad1'],
      ['From', '<sip:a@10.0.0.1>;tag=x1'],
      ['To', '<sip:b@10.0.0.2>'],
      ['Call-ID', 'bad-1'],
      ['CSeq', '1 INVITE'],
      ['Max-Forwards', '70'],
    ]);
    await p.aliceT.send(createRequest('OPTIONS', 'sip:b@10.0.0.2', h), { proto: 'udp', remote: { address: '10.0.0.2', port: 5060 } });
    await p.run(100);
    const res = p.bobT.sent.find((m) => m.type === 'response');
    expect(res?.type === 'response' && res.status).toBe(400);
    expect(res?.type === 'response' && res.reason).toMatch(/CSeq/i);
    expect(malformed.length).toBe(1);
  });
});

function checkDigest(req: SipRequest, header: string, password: string): boolean {
  const prm = parseParams(header.replace(/^Digest\s+/i, '').replace(/,\s*/g, ';'));
  const expected = computeDigestResponse({
    algorithm: 'MD5',
    username: prm['username']!,
    realm: prm['realm']!,
    password,
    method: req.method,
    uri: prm['uri']!,
    nonce: prm['nonce']!,
    nc: prm['nc'] ? parseInt(prm['nc'], 16) : undefined,
    cnonce: prm['cnonce'] ?? undefined,
    qop: (prm['qop'] ?? undefined) as 'auth' | undefined,
  });
  return expected === prm['response'];
}

function registrarOn(p: Pair, seen: SipRequest[], password: string): void {
  p.bob.handlers.set('REGISTER', (req, tx) => {
    seen.push(req);
    const auth = req.headers.get('authorization');
    if (!auth || !checkDigest(req, auth, password)) {
      const res = responseTo(req, 401, undefined, 'r1');
      res.headers.append('WWW-Authenticate', 'Digest realm="reg", nonce="n1", qop="auth"');
      return tx.respond(res);
    }
    const res = responseTo(req, 200, undefined, 'r1');
    res.headers.append('Contact', `${req.headers.get('contact')};expires=${req.headers.get('expires') ?? '60'}`);
    tx.respond(res);
  });
}
