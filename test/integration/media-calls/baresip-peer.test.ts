/**
 * baresip 1.0 as a third-party peer, headless (config in test/support/baresip.ts: aufile plays a
 * 440 Hz WAV, aubridge swallows what it receives, auto-answer): our call to it, and its call to
 * our listen, in plain RTP and in SDES-SRTP (baresip's srtp module), and G.722 and Opus against
 * its g722/opus modules. Both ways RTP must flow and decode: our recording's right channel holds
 * its tone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baresipLog, startBaresip, type BaresipOptions } from '../../support/baresip.ts';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { explain } from '../../support/cli.ts';
import { callOurs, mediaOf, startOurListen, stopOurListen } from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { loudestWindow, readWav, rmsDbfs, zeroCrossingHz } from '../../support/wav-check.ts';

afterEach(stopAllStarted);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunkscope-baresip-rec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The recording's right channel (received) carries baresip's 440 Hz tone. */
function expectToneReceived(file: string, why: string, extraHz = 0): void {
  const rec = readWav(file);
  expect(rec.channels, why).toBe(2);
  const right = loudestWindow(rec.samples[1]!, rec.sampleRate);
  expect(rmsDbfs(right), why).toBeGreaterThan(-25);
  // 440 Hz by zero crossings, ±20 Hz; the wideband codecs' low-level coding noise adds a few
  // crossings near zero (G.722 measured up to 460, Opus 462.5): +30 Hz for them.
  expect(zeroCrossingHz(right, rec.sampleRate), why).toBeGreaterThan(420);
  expect(zeroCrossingHz(right, rec.sampleRate), why).toBeLessThan(460 + extraHz);
}

/**
 * baresip dials our listener (recording to DIR/PREFIX-N.wav) and hangs up itself after 3 s (-t 3:
 * BYE, then it exits; bounded by timeoutMs). Returns the one call the listener reports, answered
 * and ended by baresip's BYE, with baresip's output.
 */
async function baresipCallsListen(
  prefix: string,
  more: Partial<BaresipOptions> = {},
): Promise<{ call: CallReport; out: string; why: string }> {
  const l = await startOurListen(['--record', join(dir, `${prefix}-%n.wav`)]);
  const bs = await startBaresip({ commands: [`/dial ${l.uri}`], quitAfterS: 3, timeoutMs: 15_000, ...more });
  const out = await bs.exited;
  const listen = await stopOurListen(l);
  const why = `--- listener:\n${explain(listen)}\n--- baresip:\n${baresipLog(out)}`;
  expect(listen.json?.calls, why).toHaveLength(1);
  const call = listen.json!.calls![0]!;
  expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'remote' });
  return { call, out, why };
}

