import { describe, expect, it } from 'vitest';
import {
  plivoStringToSign,
  signPlivoLegacy,
  signPlivoV2,
  signPlivoV3,
  validatePlivo,
} from '../../../src/main/webhooks/index.ts';

// plivo-go utils_test.go TestValidateSignatureV3Pass1..4, V2 and legacy vectors (PROTOCOL-NOTES §2).
const token = 'Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4';
const nonce = '31627761595286130198';
const params = {
  Direction: 'outbound',
  From: '19792014278',
  ALegUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
  CallStatus: 'in-progress',
  BillRate: '0.002',
  ParentAuthID: 'MANWVLYTK4ZWU1YTY4QA',
  To: 'sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com',
  ALegRequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
  CallUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
  RequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
  'SIP-H-To': '<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1',
  SessionStart: '2020-04-08 11:34:33.238707',
  Event: 'StartApp',
};
const withQuery = 'https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/?a=b&c=d';
const noQuery = 'https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml';

describe('Plivo X-Plivo-Signature-V3', () => {
  it.each([
    ['POST', withQuery, 'k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c='],
    ['GET', withQuery, 'UBq8jAtd32wR8EK9VgxbBn4n5rpI/l1H9iN4WfSEHFQ='],
    ['POST', noQuery, 'iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0='],
    ['GET', noQuery, 'i/MQsaQSAd6fiKhOh2qeeeLHZ9faldADSb3/7+Akfbc='],
  ])('%s %s signs as plivo-go', (method, url, sig) => {
    expect(signPlivoV3(token, method, url, params, nonce)).toBe(sig);
    expect(
      validatePlivo({ tokens: [token], method, url, params, signatureHeader: sig, nonce }).valid,
    ).toBe(true);
  });

  it('string construction: POST with query, POST without, GET', () => {
    expect(
      plivoStringToSign('POST', withQuery, params).startsWith(`${withQuery}.ALegRequestUUID3e82`),
    ).toBe(true);
    expect(
      plivoStringToSign('POST', noQuery, params).startsWith(`${noQuery}?ALegRequestUUID3e82`),
    ).toBe(true);
    expect(
      plivoStringToSign('GET', withQuery, params).startsWith(
        `${withQuery.split('?')[0]}?ALegRequestUUID=3e82`,
      ),
    ).toBe(true);
    expect(plivoStringToSign('POST', noQuery, {})).toBe(noQuery);
    expect(plivoStringToSign('POST', 'https://x.example/a?z=1&b=2', {})).toBe(
      'https://x.example/a?b=2&z=1',
    );
  });

  it('accepts any of several comma-separated signatures', () => {
    const good = signPlivoV3(token, 'POST', noQuery, params, nonce);
    const v = validatePlivo({
      tokens: [token],
      method: 'POST',
      url: noQuery,
      params,
      signatureHeader: `AAAA,${good}`,
      nonce,
    });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/one of the 2 signatures/);
  });

  it('rotated tokens old,new', () => {
    const sig = signPlivoV3('new', 'POST', noQuery, params, nonce);
    const v = validatePlivo({
      tokens: ['old', 'new'],
      method: 'POST',
      url: noQuery,
      params,
      signatureHeader: sig,
      nonce,
    });
    expect(v).toMatchObject({ valid: true });
    expect(v.reason).toMatch(/token #2 of 2/);
  });

  it('tampered params, wrong nonce and missing nonce fail with reasons', () => {
    const sig = signPlivoV3(token, 'POST', noQuery, params, nonce);
    const t = validatePlivo({
      tokens: [token],
      method: 'POST',
      url: noQuery,
      params: { ...params, To: 'x' },
      signatureHeader: sig,
      nonce,
    });
    expect(t.valid).toBe(false);
    expect(t.reason).toMatch(/no signature in the header/);
    expect(
      validatePlivo({
        tokens: [token],
        method: 'POST',
        url: noQuery,
        params,
        signatureHeader: sig,
        nonce: '1',
      }).valid,
    ).toBe(false);
    expect(
      validatePlivo({
        tokens: [token],
        method: 'POST',
        url: noQuery,
        params,
        signatureHeader: sig,
        nonce: undefined,
      }).reason,
    ).toMatch(/Nonce/);
  });

  it('names the method Plivo signed when GET/POST differ, and the port variant', () => {
    const sig = signPlivoV3(token, 'GET', noQuery, params, nonce);
    const v = validatePlivo({
      tokens: [token],
      method: 'POST',
      url: noQuery,
      params,
      signatureHeader: sig,
      nonce,
    });
    expect(v.valid).toBe(false);
    expect(v.likelySigned).toBe(`GET ${noQuery}`);
    const sig443 = signPlivoV3(token, 'POST', noQuery.replace('.com/', '.com:443/'), params, nonce);
    const p = validatePlivo({
      tokens: [token],
      method: 'POST',
      url: noQuery,
      params,
      signatureHeader: sig443,
      nonce,
    });
    expect(p.valid).toBe(false);
    expect(p.reason).toMatch(/default port added/);
  });

  it('V2 and legacy vectors', () => {
    expect(signPlivoV2('my_auth_token', 'https://answer.url', '12345')).toBe(
      'ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=',
    );
    expect(
      signPlivoLegacy('MAXXXXXXXXXXXXXXXXXX', 'http://foo.com/answer/', {
        CallUUID: '97ceeb52-58b6-11e1-86da-77300b68f8bb',
        Duration: '300',
      }),
    ).toBe('EJEt0ELanhr8hjMPIJnLNLex0dE=');
    expect(signPlivoLegacy('MAXXXXXXXXXXXXXXXXXX', 'http://foo.com/answer/', { a: '1 2' })).toBe(
      'n3Xfo4u+vRFyl3gsH8B0qDUIK5g=',
    );
  });
});
