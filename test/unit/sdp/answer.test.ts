import { describe, expect, it } from 'vitest';
import { negotiateAnswer, type AnswerPrefs } from '../../../src/main/sdp/answer.ts';
import { parseSdp } from '../../../src/main/sdp/parse-sdp.ts';
import { audioOffer, HEAD, PCMU_PCMA_TE, sdp } from './fixtures.ts';

const prefs = (over: Partial<AnswerPrefs> = {}): AnswerPrefs => ({
  address: '192.0.2.20',
  port: 20000,
  codecs: ['PCMU', 'PCMA'],
  telephoneEvent: true,
  sessionVersion: 1,
  sessionId: 42,
  ...over,
});

const OPUS_OFFER = audioOffer('96 0 97 101', [
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:97 telephone-event/48000',
  'a=rtpmap:101 telephone-event/8000',
]);

describe('negotiateAnswer: codec tables (offer × preference)', () => {
  it.each([
    // [case, offer, prefs, codec, pt, telephone-event pt]
    ['offerer order wins by default', PCMU_PCMA_TE, { codecs: ['PCMA', 'PCMU'] }, 'PCMU', 0, 101],
    [
      'our order with prefer=ours',
      PCMU_PCMA_TE,
      { codecs: ['PCMA', 'PCMU'], prefer: 'ours' },
      'PCMA',
      8,
      101,
    ],
    ['only the common codec', PCMU_PCMA_TE, { codecs: ['G729', 'PCMA'] }, 'PCMA', 8, 101],
    ['static PT without rtpmap', audioOffer('18 0'), { codecs: ['PCMU'] }, 'PCMU', 0, undefined],
    [
      'G.722 at its 8000 clock quirk',
      audioOffer('9 0'),
      { codecs: ['G722', 'PCMU'] },
      'G722',
      9,
      undefined,
    ],
    [
      'G.729',
      audioOffer('18 101', ['a=rtpmap:101 telephone-event/8000']),
      { codecs: ['G729'] },
      'G729',
      18,
      101,
    ],
    ['opus with dynamic PTs echoed', OPUS_OFFER, { codecs: ['opus', 'PCMU'] }, 'opus', 96, 97],
    ['telephone-event at the chosen clock', OPUS_OFFER, { codecs: ['PCMU'] }, 'PCMU', 0, 101],
    [
      'PCMU on a dynamic PT',
      audioOffer('96', ['a=rtpmap:96 pcmu/8000']),
      { codecs: ['PCMU'] },
      'PCMU',
      96,
      undefined,
    ],
    [
      'no telephone-event when disabled',
      PCMU_PCMA_TE,
      { telephoneEvent: false },
      'PCMU',
      0,
      undefined,
    ],
  ] as const)('%s', (_name, offer, over, codec, pt, tePt) => {
    const r = negotiateAnswer(offer, prefs(over as Partial<AnswerPrefs>));
    expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    if (!r.ok) return;
    expect([r.codec, r.payloadType, r.telephoneEventPt]).toEqual([codec, pt, tePt]);
    const a = parseSdp(r.answerSdp);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const m = a.sdp.media[0]!;
    expect(m.formats.map((f) => f.pt)).toEqual(tePt === undefined ? [pt] : [pt, tePt]);
    expect(m.port).toBe(20000);
    expect(m.address).toBe('192.0.2.20');
  });

  it.each([
    [
      'G.729 only vs PCMU/PCMA',
      audioOffer('18 101', ['a=rtpmap:101 telephone-event/8000']),
      ['PCMU', 'PCMA'],
      'offered [G729/8000], accepted [PCMU, PCMA]',
    ],
    [
      'opus/48000/1 is not opus/48000/2',
      audioOffer('96', ['a=rtpmap:96 opus/48000']),
      ['opus'],
      'offered [opus/48000], accepted [opus]',
    ],
    ['unknown dynamic PT', audioOffer('98'), ['PCMU'], 'offered [pt 98], accepted [PCMU]'],
  ])('488 when nothing matches: %s', (_name, offer, codecs, reason) => {
    const r = negotiateAnswer(offer, prefs({ codecs }));
    expect(r).toEqual({ ok: false, status: 488, reason: `no common codec: ${reason}` });
  });

  it('400 for malformed offers', () => {
    const r = negotiateAnswer('v=0\r\nhello\r\n', prefs());
    expect(r).toMatchObject({ ok: false, status: 400 });
  });

  it('writes the answer SDP byte-exactly', () => {
    const r = negotiateAnswer(PCMU_PCMA_TE, prefs());
    expect(r.ok && r.answerSdp).toBe(
      sdp(
        'v=0',
        'o=trunkscope 42 1 IN IP4 192.0.2.20',
        's=trunkscope',
        'c=IN IP4 192.0.2.20',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
      ),
    );
  });
});

