/**
 * The providers' own helper libraries as the independent check: every request we sign, twilio's
 * validateRequest and plivo's validateV3Signature accept; every tampered one they refuse; and our
 * validator agrees with them on both.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  buildSignedRequest,
  defaultParams,
  parseForm,
  validateRequest,
  type Params,
} from '../../../src/main/webhooks/index.ts';

const require = createRequire(import.meta.url);
const twilio = require('twilio') as {
  validateRequest(
    token: string,
    sig: string,
    url: string,
    params: Record<string, unknown>,
  ): boolean;
};
const plivo = require('plivo') as {
  validateV3Signature(
    method: string,
    uri: string,
    nonce: string,
    token: string,
    sig: string,
    params?: Record<string, unknown>,
  ): boolean;
};

const urls = [
  'https://platform.example.com/twilio/answer?phone=%2B15551230000',
  'https://platform.example.com:443/answer',
  'http://127.0.0.1:8080/answer?a=b&c=d',
  'https://platform.example.com/status/',
];
const token = 'f3c1b9a4e0d2c7b8a6f5e4d3c2b1a098';

function bodyParams(body: string | undefined): Params {
  return body ? parseForm(body) : {};
}

describe('our signatures against the twilio SDK', () => {
  for (const url of urls)
    for (const method of ['POST', 'GET'] as const)
      for (const kind of ['answer', 'status'] as const) {
        it(`${method} ${kind} ${url}`, () => {
          const params = { ...defaultParams('twilio', kind), Body: "It's a test & more" };
          const req = buildSignedRequest({ provider: 'twilio', url, token, params, method });
          const sig = req.headers['x-twilio-signature']!;
          const sdkParams = method === 'POST' ? bodyParams(req.body) : {};
          expect(twilio.validateRequest(token, sig, req.url, sdkParams)).toBe(true);
          expect(
            validateRequest(
              { method, url: req.url, headers: req.headers, body: req.body ?? '' },
              { provider: 'twilio', tokens: [token] },
            ).valid,
          ).toBe(true);
          const bad = buildSignedRequest({
            provider: 'twilio',
            url,
            token,
            params,
            method,
            tamper: true,
          });
          const badParams = method === 'POST' ? bodyParams(bad.body) : {};
          expect(
            twilio.validateRequest(token, bad.headers['x-twilio-signature']!, bad.url, badParams),
          ).toBe(false);
          expect(
            validateRequest(
              { method, url: bad.url, headers: bad.headers, body: bad.body ?? '' },
              { provider: 'twilio', tokens: [token] },
            ).valid,
          ).toBe(false);
          expect(twilio.validateRequest('wrong-token', sig, req.url, sdkParams)).toBe(false);
        });
      }
});

describe('our signatures against the plivo SDK', () => {
  for (const url of urls)
    for (const method of ['POST', 'GET'] as const)
      for (const kind of ['answer', 'status'] as const) {
        it(`${method} ${kind} ${url}`, () => {
          const params = defaultParams('plivo', kind);
          const req = buildSignedRequest({ provider: 'plivo', url, token, params, method });
          const nonce = req.headers['x-plivo-signature-v3-nonce']!;
          const sig = req.headers['x-plivo-signature-v3']!;
          // The SDK takes the URL and the params separately (GET: the params are in the query).
          const sdkUrl = method === 'POST' ? req.url : url;
          expect(
            plivo.validateV3Signature(
              method,
              sdkUrl,
              nonce,
              token,
              sig,
              method === 'POST' ? bodyParams(req.body) : params,
            ),
          ).toBe(true);
          expect(
            validateRequest(
              { method, url: req.url, headers: req.headers, body: req.body ?? '' },
              { provider: 'plivo', tokens: [token] },
            ).valid,
          ).toBe(true);
          const bad = buildSignedRequest({
            provider: 'plivo',
            url,
            token,
            params,
            method,
            tamper: true,
            nonce,
          });
          expect(
            plivo.validateV3Signature(
              method,
              sdkUrl,
              nonce,
              token,
              bad.headers['x-plivo-signature-v3']!,
              bad.params,
            ),
          ).toBe(false);
          expect(
            validateRequest(
              { method, url: bad.url, headers: bad.headers, body: bad.body ?? '' },
              { provider: 'plivo', tokens: [token] },
            ).valid,
          ).toBe(false);
        });
      }
});
