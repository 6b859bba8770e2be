/**
 * SIPp as a caller that plays recorded RTP (`<exec play_pcap_audio>`) into our `listen`: the
 * G.711 A-law recording and the RFC 2833 digit recordings shipped with sip-tester. The digits
 * SIPp plays are the digits we report, by rfc2833; the codec is the one the scenario offered.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RTP_PORTS, digits, mediaOf } from '../../support/media-peers.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { sippUacToListen } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

const PCAPS = ['g711a', 'dtmf_2833_1', 'dtmf_2833_2', 'dtmf_2833_3', 'dtmf_2833_pound'].map(
  (n) => `/usr/share/sip-tester/${n}.pcap`,
);

describe('SIPp UAC playing pcaps → listen', () => {
  it('uac-pcap-g711a-dtmf: PCMA (ptime 30) audio then RFC 2833 1, 2, 3, # are reported as received', async () => {
    // The scenario reads the pcaps from the sip-tester package.
    expect(
      PCAPS.filter((p) => !existsSync(p)),
      'pcaps of the sip-tester package',
    ).toEqual([]);
    const { listen, sipp, why } = await sippUacToListen('uac-pcap-g711a-dtmf', 'udp', [
      '--answer',
      'echo',
      '--rtp-ports',
      RTP_PORTS,
    ]);
    expect(sipp.code, why).toBe(0);
    expect(listen.code, why).toBe(0);
    expect(listen.json?.calls, why).toHaveLength(1);
    const call = listen.json!.calls![0]!;
    expect(call, why).toMatchObject({ outcome: 'answered', finalStatus: 200, endedBy: 'remote' });
    const m = mediaOf(call, why);
    // The offer named only PCMA/8000 and telephone-event 101, with a=ptime:30 (the recording's
    // packets carry 240 samples); the scenario checks that our answer picked 8 and 101.
    expect(m, why).toMatchObject({
      codec: 'PCMA',
      payloadType: 8,
      ptime: 30,
      telephoneEventPt: 101,
      dtmfMethod: 'rfc2833',
    });
    // ~2 s of audio at 30 ms (≈ 66 packets) before the next play_pcap_audio cuts it, then 10
    // packets per digit.
    expect(m.received.packets, why).toBeGreaterThanOrEqual(50 + 4 * 10);
    expect(m.received.malformed, why).toBe(0);
    // The audio recording and the DTMF recordings come from different SSRCs
    // (0xdee0ee8f, then 0x0e05384e), which is counted, not dropped.
    expect(m.received.ssrc, why).toBe('0x0e05384e');
    expect(m.received.ssrcChanges, why).toBeGreaterThanOrEqual(1);
    // The echo answers with our own SSRC, back to where SIPp sent from (its media port).
    expect(m.sent.packets, why).toBeGreaterThan(30);
    expect(m.sent.ssrc, why).not.toBe(m.received.ssrc);
    // The digits of the pcaps, in order, each once, by RFC 4733 (the pcaps' end packets say each
    // event lasted 2240 timestamp units = 280 ms).
    expect(digits(m.dtmf.received), why).toEqual([
      '1:rfc2833',
      '2:rfc2833',
      '3:rfc2833',
      '#:rfc2833',
    ]);
    for (const d of m.dtmf.received) expect(d.durationMs, why).toBe(280);
    const at = m.dtmf.received.map((d) => d.atMs);
    expect(at[0]!, why).toBeGreaterThanOrEqual(1500);
    for (let i = 1; i < at.length; i++)
      expect(at[i]! - at[i - 1]!, why).toBeGreaterThanOrEqual(300);
    expect(m.dtmf.sent, why).toEqual([]);
  });
});
