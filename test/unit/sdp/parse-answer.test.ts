import { describe, expect, it } from 'vitest';
import { buildOffer } from '../../../src/main/sdp/offer.ts';
import { negotiateAnswer } from '../../../src/main/sdp/answer.ts';
import { parseAnswer } from '../../../src/main/sdp/parse-answer.ts';
import { formatCryptoLine, parseCryptoLine } from '../../../src/main/sdp/crypto-line.ts';
import {
  createCryptoAttribute,
  formatCryptoAttribute,
  parseCryptoAttribute,
  splitKeySalt,
} from '../../../src/main/media/srtp/sdes-crypto.ts';
import { SrtpContext } from '../../../src/main/media/srtp/srtp-context.ts';
import { serializeRtp } from '../../../src/main/media/rtp/rtp-packet.ts';
import { sdp } from './fixtures.ts';

const alice = { address: '192.0.2.1', port: 4000, sessionVersion: 1, sessionId: 7 };
const bob = { address: '192.0.2.2', port: 5000, sessionVersion: 1, sessionId: 9 };

describe('parseAnswer (offerer side)', () => {
  it('agrees with the answerer on codec, payload types, ptime and addresses', () => {
    const offer = buildOffer({
      ...alice,
      codecs: ['opus', 'PCMA', 'PCMU'],
      telephoneEvent: true,
      rtcpMux: true,
    });
    const answer = negotiateAnswer(offer, {
      ...bob,
      codecs: ['PCMU', 'PCMA'],
      telephoneEvent: true,
      ptime: 30,
    });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect([answer.codec, answer.payloadType, answer.telephoneEventPt, answer.ptime]).toEqual([
      'PCMA',
      8,
      101,
      20,
    ]);
    const r = parseAnswer(answer.answerSdp, offer);
    expect(r).toEqual({
      ok: true,
      mediaIndex: 0,
      codec: 'PCMA',
      payloadType: 8,
      clockRate: 8000,
      channels: 1,
      telephoneEventPt: 101,
      ptime: 30,
      direction: 'sendrecv',
      remote: {
        address: '192.0.2.2',
        port: 5000,
        rtcpPort: undefined,
        rtcpAddress: undefined,
        rtcpMux: true,
        direction: 'sendrecv',
        legacyHold: false,
        ptime: 30,
      },
      crypto: undefined,
    });
  });

  it('uses the answer’s payload type numbers and takes its first offered codec', () => {
    const offer = buildOffer({ ...alice, codecs: ['PCMU', 'opus'], telephoneEvent: true });
    const answer = sdp(
      'v=0',
      'o=- 1 1 IN IP4 198.51.100.9',
      's=-',
      'c=IN IP4 198.51.100.9',
      't=0 0',
      'm=audio 7000 RTP/AVP 100 0 120',
      'a=rtpmap:100 opus/48000/2',
      'a=rtpmap:120 telephone-event/48000',
      'a=rtcp:7005',
      'a=ptime:40',
    );
    const r = parseAnswer(answer, offer);
    expect(
      r.ok && [
        r.codec,
        r.payloadType,
        r.clockRate,
        r.channels,
        r.telephoneEventPt,
        r.ptime,
        r.remote.rtcpPort,
      ],
    ).toEqual(['opus', 100, 48000, 2, 120, 40, 7005]);
  });

  it.each([
    [
      'a different number of m= lines',
      sdp(
        'v=0',
        'o=- 1 1 IN IP4 192.0.2.2',
        's=-',
        'c=IN IP4 192.0.2.2',
        't=0 0',
        'm=audio 5000 RTP/AVP 0',
        'm=video 0 RTP/AVP 96',
      ),
      400,
      'answer has 2 m= lines, the offer had 1',
    ],
    [
      'a rejected audio stream',
      sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.2', 's=-', 't=0 0', 'm=audio 0 RTP/AVP 0'),
      488,
      'rejected the audio stream',
    ],
    [
      'a codec we did not offer',
      sdp(
        'v=0',
        'o=- 1 1 IN IP4 192.0.2.2',
        's=-',
        'c=IN IP4 192.0.2.2',
        't=0 0',
        'm=audio 5000 RTP/AVP 18',
      ),
      488,
      'answer names no codec we offered: answer [G729/8000], offer [PCMU/8000]',
    ],
    ['garbage', 'v=0\r\nm=\r\n', 400, 'malformed SDP'],
  ])('rejects %s', (_name, answer, status, reason) => {
    const offer = buildOffer({ ...alice, codecs: ['PCMU'], telephoneEvent: false });
    const r = parseAnswer(answer, offer);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(status);
      expect(r.reason).toContain(reason);
    }
  });
});

