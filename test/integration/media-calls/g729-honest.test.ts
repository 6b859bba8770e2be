/**
 * G.729 without a codec (docs/codecs.md): the report says the audio is synthetic and gives no
 * MOS — never a MOS for audio we did not really encode (issue 10 item 6). G.711 keeps its MOS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../support/cli.ts';
import { callOurs, listenedCall, mediaOf, startOurListen, stopOurListen } from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

describe('G.729 report', () => {
  it('G.729-only call: RTP both ways, syntheticAudio says so, mos and rFactor null on both sides', async () => {
    const l = await startOurListen(['--codec', 'G729']);
    const call = await callOurs(l.uri, ['--codec', 'G729', '--duration', '2']);
    const listen = await stopOurListen(l);
    const why = `${explain(call)}\n--- listener:\n${explain(listen)}`;
    expect(call.code, why).toBe(0);
    for (const r of [call.json!, listenedCall(listen, call.json!.callId, why)]) {
      const m = mediaOf(r, why);
      expect(m.codec, why).toBe('G729');
      expect(m.received.packets, why).toBeGreaterThanOrEqual(50);
      expect(m.mos, why).toBeNull();
      expect(m.rFactor, why).toBeNull();
      expect(m.syntheticAudio, why).toMatch(/^G729 has no codec here: we send a fixed near-silent frame .*; no MOS is given/);
    }
  });

  it('a G.711 call keeps its MOS and has no syntheticAudio', async () => {
    const l = await startOurListen([]);
    const call = await callOurs(l.uri, ['--codec', 'PCMA', '--duration', '2']);
    await stopOurListen(l);
    const m = mediaOf(call.json, explain(call));
    expect(m.mos, explain(call)).toBeGreaterThan(4);
    expect(m.syntheticAudio, explain(call)).toBeUndefined();
  });
});
