/**
 * Issue 15 item 7, the CLI part (RFC 3261 §19.1.1 deprecates passwords in a URI's userinfo):
 * `trunkscope call sip:echo:secret@HOST` sends no `echo:secret@` on the wire — not in the
 * Request-URI, To, From or anywhere — and uses the password for digest: SIPp's uas-407-auth
 * answers 200 only to the right Proxy-Authorization response; `register sip:alice:secret@HOST`
 * registers with Kamailio's digest and sends no password in the REGISTER (our --trace).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';
import { kamailioPassword, startKamailio } from '../../support/kamailio.ts';

afterEach(stopAllStarted);
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function trunk(port: number, user: string, password: string) {
  const expected = md5(`${md5(`${user}:trunkscope.test:${password}`)}:6b8b4567327b23c6643c9869:${md5(`INVITE:sip:echo@127.0.0.1:${port}`)}`);
  const sipp = await startSipp({ scenario: 'uas-407-auth', localPort: port, service: 'echo', vars: { expected_response: expected } });
  await sipp.ready;
  return sipp;
}

describe('call sip:user:password@host', () => {
  it('the password is not on the wire and authenticates the call', async () => {
    const port = await freePort();
    const sipp = await trunk(port, 'echo', 'Uri-Secret-9');
    const r = await runCli(['call', `sip:echo:Uri-Secret-9@127.0.0.1:${port}`, '--duration', '1', '--json', '--trace'], { timeoutMs: 30_000 });
    const s = await finishSipp(sipp, 5000);
    const why = `${explain(r)}\n--- sipp:\n${explainSipp(s)}`;
    expect(r.json, why).toMatchObject({ command: 'call', outcome: 'answered', finalStatus: 200 });
    expect(s.code, why).toBe(0);
    // What SIPp received, and what our trace says we sent: no password anywhere.
    expect(s.messages, why).toMatch(/^INVITE sip:echo@127\.0\.0\.1:\d+ SIP\/2\.0/m);
    expect(s.messages, why).toMatch(/^Proxy-Authorization: Digest username="echo"/m);
    expect(s.messages, why).not.toContain('Uri-Secret-9');
    expect(r.stderr, why).toMatch(/^INVITE sip:echo@127\.0\.0\.1:\d+ SIP\/2\.0/m);
    expect(r.stderr + r.stdout, why).not.toContain('Uri-Secret-9');
    expect(r.stderr, why).toMatch(/the password in the URI is not sent \(RFC 3261 §19\.1\.1/);
  });

  it('--password given as well wins over the URI password (still stripped from the wire)', async () => {
    const port = await freePort();
    const sipp = await trunk(port, 'echo', 'Flag-Secret');
    const r = await runCli(['call', `sip:echo:Wrong-In-Uri@127.0.0.1:${port}`, '--password-stdin', '--duration', '1', '--json'], { timeoutMs: 30_000, input: 'Flag-Secret\n' });
    const s = await finishSipp(sipp, 5000);
    const why = `${explain(r)}\n--- sipp:\n${explainSipp(s)}`;
    expect(r.json?.outcome, why).toBe('answered');
    expect(s.messages, why).not.toContain('Wrong-In-Uri');
  });
});

describe('register sip:user:password@host', () => {
  it('Kamailio registers it (401 then 200); the REGISTERs carry no password', async () => {
    const kam = await startKamailio({ timeoutMs: 60_000 });
    try {
      const r = await runCli(['register', `sip:alice:${kamailioPassword}@127.0.0.1:${kam.port}`, '--json', '--trace'], { timeoutMs: 30_000 });
      const why = `${explain(r)}\nkamailio:\n${kam.log().slice(-3000)}`;
      expect(r.json, why).toMatchObject({ outcome: 'registered', finalStatus: 200 });
      expect(r.stderr, why).toMatch(/^REGISTER sip:127\.0\.0\.1:\d+ SIP\/2\.0/m);
      expect(r.stderr, why).toMatch(/^To: <sip:alice@127\.0\.0\.1:\d+>/m);
      expect(r.stderr, why).toMatch(/^Authorization: Digest username="alice"/m);
      expect(r.stderr, why).not.toContain(`alice:${kamailioPassword}@`);
    } finally {
      await kam.stop();
    }
  });
});
