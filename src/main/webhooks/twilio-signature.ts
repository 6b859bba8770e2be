/**
 * Twilio `X-Twilio-Signature` (twilio-node src/webhooks/webhooks.ts, twilio-python
 * request_validator.py): base64(HMAC-SHA1(AuthToken, URL + for each sorted param name: name+value)).
 * JSON bodies: the URL carries `bodySHA256=<hex sha256(body)>` and only the URL is signed.
 */
import { hmacBase64, safeEqual, sha256Hex } from './hmac.ts';
import { acceptedVariants, diagnosticVariants } from './url-variants.ts';
import { valuesOf, type Params, type TriedVariant, type Verdict } from './types.ts';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The string Twilio signs: URL, then name+value for every param, names sorted, values de-duplicated and sorted. */
export function twilioStringToSign(url: string, params: Params): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    for (const value of [...new Set(valuesOf(params[name]!))].sort()) data += name + value;
  }
  return data;
}

export function signTwilio(token: string, url: string, params: Params = {}): string {
  return hmacBase64('sha1', token, twilioStringToSign(url, params));
}

export interface TwilioValidateInput {
  tokens: string[];
  url: string;
  /** Form POST params; `{}` for GET (the query is part of the URL) and for JSON bodies. */
  params: Params;
  signature: string | undefined;
  /** The raw body: checked against the URL's bodySHA256 when there is one. */
  body?: string;
}

function bodySha(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('bodySHA256') ?? undefined;
}

function ordinal(n: number, of: number): string {
  return of === 1 ? 'the token' : `token #${n} of ${of}`;
}

export function validateTwilio(input: TwilioValidateInput): Verdict {
  const { tokens, url, signature } = input;
  const expectedBody = bodySha(url);
  // JSON-body requests sign the URL only (twilio-node validateRequestWithBody).
  const params = expectedBody !== undefined ? {} : input.params;
  const tried: TriedVariant[] = [];
  if (tokens.length === 0)
    return { provider: 'twilio', valid: false, reason: 'no auth token given', tried };
  const accepted = acceptedVariants(url);
  let matched: TriedVariant | undefined;
  for (const v of accepted) {
    tokens.forEach((token, i) => {
      const sig = signTwilio(token, v.url, params);
      const match = signature !== undefined && safeEqual(sig, signature);
      const t: TriedVariant = {
        url: v.url,
        signature: sig,
        match,
        token: i + 1,
        variant: v.variant,
      };
      tried.push(t);
      if (match && !matched) matched = t;
    });
  }
  let bodyHashMatch: boolean | undefined;
  let bodyNote = '';
  if (expectedBody !== undefined) {
    const actual = sha256Hex(input.body ?? '');
    bodyHashMatch = safeEqual(actual, expectedBody.toLowerCase());
    if (!bodyHashMatch)
      bodyNote = `the body hash mismatched: the URL's bodySHA256 is ${expectedBody} but SHA-256 of the body received is ${actual} (the body was changed after signing, or re-encoded on the way)`;
  }
  if (signature === undefined || signature === '') {
    return {
      provider: 'twilio',
      valid: false,
      reason:
        'no X-Twilio-Signature header: the request was not signed by Twilio (or a proxy dropped the header)',
      tried,
      bodyHashMatch,
    };
  }
  if (matched) {
    const which = `${matched.variant === 'as given' ? 'the URL as given' : `the URL with ${matched.variant}`} (${matched.url}) with ${ordinal(matched.token!, tokens.length)}`;
    if (bodyHashMatch === false)
      return {
        provider: 'twilio',
        valid: false,
        reason: `the signature matches ${which}, but ${bodyNote}`,
        tried,
        bodyHashMatch,
      };
    return {
      provider: 'twilio',
      valid: true,
      reason: `signature matches ${which}${bodyHashMatch ? '; body SHA-256 matches bodySHA256' : ''}`,
      tried,
      bodyHashMatch,
    };
  }
  // Nothing the validators accept matched: look for the spelling that was signed, to say so.
  for (const v of diagnosticVariants(url)) {
    for (const [i, token] of tokens.entries()) {
      const sig = signTwilio(token, v.url, params);
      if (safeEqual(sig, signature)) {
        tried.push({
          url: v.url,
          signature: sig,
          match: true,
          token: i + 1,
          variant: `${v.variant} (not accepted)`,
        });
        return {
          provider: 'twilio',
          valid: false,
          likelySigned: v.url,
          reason: `no accepted URL variant matched (${accepted.length} tried), but the signature matches ${v.url} (${v.variant}) with ${ordinal(i + 1, tokens.length)}: Twilio requested that URL, so the URL configured here differs from the number's webhook URL (a proxy or load balancer rewriting scheme, port or path?)`,
          tried,
          bodyHashMatch,
        };
      }
    }
  }
  const urls = accepted.map((v) => `${v.url} (${v.variant})`).join(', ');
  const tokenWord = tokens.length > 1 ? `any of the ${tokens.length} tokens` : 'the token';
  const reason =
    `no URL variant matched with ${tokenWord}: tried ${urls}. Most likely signed: ${url} as given (Twilio signs the exact URL it requested). ` +
    (bodyNote ? `Also, ${bodyNote}. ` : '') +
    `So either the auth token is wrong (rotated? pass --token old,new), a parameter or the body changed after signing, or Twilio requested a different URL than this one.`;
  return { provider: 'twilio', valid: false, reason, tried, bodyHashMatch, likelySigned: url };
}
