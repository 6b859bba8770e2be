/**
 * `trunkscope call` against SIPp callees with one odd behaviour each: early media, proxy digest
 * auth, hold by re-INVITE, a short session timer, 422 Session Interval Too Small, reliable 183.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllStarted } from '../../support/processes.ts';
import { callSippUas } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The digest uas-407-auth.xml expects: RFC 2617 §3.2.2.1 without qop. */
function expectedProxyDigest(port: number, user: string, password: string): string {
  const ha1 = md5(`${user}:trunkscope.test:${password}`);
  const ha2 = md5(`INVITE:sip:echo@127.0.0.1:${port}`);
  return md5(`${ha1}:6b8b4567327b23c6643c9869:${ha2}`);
}

describe('call → SIPp UAS, odd behaviours (UDP)', () => {
  it('uas-183-early-media: 183 with SDP counts as ringing, then answered', async () => {
    const { cli, sipp, why } = await callSippUas('uas-183-early-media', 'udp', ['--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    const r = cli.json!;
    expect(r, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'local' });
    expect(r.timeline!.ringingMs, why).not.toBeNull();
    // SIPp waits 500 ms between the 183 and the 200.
    expect(r.timeline!.answerMs! - r.timeline!.ringingMs!, why).toBeGreaterThanOrEqual(400);
  });

  it('uas-407-auth: the retried INVITE carries a correct Proxy-Authorization digest', async () => {
    const { cli, sipp, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password', 'secret', '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedProxyDigest(port, 'alice', 'secret') } }),
    });
    expect(sipp.code, why).toBe(0);
    expect(sipp.logs, why).toContain('ok=true');
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
    expect(cli.json!.authFailure, why).toBeUndefined();
  });

  it('uas-407-auth with a wrong password: second challenge → auth-failed / wrong-credentials, exit 1', async () => {
    const { cli, sipp, why } = await callSippUas('uas-407-auth', 'udp', ['--user', 'alice', '--password', 'not-the-secret', '--duration', '1'], {
      sipp: (port) => ({ vars: { expected_response: expectedProxyDigest(port, 'alice', 'secret') } }),
    });
    // SIPp fails its call on purpose when the digest is wrong, in the <error> action run on the
    // ACK of the second 407 (so the message below also proves that ACK arrived); SIPp 3.6
    // exits 255 for an <error> action.
    expect(sipp.code, why).toBe(255);
    expect(sipp.logs, why).toContain('ok=false');
    expect(sipp.errors, why).toContain('wrong digest response');
    expect(cli.code, why).toBe(1);
    expect(cli.json, why).toMatchObject({ outcome: 'auth-failed', authFailure: 'wrong-credentials', finalStatus: 407 });
  });

  it('uas-reinvite: the callee holds (sendonly), we answer recvonly and report the hold', async () => {
    const { cli, sipp, why } = await callSippUas('uas-reinvite', 'udp', ['--duration', '2']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    const r = cli.json!;
    expect(r, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'local' });
    const hold = r.events!.find((e) => e.event === 'hold');
    expect(hold, why).toBeDefined();
    expect(hold!.detail, why).toMatch(/remote/);
  });

  it('uas-session-timer: Session-Expires 4 refresher=uac → we refresh by UPDATE within 3 s', async () => {
    const { cli, sipp, why } = await callSippUas('uas-session-timer', 'udp', ['--duration', '3']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    const r = cli.json!;
    expect(r, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'local' });
    const refresh = r.events!.find((e) => e.event === 'refresh');
    expect(refresh, why).toBeDefined();
    expect(refresh!.detail, why).toBe('UPDATE by local');
    const connectedAt = r.events!.find((e) => e.event === 'state:connected')!.atMs;
    expect(refresh!.atMs - connectedAt, why).toBeLessThanOrEqual(3000);
  });

  it('uas-422: Min-SE 120 → we retry with Session-Expires >= 120 and get answered', async () => {
    const { cli, sipp, why } = await callSippUas('uas-422', 'udp', ['--session-expires', '30', '--min-se', '30', '--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(sipp.logs, why).toMatch(/retry Session-Expires=\d+ Min-SE=\d+/);
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
  });

  it('uas-100rel: reliable 183 is PRACKed with the right RAck before the answer', async () => {
    const { cli, sipp, why } = await callSippUas('uas-100rel', 'udp', ['--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
    expect(cli.json!.timeline!.ringingMs, why).not.toBeNull();
    // The reliable 183 is sent once and PRACKed, not retransmitted.
    expect(sipp.messages.match(/^SIP\/2\.0 183 /gm)?.length ?? 0, why).toBe(1);
  });
});
