/**
 * The SRTP verdict describes what each side did (issue 10 item 5): a best-effort SRTP offer
 * (RTP/AVP with a=crypto, RFC 4568) answered with plain RTP is by design, not `srtp-mismatch`,
 * whichever side offered. Our CLI both ways, and baresip's best-effort offer to `listen --srtp off`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { baresipLog, startBaresip } from '../../support/baresip.ts';
import { explain } from '../../support/cli.ts';
import { callOurs, listenedCall, mediaOf, startOurListen, stopOurListen } from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

/** Neither the verdict nor any further finding is srtp-mismatch, and audio flowed both ways. */
function expectNoSrtpMismatch(r: CallReport, why: string): void {
  const m = mediaOf(r, why);
  expect(m.oneWayAudio?.verdict, why).not.toBe('srtp-mismatch');
  expect(JSON.stringify(m.oneWayAudio), why).not.toMatch(/srtp-mismatch|we offered SRTP/);
  expect(m.srtp.active, why).toBe(false);
  expect(m.sent.packets, why).toBeGreaterThanOrEqual(40);
  expect(m.received.packets, why).toBeGreaterThanOrEqual(40);
}

describe('SRTP verdicts say who offered what', () => {
  it('late-offer call to a default listener: the listener offers SRTP best-effort, we answer plain RTP — no mismatch on either side', async () => {
    const l = await startOurListen([]);
    const call = await callOurs(l.uri, ['--late-offer', '--duration', '2']);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    expect(call.code, why).toBe(0);
    const agent = listenedCall(listen, call.json!.callId, why);
    expectNoSrtpMismatch(call.json!, why);
    expectNoSrtpMismatch(agent, why);
    expect(mediaOf(call.json, why).srtp.negotiation, why).toBe('the peer offered SRTP best-effort (RTP/AVP with a=crypto); we answered plain RTP (our --srtp off)');
    expect(mediaOf(agent, why).srtp.negotiation, why).toBe('we offered SRTP best-effort (RTP/AVP with a=crypto); the peer answered plain RTP (our --srtp offer)');
  });

  it('listen --srtp off answering call --srtp offer: no mismatch on either side', async () => {
    const l = await startOurListen(['--srtp', 'off']);
    const call = await callOurs(l.uri, ['--srtp', 'offer', '--duration', '2']);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    expect(call.code, why).toBe(0);
    const agent = listenedCall(listen, call.json!.callId, why);
    expectNoSrtpMismatch(call.json!, why);
    expectNoSrtpMismatch(agent, why);
    expect(mediaOf(agent, why).srtp.negotiation, why).toBe('the peer offered SRTP best-effort (RTP/AVP with a=crypto); we answered plain RTP (our --srtp off)');
    expect(mediaOf(call.json, why).srtp.negotiation, why).toBe('we offered SRTP best-effort (RTP/AVP with a=crypto); the peer answered plain RTP (our --srtp offer)');
  });

  it('call --srtp offer to a default listener: SRTP both ways, no verdict against it', async () => {
    const l = await startOurListen([]);
    const call = await callOurs(l.uri, ['--srtp', 'offer', '--duration', '2']);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    const agent = listenedCall(listen, call.json!.callId, why);
    for (const r of [call.json!, agent]) {
      const m = mediaOf(r, why);
      expect(m.srtp.active, why).toBe(true);
      expect(m.oneWayAudio?.verdict, why).not.toBe('srtp-mismatch');
      expect(JSON.stringify(m.oneWayAudio), why).not.toMatch(/srtp-mismatch/);
    }
  });

  it('baresip (mediaenc=srtp, best-effort) → listen --srtp off: plain RTP, no mismatch', async () => {
    const l = await startOurListen(['--srtp', 'off']);
    const bs = await startBaresip({ commands: [`/dial ${l.uri}`], quitAfterS: 3, timeoutMs: 15_000, mediaenc: 'srtp' });
    const out = await bs.exited;
    const listen = await stopOurListen(l);
    const why = `--- listener:\n${explain(listen)}\n--- baresip:\n${baresipLog(out)}`;
    expect(listen.json?.calls, why).toHaveLength(1);
    const call = listen.json!.calls![0]!;
    expect(call, why).toMatchObject({ outcome: 'answered' });
    expectNoSrtpMismatch(call, why);
    expect(mediaOf(call, why).srtp.negotiation, why).toMatch(/^the peer offered SRTP best-effort .*; we answered plain RTP/);
  });
});
