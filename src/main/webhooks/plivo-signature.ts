/**
 * Plivo `X-Plivo-Signature-V3` + `X-Plivo-Signature-V3-Nonce` (plivo-node lib/utils/v3Security.js,
 * plivo-python signature_v3.py, plivo-go utils.go): base64(HMAC-SHA256(AuthToken, s + '.' + nonce)),
 * where s is built from the URL and params without any URL-encoding (see plivoStringToSign).
 * The header may carry several comma-separated signatures (token rotation on Plivo's side).
 */
import { hmacBase64, safeEqual } from './hmac.ts';
import { withDefaultPort, withoutDefaultPort } from './url-variants.ts';
import { valuesOf, type Params, type TriedVariant, type Verdict } from './types.ts';

export const PLIVO_SIGNATURE_HEADER = 'x-plivo-signature-v3';
export const PLIVO_NONCE_HEADER = 'x-plivo-signature-v3-nonce';

function splitQuery(url: string): { base: string; query: Params } {
  const hash = url.indexOf('#');
  const noHash = hash < 0 ? url : url.slice(0, hash);
  const q = noHash.indexOf('?');
  const query: Params = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(noHash.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? [v] : [...valuesOf(prev), v];
    }
  }
  return { base: q < 0 ? noHash : noHash.slice(0, q), query };
}

function sortedQuery(params: Params): string {
  const parts: string[] = [];
  for (const k of Object.keys(params).sort())
    for (const v of [...valuesOf(params[k]!)].sort()) parts.push(`${k}=${v}`);
  return parts.join('&');
}

function sortedConcat(params: Params): string {
  let s = '';
  for (const k of Object.keys(params).sort())
    for (const v of [...valuesOf(params[k]!)].sort()) s += k + v;
  return s;
}

/**
 * The V3 string to sign. GET: base + '?' + sorted key=value of query and params merged. POST:
 * base, then '?' + the URL's own sorted query if there is a query or any param, then '.' if both,
 * then key+value of every POST param, keys sorted.
 */
export function plivoStringToSign(method: string, url: string, params: Params): string {
  const { base, query } = splitQuery(url);
  if (method.toUpperCase() === 'GET') {
    const merged: Params = { ...query };
    for (const [k, v] of Object.entries(params))
      merged[k] = [...valuesOf(merged[k] ?? []), ...valuesOf(v)];
    const qs = sortedQuery(merged);
    return qs ? `${base}?${qs}` : base;
  }
  const qs = sortedQuery(query);
  const hasParams = Object.keys(params).length > 0;
  let s = base;
  if (qs || hasParams) s += `?${qs}`;
  if (qs && hasParams) s += '.';
  return s + sortedConcat(params);
}

export function signPlivoV3(
  token: string,
  method: string,
  url: string,
  params: Params,
  nonce: string,
): string {
  return hmacBase64('sha256', token, `${plivoStringToSign(method, url, params)}.${nonce}`);
}

export interface PlivoValidateInput {
  tokens: string[];
  method: string;
  url: string;
  /** POST form params (GET: the query is in the URL; pass `{}`). */
  params: Params;
  signatureHeader: string | undefined;
  nonce: string | undefined;
}

export function validatePlivo(input: PlivoValidateInput): Verdict {
  const { tokens, method, url, params, nonce } = input;
  const tried: TriedVariant[] = [];
  const given = (input.signatureHeader ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (tokens.length === 0)
    return { provider: 'plivo', valid: false, reason: 'no auth token given', tried };
  if (nonce === undefined || nonce === '')
    return {
      provider: 'plivo',
      valid: false,
      reason:
        'no X-Plivo-Signature-V3-Nonce header: the V3 signature cannot be checked without its nonce',
      tried,
    };
  const compute = (
    u: string,
    m: string,
    variant: string,
    accepted: boolean,
  ): TriedVariant | undefined => {
    let hit: TriedVariant | undefined;
    tokens.forEach((token, i) => {
      const sig = signPlivoV3(token, m, u, params, nonce);
      const match = given.some((g) => safeEqual(g, sig));
      const t: TriedVariant = {
        url: u,
        signature: sig,
        match,
        token: i + 1,
        variant: accepted ? variant : `${variant} (not accepted)`,
        stringToSign: plivoStringToSign(m, u, params),
      };
      if (accepted || match) tried.push(t);
      if (match && !hit) hit = t;
    });
    return hit;
  };
  const m = method.toUpperCase();
  const hit = compute(url, m, `as given, ${m} string`, true);
  const count = given.length === 1 ? 'the signature' : `one of the ${given.length} signatures`;
  if (given.length === 0)
    return {
      provider: 'plivo',
      valid: false,
      reason:
        'no X-Plivo-Signature-V3 header: the request was not signed by Plivo (or a proxy dropped the header)',
      tried,
    };
  if (hit) {
    const tok = tokens.length > 1 ? ` with token #${hit.token} of ${tokens.length}` : '';
    return {
      provider: 'plivo',
      valid: true,
      reason: `${count} matches the V3 ${m} string for ${url}${tok}`,
      tried,
    };
  }
  // Explain: which spelling or method would have matched (Plivo's SDKs accept only the exact one).
  const other = m === 'GET' ? 'POST' : 'GET';
  const alternatives: [string, string, string][] = [
    [withoutDefaultPort(url), m, 'default port removed'],
    [withDefaultPort(url), m, 'default port added'],
    [url, other, `${other} string construction instead of ${m}`],
  ];
  for (const [u, mm, variant] of alternatives) {
    if (u === url && mm === m) continue;
    const alt = compute(u, mm, variant, false);
    if (alt) {
      return {
        provider: 'plivo',
        valid: false,
        likelySigned: `${mm} ${u}`,
        reason: `the signature does not match the V3 ${m} string for ${url}, but matches ${mm} ${u} (${variant}): Plivo signed that, so the URL or method configured here differs from the one Plivo requested`,
        tried,
      };
    }
  }
  const tokenWord = tokens.length > 1 ? `any of the ${tokens.length} tokens` : 'the token';
  return {
    provider: 'plivo',
    valid: false,
    likelySigned: `${m} ${url}`,
    reason: `no signature in the header (${given.length}) matches the V3 ${m} string for ${url} with ${tokenWord} and nonce ${nonce}; the string signed was "${plivoStringToSign(m, url, params).slice(0, 160)}…". Either the auth token is wrong (rotated? pass --token old,new), a parameter changed after signing, or Plivo requested another URL`,
    tried,
  };
}

/** V2: base64(HMAC-SHA256(token, URL without query + nonce)) (plivo-go ValidateSignatureV2). */
export function signPlivoV2(token: string, url: string, nonce: string): string {
  return hmacBase64('sha256', token, splitQuery(url).base + nonce);
}

/** Legacy `X-Plivo-Signature`: base64(HMAC-SHA1(token, URL + sorted key+value)). */
export function signPlivoLegacy(token: string, url: string, params: Params): string {
  return hmacBase64('sha1', token, url + sortedConcat(params));
}