describe('negotiateAnswer: streams, transport and remote address', () => {
  it('rejects other m= lines with port 0, keeping the line count (RFC 3264 §6)', () => {
    const offer = sdp(
      ...HEAD,
      'm=video 30002 RTP/AVP 96',
      'a=rtpmap:96 H264/90000',
      'm=audio 30000 RTP/AVP 0',
      'm=image 30004 udptl t38',
    );
    const r = negotiateAnswer(offer, prefs());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.mediaIndex).toBe(1);
    expect(r.answerSdp).toContain('m=video 0 RTP/AVP 96\r\n');
    expect(r.answerSdp).toContain('m=audio 20000 RTP/AVP 0\r\n');
    expect(r.answerSdp).toContain('m=image 0 udptl t38\r\n');
  });

  it('488 when the offer has no usable audio stream', () => {
    expect(negotiateAnswer(sdp(...HEAD, 'm=video 3000 RTP/AVP 96'), prefs())).toMatchObject({
      status: 488,
      reason: expect.stringContaining('no active audio stream'),
    });
    expect(negotiateAnswer(sdp(...HEAD, 'm=audio 0 RTP/AVP 0'), prefs())).toMatchObject({
      status: 488,
    });
    expect(
      negotiateAnswer(sdp(...HEAD, 'm=audio 3000 UDP/TLS/RTP/SAVPF 111'), prefs()),
    ).toMatchObject({
      status: 488,
      reason: expect.stringContaining('UDP/TLS/RTP/SAVPF is not supported'),
    });
  });

  it('reports the remote media address (media-level c=), RTCP port and ptime', () => {
    const offer = sdp(
      ...HEAD,
      'm=audio 30000 RTP/AVP 0',
      'c=IN IP4 198.51.100.7',
      'a=rtcp:30011',
      'a=ptime:30',
    );
    const r = negotiateAnswer(offer, prefs({ ptime: 20 }));
    expect(r.ok && [r.remote, r.ptime]).toEqual([
      {
        address: '198.51.100.7',
        port: 30000,
        rtcpPort: 30011,
        rtcpAddress: undefined,
        rtcpMux: false,
        direction: 'sendrecv',
        legacyHold: false,
        ptime: 30,
      },
      30,
    ]);
    const plain = negotiateAnswer(audioOffer('0'), prefs({ ptime: 40 }));
    expect(plain.ok && [plain.remote.rtcpPort, plain.ptime]).toEqual([30001, 40]);
    expect(plain.ok && plain.answerSdp).toContain('a=ptime:40\r\n');
  });

  it('accepts rtcp-mux when offered unless disabled', () => {
    const offer = audioOffer('0', ['a=rtcp-mux']);
    const on = negotiateAnswer(offer, prefs());
    expect(on.ok && [on.remote.rtcpMux, on.remote.rtcpPort]).toEqual([true, undefined]);
    expect(on.ok && on.answerSdp).toContain('a=rtcp-mux\r\n');
    const off = negotiateAnswer(offer, prefs({ rtcpMux: false }));
    expect(off.ok && off.remote.rtcpMux).toBe(false);
    expect(off.ok && off.answerSdp).not.toContain('rtcp-mux');
  });
});

describe('negotiateAnswer: SDES-SRTP', () => {
  const KEY80 = 'inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4';
  const KEY32 = 'inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj';
  const savp = sdp(
    ...HEAD,
    'm=audio 30000 RTP/SAVP 0',
    'a=crypto:1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm',
    `a=crypto:2 AES_CM_128_HMAC_SHA1_32 ${KEY32}`,
    `a=crypto:3 AES_CM_128_HMAC_SHA1_80 ${KEY80}`,
  );

  it('answers the first supported crypto line with its tag and a fresh key', () => {
    const r = negotiateAnswer(
      savp,
      prefs({ srtp: { createKeyParams: () => 'inline:' + 'A'.repeat(40) } }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.crypto).toEqual({
      tag: 2,
      suite: 'AES_CM_128_HMAC_SHA1_32',
      local: 'inline:' + 'A'.repeat(40),
      remote: KEY32,
    });
    expect(r.answerSdp).toContain('m=audio 20000 RTP/SAVP 0\r\n');
    expect(r.answerSdp).toContain(
      `a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:${'A'.repeat(40)}\r\n`,
    );
    expect(r.answerSdp.match(/a=crypto/g)).toHaveLength(1);
  });

  it('follows our suite list and generates random keys by default', () => {
    const r = negotiateAnswer(savp, prefs({ srtp: { suites: ['AES_CM_128_HMAC_SHA1_80'] } }));
    expect(r.ok && r.crypto?.tag).toBe(3);
    expect(r.ok && Buffer.from(r.crypto!.local.slice(7), 'base64').length).toBe(30);
    const again = negotiateAnswer(savp, prefs({ srtp: { suites: ['AES_CM_128_HMAC_SHA1_80'] } }));
    if (!r.ok || !again.ok) throw new Error('negotiation failed');
    expect(again.crypto!.local).not.toBe(r.crypto!.local);
  });

  it.each([
    ['SRTP not enabled', {}, 'SRTP offered (RTP/SAVP) but SRTP is not enabled'],
    [
      'no common suite',
      { srtp: { suites: ['AES_256_CM_HMAC_SHA1_80'] } },
      'no common SRTP crypto suite: offered [F8_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_80], accepted [AES_256_CM_HMAC_SHA1_80]',
    ],
  ])('488: %s', (_name, over, reason) => {
    expect(negotiateAnswer(savp, prefs(over))).toEqual({ ok: false, status: 488, reason });
  });

  it('488 when SRTP is required and the offer is plain RTP', () => {
    expect(negotiateAnswer(PCMU_PCMA_TE, prefs({ srtp: { required: true } }))).toMatchObject({
      status: 488,
      reason: 'SRTP is required but the offer uses RTP/AVP',
    });
    expect(negotiateAnswer(PCMU_PCMA_TE, prefs({ srtp: {} })).ok).toBe(true);
  });
});
