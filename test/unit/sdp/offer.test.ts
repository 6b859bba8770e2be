import { describe, expect, it } from 'vitest';
import { buildOffer } from '../../../src/main/sdp/offer.ts';
import { parseSdp } from '../../../src/main/sdp/parse-sdp.ts';

const base = { address: '192.0.2.10', port: 40000, sessionVersion: 1, sessionId: 1234 };

describe('buildOffer', () => {
  it('writes a complete offer with static and dynamic payload types', () => {
    const text = buildOffer({
      ...base,
      codecs: ['PCMU', 'PCMA', 'G722', 'opus', 'G729'],
      telephoneEvent: true,
    });
    expect(text).toBe(
      [
        'v=0',
        'o=trunkscope 1234 1 IN IP4 192.0.2.10',
        's=trunkscope',
        'c=IN IP4 192.0.2.10',
        't=0 0',
        'm=audio 40000 RTP/AVP 0 8 9 111 18 101 110',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:111 opus/48000/2',
        'a=rtpmap:18 G729/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=rtpmap:110 telephone-event/48000',
        'a=fmtp:111 useinbandfec=1',
        'a=fmtp:18 annexb=no',
        'a=fmtp:101 0-16',
        'a=fmtp:110 0-16',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
  });

  it('offers one telephone-event per clock rate in use, none when disabled', () => {
    const narrow = buildOffer({ ...base, codecs: ['pcma'], telephoneEvent: true });
    expect(narrow).toContain('m=audio 40000 RTP/AVP 8 101\r\n');
    expect(narrow).not.toContain('telephone-event/48000');
    const none = buildOffer({ ...base, codecs: ['PCMU'], telephoneEvent: false });
    expect(none).toContain('m=audio 40000 RTP/AVP 0\r\n');
    expect(none).not.toContain('telephone-event');
  });

  it('uses RTP/SAVP with crypto lines, and adds ptime, direction and rtcp-mux', () => {
    const crypto =
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4';
    const text = buildOffer({
      ...base,
      codecs: ['PCMU'],
      telephoneEvent: false,
      ptime: 30,
      direction: 'sendonly',
      rtcpMux: true,
      srtp: [
        crypto,
        '2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj KDR=1',
      ],
    });
    expect(text).toContain('m=audio 40000 RTP/SAVP 0\r\n');
    expect(text).toContain(`a=crypto:${crypto}\r\n`);
    expect(text).toContain(
      'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj KDR=1\r\n',
    );
    expect(text).toContain('a=ptime:30\r\na=sendonly\r\na=rtcp-mux\r\n');
    const parsed = parseSdp(text);
    expect(parsed.ok && parsed.sdp.media[0]!.crypto).toEqual([
      crypto,
      '2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj KDR=1',
    ]);
  });

  it('writes IPv6 addresses as IP6', () => {
    const text = buildOffer({
      ...base,
      address: '2001:db8::10',
      codecs: ['PCMU'],
      telephoneEvent: false,
    });
    expect(text).toContain('o=trunkscope 1234 1 IN IP6 2001:db8::10\r\n');
    expect(text).toContain('c=IN IP6 2001:db8::10\r\n');
  });

  it('names the bad field of a bad configuration', () => {
    expect(() => buildOffer({ ...base, codecs: ['PCMU', 'AMR'], telephoneEvent: false })).toThrow(
      /unknown codec "AMR"/,
    );
    expect(() => buildOffer({ ...base, codecs: [], telephoneEvent: false })).toThrow(/codecs/);
    expect(() =>
      buildOffer({ ...base, port: 70000, codecs: ['PCMU'], telephoneEvent: false }),
    ).toThrow(/port/);
    expect(() =>
      buildOffer({ ...base, codecs: ['PCMU'], telephoneEvent: false, srtp: ['AES_CM inline:x'] }),
    ).toThrow(/srtp/);
  });

  it('round-trips through parseSdp', () => {
    const text = buildOffer({
      ...base,
      codecs: ['opus', 'PCMU'],
      telephoneEvent: true,
      rtcpMux: true,
    });
    const r = parseSdp(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.sdp.media[0]!;
    expect(m.formats.map((f) => [f.pt, f.name, f.clockRate, f.channels])).toEqual([
      [111, 'opus', 48000, 2],
      [0, 'PCMU', 8000, 1],
      [101, 'telephone-event', 8000, 1],
      [110, 'telephone-event', 48000, 1],
    ]);
    expect(m).toMatchObject({
      port: 40000,
      address: '192.0.2.10',
      direction: 'sendrecv',
      ptime: 20,
      rtcpMux: true,
    });
    expect(r.sdp.origin).toEqual({
      username: 'trunkscope',
      sessionId: '1234',
      sessionVersion: 1,
      address: '192.0.2.10',
    });
  });
});