describe('baresip as a peer', () => {
  it('our call → baresip (auto-answer): answered, G.711 both ways, its tone in our recording', async () => {
    const bs = await startBaresip({ timeoutMs: 20_000 });
    await bs.ready;
    const recording = join(dir, 'to-baresip.wav');
    const call = await callOurs(bs.uri, ['--duration', '2', '--record', recording]);
    const out = await bs.stop();
    const why = `${explain(call)}\n--- baresip:\n${baresipLog(out)}`;
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({
      outcome: 'answered',
      finalStatus: 200,
      endedBy: 'local',
    });
    const m = mediaOf(call.json, why);
    // We offer PCMU,PCMA (default); baresip has both (g711) and answers with the first.
    expect(m, why).toMatchObject({ codec: 'PCMU', payloadType: 0 });
    expect(m.sdpRemote, why).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(m.sent.packets, why).toBeGreaterThanOrEqual(80);
    expect(m.received.packets, why).toBeGreaterThanOrEqual(80);
    expect(m.received.remoteAddress, why).toBe(m.sdpRemote);
    expect(m.received.ssrc, why).not.toBe(m.sent.ssrc);
    expect(m.received.malformed, why).toBe(0);
    // baresip saw our RTP arrive and ended with our BYE.
    expect(out, why).toMatch(/incoming rtp for 'audio' established/);
    expect(out, why).toMatch(/terminated/);
    expectToneReceived(recording, why);
  });

  it('baresip → our listen (-e "/dial ..."; it hangs up itself with -t 3): answered, RTP both ways', async () => {
    const { call, why } = await baresipCallsListen('from-baresip');
    expect(call.reason, why).toMatch(/BYE/);
    const m = mediaOf(call, why);
    // baresip offers its codecs (PCMU, PCMA); our default preference takes PCMU.
    expect(m, why).toMatchObject({ codec: 'PCMU', payloadType: 0 });
    // About 2–3 s of call: both directions well over 50 packets.
    expect(m.received.packets, why).toBeGreaterThanOrEqual(50);
    expect(m.sent.packets, why).toBeGreaterThanOrEqual(50);
    expect(m.sent.remoteAddress, why).toBe(m.received.remoteAddress);
    expect(m.recording, why).toBe(join(dir, 'from-baresip-1.wav'));
    expectToneReceived(m.recording!, why);
  });

  // SDES-SRTP (RFC 4568) against a third-party stack: baresip's srtp module with mediaenc=srtp-mand
  // offers and accepts only RTP/SAVP with a=crypto. Our recording holding its tone proves we
  // decrypted its SRTP; its "established" line that it decrypted ours.
  it('SRTP: our call --srtp require → baresip (srtp-mand): encrypted both ways, its tone decrypted', async () => {
    const bs = await startBaresip({ timeoutMs: 20_000, mediaenc: 'srtp-mand' });
    await bs.ready;
    const recording = join(dir, 'to-baresip-srtp.wav');
    const call = await callOurs(bs.uri, ['--duration', '2', '--srtp', 'require', '--record', recording]);
    const out = await bs.stop();
    const why = `${explain(call)}\n--- baresip:\n${baresipLog(out)}`;
    expect(call.code, why).toBe(0);
    expect(call.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
    const m = mediaOf(call.json, why);
    expect(m.srtp, why).toMatchObject({ policy: 'require', active: true });
    expect(m.srtp.suite, why).toMatch(/^AES_CM_128_HMAC_SHA1_(80|32)$/);
    expect(m.received.packets, why).toBeGreaterThanOrEqual(80);
    expect(m.received.srtpAuthFailures, why).toBe(0);
    expect(m.received.malformed, why).toBe(0);
    expect(out, why).toMatch(/incoming rtp for 'audio' established/);
    expectToneReceived(recording, why);
  });

  it('SRTP: baresip (srtp-mand) → our listen (default --srtp offer): answered with SRTP, its tone decrypted', async () => {
    const { call, out, why } = await baresipCallsListen('from-baresip-srtp', { mediaenc: 'srtp-mand' });
    const m = mediaOf(call, why);
    expect(m.srtp, why).toMatchObject({ policy: 'offer', active: true });
    expect(m.received.packets, why).toBeGreaterThanOrEqual(50);
    expect(m.received.srtpAuthFailures, why).toBe(0);
    expect(out, why).toMatch(/incoming rtp for 'audio' established/);
    expectToneReceived(m.recording!, why);
  });

  // The wideband codecs against another implementation: baresip's g722 (spandsp) and opus
  // (libopus) modules. Its tone decoded by our decoder proves the two agree on the bitstream.
  for (const [codec, module, pt, toneFormat] of [
    ['G722', 'g722', 9, { rate: 16000, channels: 1 }],
    ['opus', 'opus', undefined, { rate: 48000, channels: 2 }],
  ] as const) {
    it(`${codec}: our call --codec ${codec} → baresip: negotiated, both ways, its tone decoded`, async () => {
      const bs = await startBaresip({ timeoutMs: 20_000, codecs: [module], toneFormat });
      await bs.ready;
      const recording = join(dir, `to-baresip-${codec}.wav`);
      const call = await callOurs(bs.uri, ['--duration', '2', '--codec', codec, '--record', recording]);
      const out = await bs.stop();
      const why = `${explain(call)}\n--- baresip:\n${baresipLog(out)}`;
      expect(call.code, why).toBe(0);
      const m = mediaOf(call.json, why);
      expect(m.codec, why).toBe(codec);
      if (pt !== undefined) expect(m.payloadType, why).toBe(pt);
      expect(m.received.packets, why).toBeGreaterThanOrEqual(80);
      expect(m.received.malformed, why).toBe(0);
      expect(out, why).toMatch(/incoming rtp for 'audio' established/);
      expectToneReceived(recording, why, 30);
    });
  }
});
