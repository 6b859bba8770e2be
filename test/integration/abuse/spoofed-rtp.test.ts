/**
 * Issue 15 item 4: spoofed RTP, RFC 4733 DTMF, RTCP and forged SRTP from 127.0.0.2 sprayed at
 * every port of both RTP ranges during a call between our `listen` and our `call`. Before the fix
 * both reports counted the spoofed packets (SSRC changes, loss reset, DTMF "2"/"B", a false
 * verdict); now they are refused as `received.foreign` and the figures stay clean.
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { startSpoofer } from '../../support/rtp-spoofer.ts';

describe('spoofed media from 127.0.0.2 during a call', () => {
  for (const srtp of ['off', 'require'] as const) {
    it(`srtp ${srtp}: the call's reports stay clean, the spoofed packets are counted as foreign`, async () => {
      const port = await freePort();
      const lr = await freePort(8);
      const cr = await freePort(8);
      const listen = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--rtp-ports', `${lr}-${lr + 7}`, '--json'], { timeoutMs: 60_000 });
      try {
        await listen.ready;
        const spoof = await startSpoofer({ ranges: [{ min: lr, max: lr + 7 }, { min: cr, max: cr + 7 }], durationMs: 8000 });
        const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--duration', '3', '--rtp-ports', `${cr}-${cr + 7}`, '--srtp', srtp, '--json'], { timeoutMs: 30_000 });
        await spoof.stop();
        expect(spoof.sent()).toBeGreaterThan(1000);
        const m = r.json?.media;
        expect(r.json?.outcome, explain(r)).toBe('answered');
        expect(m!.received.foreign, 'spoofed packets counted apart').toBeGreaterThan(50);
        expect(m!.received.foreignSources?.[0]).toMatch(/^127\.0\.0\.2:/);
        expect(m!.dtmf.received).toEqual([]);
        expect(m!.received.ssrcChanges).toBe(0);
        expect(m!.received.srtpAuthFailures).toBe(0);
        expect(m!.received.lost).toBeLessThanOrEqual(2);
        expect(m!.received.packets).toBeGreaterThan(100);
        expect(m!.received.packets).toBeLessThanOrEqual(m!.sent.packets + 2);
        expect(m!.oneWayAudio?.verdict, JSON.stringify(m!.oneWayAudio)).toBe('ok');
        const lj = (await listen.stop()).json;
        const lm = lj?.calls?.[0]?.media;
        expect(lm?.received.foreign).toBeGreaterThan(50);
        expect(lm?.dtmf.received).toEqual([]);
        expect(lm?.received.ssrcChanges).toBe(0);
        expect(lm?.oneWayAudio?.verdict).toBe('ok');
      } finally {
        await listen.stop();
      }
    });
  }
});
