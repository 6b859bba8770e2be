/**
 * Build the HTTP request a provider sends to a platform's webhook URL, signed as that provider
 * signs it (or, with `tamper`, deliberately broken: a parameter changed after signing).
 */
import { randomInt } from 'node:crypto';
import { signPlivoV3, PLIVO_NONCE_HEADER, PLIVO_SIGNATURE_HEADER } from './plivo-signature.ts';
import { signTwilio, TWILIO_SIGNATURE_HEADER } from './twilio-signature.ts';
import { encodeForm, type Params, type Provider } from './types.ts';

export interface SignedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The params as sent (after tampering). */
  params: Params;
  /** What --tamper changed, in words. */
  tampered?: string;
}

export interface BuildRequestInput {
  provider: Provider;
  url: string;
  /** The auth token (Twilio, Plivo) or per-phone token (Exotel, added as ?token=). */
  token: string;
  params: Params;
  method?: 'GET' | 'POST';
  tamper?: boolean;
  /** Sign as if this URL had been requested (a proxy or load balancer in between); default `url`. */
  signUrl?: string;
  /** Fixed nonce for tests; Plivo sends a random 20-digit one. */
  nonce?: string;
}

function appendQuery(url: string, params: Params): string {
  const q = encodeForm(params);
  if (!q) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${q}`;
}

function tamperParams(params: Params): { params: Params; what: string } {
  const key = 'To' in params ? 'To' : (Object.keys(params)[0] ?? 'To');
  const prev = params[key];
  const value = `${Array.isArray(prev) ? prev[0] : (prev ?? '')}9`;
  return {
    params: { ...params, [key]: value },
    what: `${key} changed to "${value}" after signing`,
  };
}

export function buildSignedRequest(input: BuildRequestInput): SignedRequest {
  const { provider, token } = input;
  // Exotel's Passthru requests with GET by default; Twilio and Plivo POST.
  const method = input.method ?? (provider === 'exotel' ? 'GET' : 'POST');
  const headers: Record<string, string> = {
    'user-agent':
      provider === 'twilio'
        ? 'TwilioProxy/1.1'
        : provider === 'plivo'
          ? 'PlivoHTTP/1.0'
          : 'Exotel/1.0',
  };
  let url = input.url;
  const signBase = input.signUrl ?? input.url;
  if (provider === 'exotel') {
    // No signature: the per-phone secret travels as ?token= in the URL.
    const u = new URL(url);
    if (!u.searchParams.has('token'))
      url = appendQuery(url, { token: input.tamper ? `${token}x` : token });
    else if (input.tamper) {
      u.searchParams.set('token', `${u.searchParams.get('token')}x`);
      url = u.href;
    }
  }
  const signedUrl = method === 'GET' ? appendQuery(signBase, input.params) : signBase;
  const signedParams = method === 'GET' ? {} : input.params;
  if (provider === 'twilio')
    headers[TWILIO_SIGNATURE_HEADER] = signTwilio(token, signedUrl, signedParams);
  if (provider === 'plivo') {
    const nonce = input.nonce ?? String(randomInt(1e9, 1e10)) + String(randomInt(1e9, 1e10));
    headers[PLIVO_NONCE_HEADER] = nonce;
    headers[PLIVO_SIGNATURE_HEADER] = signPlivoV3(token, method, signBase, input.params, nonce);
  }
  let params = input.params;
  let tampered: string | undefined;
  if (input.tamper && provider !== 'exotel') {
    const t = tamperParams(params);
    params = t.params;
    tampered = t.what;
  } else if (input.tamper) tampered = 'the ?token= changed';
  const finalUrl = method === 'GET' ? appendQuery(url, params) : url;
  const req: SignedRequest = { method, url: finalUrl, headers, params, tampered };
  if (method === 'POST') {
    req.body = encodeForm(params);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return req;
}
