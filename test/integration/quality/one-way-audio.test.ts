/**
 * Issue 4, one-way-audio verdicts on real RTP over 127.0.0.1: "a call through a one-way blackhole
 * reports the right direction and evidence"; a blackhole that starts mid-call gives the second
 * audio stopped; an SDP naming another port than the RTP comes from is a NAT mismatch naming both.
 *
 * Two CallMedia endpoints (tone, PCMU, 20 ms) form the call without SIP; the impairment relay
 * (test/support/impair-relay.ts) sits between them where a blackhole is needed. Verdicts are read
 * from `media.oneWayAudio` of each side's report = `{ verdict, direction, evidence, ... }`.
 *
 * A private address in the SDP "from a public signalling address" cannot be staged on loopback
 * (signalling is always from 127.0.0.1, and sending RTP to a private address would leave
 * 127.0.0.1), so that verdict is checked by calling the verdict function with the facts a real
 * call would give it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { CallMedia } from '../../../src/main/engine/media/call-media.ts';
import type { MediaPrefs } from '../../../src/main/engine/media/media-prefs.ts';
import type { MediaReport } from '../../../src/shared/model/report.ts';
import { oneWayAudioVerdict } from '../../../src/main/media/stats/one-way-audio.ts';
import {
  ImpairRelay,
  rewriteSdpMedia,
  sdpMedia,
  type ImpairProfile,
} from '../../support/impair-relay.ts';

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

/** The one-way-audio section of the media report (issue 4; docs/report-schema.md). */
interface OneWay {
  verdict: string;
  direction: string | null;
  evidence: string[];
  sinceMs?: number;
  others?: Array<{ verdict: string; direction: string; evidence: string[]; sinceMs?: number }>;
}

const oneWay = (r: MediaReport): OneWay | undefined =>
  (r as MediaReport & { oneWayAudio?: OneWay }).oneWayAudio;
