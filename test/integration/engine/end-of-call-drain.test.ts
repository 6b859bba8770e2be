/**
 * Packets in flight at the end of a call are counted (issue 10 item 9): A ⇄ relay (30 ms added
 * delay each way) ⇄ B, real RTP on 127.0.0.1. The call ends the way a BYE ends it — both sides
 * stop at once — and each side's drain keeps receiving until the peer's stream is quiet, so every
 * packet the peer sent is in the report, not the 1–2 still crossing the relay when it stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CallMedia } from '../../../src/main/engine/media/call-media.ts';
import type { MediaPrefs } from '../../../src/main/engine/media/media-prefs.ts';
import { ImpairRelay, rewriteSdpMedia, sdpMedia } from '../../support/impair-relay.ts';

const prefs: MediaPrefs = {
  codecs: ['PCMU'],
  dtmf: 'rfc2833',
  srtp: 'off',
  symmetric: true,
  portRange: { min: 30000, max: 40000 },
  bindAddress: '127.0.0.1',
  sdpAddress: '127.0.0.1',
  ptime: 20,
  rtcpMux: false,
  source: { kind: 'tone', hz: 1004 },
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('end-of-call drain', () => {
  it('30 ms of media delay: after the drain each side has received every packet the other sent', { timeout: 20_000 }, async () => {
    const a = await CallMedia.open(prefs);
    const b = await CallMedia.open(prefs);
    cleanups.push(() => a.close(), () => b.close());
    const delay = { delay: { minMs: 30, maxMs: 30 } };
    const relay = await ImpairRelay.start({ aToB: delay, bToA: delay, seed: 7, maxLifetimeMs: 15_000 });
    cleanups.push(() => relay.close());
    const offer = a.offer('sendrecv');
    relay.setA(sdpMedia(offer));
    const ans = b.answer(rewriteSdpMedia(offer, { port: relay.portB }));
    if (!ans.ok) throw new Error(`B refused the offer: ${ans.status} ${ans.reason}`);
    relay.setB(sdpMedia(ans.sdp));
    a.onAnswer(rewriteSdpMedia(ans.sdp, { port: relay.portA }));
    a.markAnswered();
    b.markAnswered();
    await new Promise((r) => setTimeout(r, 2000));

    // The BYE: both stop sending now; what each had in flight is still crossing the relay.
    const drains = [a.drain(), b.drain()];
    const atBye = { a: a.report().received.packets, b: b.report().received.packets };
    const t0 = performance.now();
    await Promise.all(drains);
    const tookMs = performance.now() - t0;
    const ra = a.report();
    const rb = b.report();
    const why = `at BYE ${JSON.stringify(atBye)}; drain ${tookMs.toFixed(0)} ms\nA ${JSON.stringify(ra.sent)} / ${JSON.stringify(ra.received)}\nB ${JSON.stringify(rb.sent)} / ${JSON.stringify(rb.received)}`;
    // The problem the drain solves: at the BYE, packets were still in flight.
    expect(atBye.a, why).toBeLessThan(rb.sent.packets);
    expect(atBye.b, why).toBeLessThan(ra.sent.packets);
    // After it, every packet is counted, no loss reported, and the drain was short.
    expect(ra.received.packets, why).toBe(rb.sent.packets);
    expect(rb.received.packets, why).toBe(ra.sent.packets);
    expect(ra.received.lost, why).toBe(0);
    expect(rb.received.lost, why).toBe(0);
    expect(tookMs, why).toBeLessThan(450);
    // Sending stopped at the BYE: nothing more goes out after the drain.
    const sentAfter = a.report().sent.packets;
    await new Promise((r) => setTimeout(r, 100));
    expect(a.report().sent.packets, why).toBe(sentAfter);
  });
});
