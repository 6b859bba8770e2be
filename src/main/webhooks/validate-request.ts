/** Validate one received webhook request the way the platform behind the URL would. */
import { validateExotel } from './exotel-auth.ts';
import { PLIVO_NONCE_HEADER, PLIVO_SIGNATURE_HEADER, validatePlivo } from './plivo-signature.ts';
import { TWILIO_SIGNATURE_HEADER, validateTwilio } from './twilio-signature.ts';
import { parseForm, type Params, type Provider, type Verdict } from './types.ts';

export interface IncomingRequest {
  method: string;
  /** The full URL as the provider requested it (scheme://host[:port]/path?query). */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
  /** The peer's IP address (Exotel allowlist). */
  source?: string;
}

export interface ValidateOptions {
  provider: Provider;
  tokens: string[];
  /** Exotel: the allowlist comma list (undefined: not checked). */
  allowFrom?: string;
}

/** Params of a request: the query for GET, the form body for POST (JSON bodies: none). */
export function requestParams(req: IncomingRequest): {
  query: Params;
  form: Params;
  json: boolean;
} {
  const q = req.url.indexOf('?');
  const query = q < 0 ? {} : parseForm(req.url.slice(q + 1).split('#')[0]!);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const json = type.includes('json');
  const form = req.method.toUpperCase() === 'POST' && !json && req.body ? parseForm(req.body) : {};
  return { query, form, json };
}

export function validateRequest(req: IncomingRequest, opts: ValidateOptions): Verdict {
  const { form } = requestParams(req);
  const method = req.method.toUpperCase();
  if (opts.provider === 'twilio') {
    return validateTwilio({
      tokens: opts.tokens,
      url: req.url,
      params: method === 'POST' ? form : {},
      signature: req.headers[TWILIO_SIGNATURE_HEADER],
      body: req.body,
    });
  }
  if (opts.provider === 'plivo') {
    return validatePlivo({
      tokens: opts.tokens,
      method,
      url: req.url,
      params: method === 'POST' ? form : {},
      signatureHeader: req.headers[PLIVO_SIGNATURE_HEADER],
      nonce: req.headers[PLIVO_NONCE_HEADER],
    });
  }
  return validateExotel({
    allowFrom: opts.allowFrom,
    source: req.source,
    url: req.url,
    tokens: opts.tokens,
  });
}
