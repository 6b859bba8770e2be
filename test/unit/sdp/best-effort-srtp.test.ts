import { describe, expect, it } from 'vitest';
import { buildOffer } from '../../../src/main/sdp/offer.ts';
import { negotiateAnswer } from '../../../src/main/sdp/answer.ts';
import { parseAnswer } from '../../../src/main/sdp/parse-answer.ts';
import { randomInlineKey } from '../../../src/main/sdp/crypto-line.ts';

const crypto = [`1 AES_CM_128_HMAC_SHA1_80 ${randomInlineKey('AES_CM_128_HMAC_SHA1_80')}`];
const offer = buildOffer({ address: '127.0.0.1', port: 4000, codecs: ['PCMU'], telephoneEvent: true, srtp: crypto, srtpProfile: 'RTP/AVP', sessionVersion: 1 });
const prefs = { address: '127.0.0.1', port: 5000, codecs: ['PCMU'], telephoneEvent: true, sessionVersion: 1 };

describe('best-effort SRTP (RTP/AVP with a=crypto)', () => {
  it('is offered as RTP/AVP carrying the crypto line', () => {
    expect(offer).toMatch(/^m=audio 4000 RTP\/AVP /m);
    expect(offer).toMatch(/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/m);
  });

  it('an SRTP-capable answerer accepts the crypto; the offerer then uses it', () => {
    const ans = negotiateAnswer(offer, { ...prefs, srtp: {} });
    expect(ans.ok).toBe(true);
    if (!ans.ok) return;
    expect(ans.crypto?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(ans.answerSdp).toMatch(/^a=crypto:1 /m);
    const parsed = parseAnswer(ans.answerSdp, offer);
    expect(parsed.ok && parsed.crypto?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
  });

  it('a plain answerer ignores the crypto and the offerer falls back to RTP', () => {
    const ans = negotiateAnswer(offer, prefs);
    expect(ans.ok).toBe(true);
    if (!ans.ok) return;
    expect(ans.crypto).toBeUndefined();
    expect(ans.answerSdp).not.toMatch(/a=crypto/);
    const parsed = parseAnswer(ans.answerSdp, offer);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.crypto).toBeUndefined();
  });

  it('an answerer that requires SRTP refuses a plain RTP/AVP offer', () => {
    const plain = buildOffer({ address: '127.0.0.1', port: 4000, codecs: ['PCMU'], telephoneEvent: false, sessionVersion: 1 });
    const ans = negotiateAnswer(plain, { ...prefs, srtp: { required: true } });
    expect(ans.ok).toBe(false);
    expect(!ans.ok && ans.status).toBe(488);
  });
});