const show = (label: string, r: MediaReport): string =>
  `${label} media report:\n${JSON.stringify(r, null, 2)}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function media(p: Partial<MediaPrefs> = {}): Promise<CallMedia> {
  const m = await CallMedia.open({ ...prefs, ...p });
  cleanups.push(() => m.close());
  return m;
}

interface RelayedCall {
  a: CallMedia;
  b: CallMedia;
  relay: ImpairRelay;
  /** performance.now() when both sides were marked answered. */
  answeredAt: number;
}

/** A ⇄ relay ⇄ B, each side's SDP rewritten to point at the relay. */
async function relayedCall(aToB: ImpairProfile, bToA: ImpairProfile = {}): Promise<RelayedCall> {
  const a = await media();
  const b = await media();
  const relay = await ImpairRelay.start({ aToB, bToA, seed: 1, maxLifetimeMs: 30_000 });
  cleanups.push(() => relay.close());
  const offer = a.offer('sendrecv');
  relay.setA(sdpMedia(offer));
  const ans = b.answer(rewriteSdpMedia(offer, { port: relay.portB }));
  if (!ans.ok) throw new Error(`B refused the offer: ${ans.status} ${ans.reason}`);
  relay.setB(sdpMedia(ans.sdp));
  a.onAnswer(rewriteSdpMedia(ans.sdp, { port: relay.portA }));
  a.markAnswered();
  b.markAnswered();
  return { a, b, relay, answeredAt: performance.now() };
}

describe('one-way audio on real RTP through a blackhole', () => {
  it(
    'A→B blackholed from the start: B reports no inbound RTP, A learns from RTCP that nothing arrives',
    { timeout: 20_000 },
    async () => {
      const { a, b, relay } = await relayedCall({ blackhole: {} });
      // The verdict needs 5 s without RTP after answer; B's first RTCP report comes at 1.25–3.75 s.
      await sleep(6500);
      const ra = a.report();
      const rb = b.report();
      const context = `relay ${relay.describe()}\n${show('A', ra)}\n${show('B', rb)}`;
      expect(relay.counters.aToB.blackholed, context).toBeGreaterThan(250);
      expect(rb.received.packets, context).toBe(0);
      expect(ra.received.packets, context).toBeGreaterThan(250);

      // B: nothing arrives — inbound, naming the address B's SDP view says audio should come from.
      const vb = oneWay(rb);
      expect(vb, context).toMatchObject({ verdict: 'no-inbound-rtp', direction: 'inbound' });
      expect(vb!.evidence.join('\n'), context).toContain(`127.0.0.1:${relay.portB}`);
      expect(vb!.evidence.join('\n'), context).toMatch(/no RTP/i);

      // A: its RTP goes out, but the peer's RTCP never reports receiving any of it — outbound.
      expect(relay.counters.bToA.rtcpForwarded, context).toBeGreaterThan(0);
      const va = oneWay(ra);
      expect(va, context).toMatchObject({ verdict: 'no-outbound-rtp', direction: 'outbound' });
      expect(va!.evidence.join('\n'), context).toMatch(/RTCP/);
      expect(va!.evidence.join('\n'), context).toContain(`127.0.0.1:${relay.portA}`);
    },
  );

  it(
    'A→B blackholed from 2 s on: B reports inbound stopped, with the second it stopped; A learns it from RTCP',
    { timeout: 30_000 },
    async () => {
      const { a, b, relay, answeredAt } = await relayedCall({ blackhole: { afterMs: 2000 } });
      // Stopped-verdict threshold 3 s after the last packet.
      await sleep(6000);
      const ra = a.report();
      const rb = b.report();
      const context = `relay ${relay.describe()}\n${show('A', ra)}\n${show('B', rb)}`;
      const began = relay.counters.aToB.blackholeStartedAt;
      expect(began, context).toBeDefined();
      const beganSec = (began! - answeredAt) / 1000;
      expect(rb.received.packets, context).toBeGreaterThan(80);
      expect(rb.received.packets, context).toBeLessThan(120);

      const vb = oneWay(rb);
      expect(vb, context).toMatchObject({ verdict: 'inbound-stopped', direction: 'inbound' });
      const text = vb!.evidence.join('\n');
      const stoppedAt = /stopped (\d+(?:\.\d+)?) s after answer/.exec(text);
      expect(
        stoppedAt,
        `expected "stopped N s after answer" in the evidence; blackhole began ${beganSec.toFixed(2)} s after answer\n${context}`,
      ).not.toBeNull();
      expect(
        Math.abs(Number(stoppedAt![1]) - beganSec),
        `evidence says ${stoppedAt![1]} s, blackhole began ${beganSec.toFixed(2)} s after answer\n${context}`,
      ).toBeLessThanOrEqual(0.15);
      expect(text, context).toContain(`127.0.0.1:${relay.portB}`);
      // sinceMs: ms since answer from which the verdict holds (the last packet before the blackhole).
      expect(Math.abs((vb!.sinceMs ?? NaN) / 1000 - beganSec), context).toBeLessThanOrEqual(0.15);
      // A still receives B, so A's only possible finding is about its own outbound audio, and it
      // needs RTCP: B's reports (RFC 3550 §6.3.1, 5 s × 0.5–1.5) must stop counting A's packets.
      // Until two of them arrived after the blackhole A has no evidence (ok); within 20 s it must.
      const early = oneWay(ra);
      expect(['ok', 'outbound-stopped'], context).toContain(early?.verdict);
      let va = early;
      while (va?.verdict !== 'outbound-stopped' && performance.now() - answeredAt < 20_000) {
        await sleep(250);
        va = oneWay(a.report());
      }
      const later = `${context}\nA later:\n${JSON.stringify(va, null, 2)}`;
      expect(va, later).toMatchObject({ verdict: 'outbound-stopped', direction: 'outbound' });
      expect(va!.others ?? [], later).toEqual([]);
      expect(va!.evidence.join('\n'), later).toContain(`${rb.received.packets} received by the peer`);
      // sinceMs: when A sent the last packet B's reports count, i.e. when the blackhole began.
      expect(Math.abs((va!.sinceMs ?? NaN) / 1000 - beganSec), later).toBeLessThanOrEqual(0.15);
      expect(va!.evidence.join('\n'), later).toMatch(/after the one we sent \d+\.\d s after answer/);
    },
  );
});

describe('one-way audio: addresses', () => {
  it(
    'RTP from another port than the SDP named (NAT), symmetric RTP: nat-mismatch naming both, audio flows',
    { timeout: 20_000 },
    async () => {
      // A decoy socket stands where B's SDP (rewritten) says B is; B really sends from its own port.
      const decoy: Socket = createSocket('udp4');
      let decoyPackets = 0;
      decoy.on('message', () => decoyPackets++);
      await new Promise<void>((r) => decoy.bind(0, '127.0.0.1', () => r()));
      cleanups.push(() => new Promise<void>((r) => decoy.close(() => r())));
      const decoyPort = decoy.address().port;

      const a = await media({ symmetric: true });
      const b = await media();
      const ans = b.answer(a.offer('sendrecv'));
      if (!ans.ok) throw new Error(ans.reason);
      a.onAnswer(rewriteSdpMedia(ans.sdp, { port: decoyPort }));
      a.markAnswered();
      b.markAnswered();
      await sleep(1500);
      const ra = a.report();
      const rb = b.report();
      const context = `B really at 127.0.0.1:${b.rtp.localPort}, SDP says 127.0.0.1:${decoyPort} (decoy got ${decoyPackets})\n${show('A', ra)}`;

      // Symmetric RTP: A latched onto where B's RTP comes from, so B hears A.
      expect(ra.sent.remoteAddress, context).toBe(`127.0.0.1:${b.rtp.localPort}`);
      expect(rb.received.packets, context).toBeGreaterThan(40);
      const va = oneWay(ra);
      expect(va, context).toMatchObject({ verdict: 'nat-mismatch', direction: 'outbound' });
      const text = va!.evidence.join('\n');
      expect(text, context).toContain(`127.0.0.1:${b.rtp.localPort}`);
      expect(text, context).toContain(`127.0.0.1:${decoyPort}`);
      // B's view is normal: A's RTP comes from where A's SDP said.
      expect(oneWay(rb)?.verdict, show('B', rb)).toBe('ok');
    },
  );

  it('private address in the SDP from a public signalling address: private-sdp-address (verdict function; not stageable on loopback)', () => {
    const facts = {
      answeredAtMs: 1000,
      nowMs: 9000,
      sdpRemote: { address: '10.1.2.3', port: 40000 },
      signalingRemoteAddress: '203.0.113.10',
      received: { packets: 0, srtpAuthFailures: 0 },
      sent: { packets: 400, lastPacketMs: 9000 },
    };
    const v = oneWayAudioVerdict(facts);
    // No RTP in 8 s explains most; the private address is the reason, and must be there with both addresses.
    const all = [{ verdict: v.verdict, direction: v.direction, evidence: v.evidence }, ...v.others];
    const priv = all.find((f) => f.verdict === 'private-sdp-address');
    expect(priv, JSON.stringify(v, null, 2)).toBeDefined();
    expect(priv!.direction).toBe('outbound');
    expect(priv!.evidence.join('\n')).toContain('10.1.2.3:40000');
    expect(priv!.evidence.join('\n')).toContain('203.0.113.10');

    // The same SDP from a private signalling address (a LAN PBX) is not a finding; nor is a public SDP address.
    const lan = oneWayAudioVerdict({
      ...facts,
      signalingRemoteAddress: '10.1.2.1',
      received: {
        packets: 400,
        srtpAuthFailures: 0,
        lastPacketMs: 9000,
        fromAddress: { address: '10.1.2.3', port: 40000 },
      },
    });
    expect(lan.verdict, JSON.stringify(lan, null, 2)).toBe('ok');
    const pub = oneWayAudioVerdict({
      ...facts,
      sdpRemote: { address: '198.51.100.7', port: 40000 },
    });
    expect([pub.verdict, ...pub.others.map((o) => o.verdict)]).not.toContain('private-sdp-address');
  });
});
