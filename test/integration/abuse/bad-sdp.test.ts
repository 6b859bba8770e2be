/**
 * Issue 15 item 3: an INVITE whose SDP has a value out of range (a=ptime:5000 used to throw a
 * RangeError inside the agent) always ends in a final response — 488 with a Warning naming the
 * field — and releases its RTP ports: with a listener limited to two RTP port pairs, a normal call
 * after every bad INVITE is still answered with media.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { runCli, startListen, type Listener } from '../../support/cli.ts';
import { RawUac, offerSdp } from '../../support/raw-uac.ts';

let port: number;
let listener: Listener;
let uac: RawUac;

beforeAll(async () => {
  port = await freePort();
  const rtp = await freePort(4);
  listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--rtp-ports', `${rtp}-${rtp + 3}`, '--json'], { timeoutMs: 120_000 });
  await listener.ready;
  uac = await RawUac.open();
});
afterAll(async () => {
  uac?.close();
  await listener?.stop();
});

const CASES: Array<[string, string[], string?]> = [
  ['a=ptime:5000', ['a=ptime:5000']],
  ['a=ptime:0', ['a=ptime:0']],
  ['a=ptime:abc', ['a=ptime:abc']],
  ['a=maxptime:99999', ['a=maxptime:99999']],
  ['rtpmap clock rate 0', ['a=rtpmap:96 opus/0'], 'm=audio 40000 RTP/AVP 96 0'],
  ['rtpmap clock rate 99999999', ['a=rtpmap:96 opus/99999999/2'], 'm=audio 40000 RTP/AVP 96 0'],
  ['rtpmap 200 channels', ['a=rtpmap:96 opus/48000/200'], 'm=audio 40000 RTP/AVP 96 0'],
  ['a=rtcp:0', ['a=rtcp:0']],
  ['m= port 70000', [], 'm=audio 70000 RTP/AVP 0 101'],
  ['m= port 99999999999', [], 'm=audio 99999999999 RTP/AVP 0 101'],
];

describe('out-of-range SDP in an INVITE', () => {
  for (const [name, extra, mLine] of CASES) {
    it(`${name}: a final response with a Warning, and ports released`, async () => {
      const res = await uac.invite(port, offerSdp(extra, mLine));
      expect(res, 'a final response').toBeDefined();
      expect([400, 488]).toContain(res!.status);
      expect(res!.header('warning')).toMatch(/^3\d\d trunkscope "/);
    });
  }

  it('after every bad INVITE (ten more a=ptime:5000), a normal call still gets RTP ports', async () => {
    for (let i = 0; i < 10; i++) expect((await uac.invite(port, offerSdp(['a=ptime:5000'])))?.status).toBe(488);
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--duration', '1', '--json'], { timeoutMs: 30_000 });
    expect(r.json?.outcome, r.stderr.slice(-2000)).toBe('answered');
    expect(r.json?.media?.received.packets ?? 0).toBeGreaterThan(20);
  });
});