describe('crypto lines round trip (SDES, RFC 4568)', () => {
  it('keeps a=crypto values intact through the SDP layer', () => {
    const line =
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4 KDR=1 UNENCRYPTED_SRTCP';
    const c = parseCryptoLine(`a=crypto:${line}`);
    expect(c).toEqual({
      tag: 1,
      suite: 'AES_CM_128_HMAC_SHA1_80',
      keyParams: 'inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4',
      sessionParams: ['KDR=1', 'UNENCRYPTED_SRTCP'],
    });
    expect(formatCryptoLine(c!)).toBe(line);
    expect(parseCryptoLine('1 AES_CM_128_HMAC_SHA1_80')).toBeUndefined();
  });

  it('negotiates keys both sides can use to exchange SRTP', () => {
    const offered = [
      formatCryptoAttribute(createCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80')),
      formatCryptoAttribute(createCryptoAttribute(2, 'AES_CM_128_HMAC_SHA1_32')),
    ];
    const offer = buildOffer({ ...alice, codecs: ['PCMU'], telephoneEvent: false, srtp: offered });
    const answer = negotiateAnswer(offer, {
      ...bob,
      codecs: ['PCMU'],
      telephoneEvent: false,
      srtp: {},
    });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const back = parseAnswer(answer.answerSdp, offer);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    // The two sides see the same pair of keys, swapped.
    expect(back.crypto).toEqual({
      tag: 1,
      suite: 'AES_CM_128_HMAC_SHA1_80',
      local: answer.crypto!.remote,
      remote: answer.crypto!.local,
    });
    expect(offered[0]).toContain(back.crypto!.local);

    const context = (keyParams: string) => {
      const a = parseCryptoAttribute(`1 AES_CM_128_HMAC_SHA1_80 ${keyParams}`);
      if (!a.ok) throw new Error(a.detail);
      return new SrtpContext({
        suite: 'AES_CM_128_HMAC_SHA1_80',
        ...splitKeySalt('AES_CM_128_HMAC_SHA1_80', a.value.keys[0]!.keySalt),
      });
    };
    const aliceTx = context(back.crypto!.local);
    const bobRx = context(answer.crypto!.remote);
    const pkt = serializeRtp({
      marker: true,
      payloadType: 0,
      sequenceNumber: 1,
      timestamp: 0,
      ssrc: 1,
      csrcs: [],
      payload: Buffer.alloc(160, 0xff),
    });
    const rx = bobRx.unprotectRtp(aliceTx.protectRtp(pkt));
    expect(rx.ok && rx.packet.equals(pkt)).toBe(true);
    // Bob's own key is not Alice's: using it to decrypt Alice's packets fails authentication.
    const pkt2 = Buffer.from(pkt);
    pkt2.writeUInt16BE(2, 2);
    const wrong = context(answer.crypto!.local).unprotectRtp(aliceTx.protectRtp(pkt2));
    expect(wrong.ok ? 'ok' : wrong.reason).toBe('auth-failed');
  });

  it('488 when the answer does not echo one of our crypto tags', () => {
    const offer = buildOffer({
      ...alice,
      codecs: ['PCMU'],
      telephoneEvent: false,
      srtp: [formatCryptoAttribute(createCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80'))],
    });
    const answer = sdp(
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.2',
      's=-',
      'c=IN IP4 192.0.2.2',
      't=0 0',
      'm=audio 5000 RTP/SAVP 0',
      'a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
    );
    expect(parseAnswer(answer, offer)).toEqual({
      ok: false,
      status: 488,
      reason:
        'answer has no a=crypto matching our offer: answer [5 AES_CM_128_HMAC_SHA1_80], offer [1 AES_CM_128_HMAC_SHA1_80]',
    });
  });
});
