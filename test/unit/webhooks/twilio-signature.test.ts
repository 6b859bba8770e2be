import { describe, expect, it } from 'vitest';
import { sha256Hex, signTwilio, validateTwilio } from '../../../src/main/webhooks/index.ts';

// Vectors from twilio-node spec/validation.spec.js and twilio-python test_request_validator.py
// (PROTOCOL-NOTES §1).
const token = '12345';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';

describe('Twilio X-Twilio-Signature', () => {
  it.each([
    [url, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['https://mycompany.com:443/myapp.php?foo=1&bar=2', 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    ['http://mycompany.com:80/myapp.php?foo=1&bar=2', '0ZXoZLH/DfblKGATFgpif+LLRf4='],
    ['http://mycompany.com:1234/myapp.php?foo=1&bar=2', 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU='],
    ['https://user:pass@mycompany.com/myapp.php?foo=1&bar=2', 'CukzLTc1tT5dXEDIHm/tKBanW10='],
  ])('signs %s as the SDKs do', (u, sig) => {
    expect(signTwilio(token, u, params)).toBe(sig);
  });

  it('sorts and de-duplicates repeated values', () => {
    expect(
      signTwilio(token, url, {
        Sid: 'CA123',
        SidAccount: 'AC123',
        Digits: ['5678', '1234', '1234'],
      }),
    ).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('accepts the URL without port when the :443 form was signed, and the other way round', () => {
    const v1 = validateTwilio({
      tokens: [token],
      url,
      params,
      signature: 'kvajT1Ptam85bY51eRf/AJRuM3w=',
    });
    expect(v1.valid).toBe(true);
    expect(v1.reason).toMatch(/default port added/);
    const v2 = validateTwilio({
      tokens: [token],
      url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      params,
      signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    });
    expect(v2.valid).toBe(true);
    expect(v2.reason).toMatch(/default port removed/);
  });

  it('keeps a non-default port: signing without it does not match', () => {
    const v = validateTwilio({
      tokens: [token],
      url: 'http://mycompany.com:1234/myapp.php?foo=1&bar=2',
      params,
      signature: signTwilio(token, 'http://mycompany.com/myapp.php?foo=1&bar=2', params),
    });
    expect(v.valid).toBe(false);
    expect(v.tried.filter((t) => t.variant?.includes('not accepted')).length).toBe(1);
    expect(v.likelySigned).toBe('http://mycompany.com/myapp.php?foo=1&bar=2');
    expect(v.reason).toMatch(/port 1234 removed/);
  });

  it('JSON body: bodySHA256 and the URL-only signature', () => {
    const body = '{"property": "value", "boolean": true}';
    expect(sha256Hex(body)).toBe(
      '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620',
    );
    const u = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    expect(signTwilio(token, u, {})).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
    expect(
      validateTwilio({
        tokens: [token],
        url: u,
        params: {},
        body,
        signature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
      }),
    ).toMatchObject({ valid: true, bodyHashMatch: true });
    const bad = validateTwilio({
      tokens: [token],
      url: u,
      params: {},
      body: body.replace('true', 'false'),
      signature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
    });
    expect(bad).toMatchObject({ valid: false, bodyHashMatch: false });
    expect(bad.reason).toMatch(/body hash mismatched/);
  });

  it('JSON body {} matches only the :443 variant', () => {
    const hash = sha256Hex('{}');
    expect(hash.startsWith('44136fa3')).toBe(true);
    const u = `https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=${hash}`;
    const v = validateTwilio({
      tokens: [token],
      url: u,
      params: {},
      body: '{}',
      signature: 'Ldidvp12m26NI7eqEvxnEpkd9Hc=',
    });
    expect(v.valid).toBe(true);
    expect(v.tried.find((t) => t.match)!.url).toContain(':443');
  });

  it("WHATWG normalisation: It's is signed as It%27s", () => {
    const raw = "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing";
    expect(
      signTwilio(token, 'https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing', params),
    ).toBe('TfZzewPq8wqrGlMfyAud8+/IvJ0=');
    const v = validateTwilio({
      tokens: [token],
      url: raw,
      params,
      signature: 'TfZzewPq8wqrGlMfyAud8+/IvJ0=',
    });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/WHATWG/);
  });

  it('rotated tokens: old,new both accepted, the reason names which', () => {
    const sig = signTwilio('new-token', url, params);
    const v = validateTwilio({ tokens: ['old-token', 'new-token'], url, params, signature: sig });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/token #2 of 2/);
  });

  it('a tampered param fails and the reason lists the variants tried', () => {
    const v = validateTwilio({
      tokens: [token],
      url,
      params: { ...params, To: '+18005551213' },
      signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    });
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/no URL variant matched/);
    expect(v.reason).toContain('default port added');
    expect(v.likelySigned).toBe(url);
  });

  it('says which URL was signed when it was the other scheme', () => {
    const v = validateTwilio({
      tokens: [token],
      url: 'http://mycompany.com/myapp.php?foo=1&bar=2',
      params,
      signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    });
    expect(v.valid).toBe(false);
    expect(v.likelySigned).toBe(url);
    expect(v.reason).toMatch(/scheme https instead of http/);
  });

  it('no signature header', () => {
    expect(validateTwilio({ tokens: [token], url, params, signature: undefined }).reason).toMatch(
      /no X-Twilio-Signature/,
    );
  });
});
