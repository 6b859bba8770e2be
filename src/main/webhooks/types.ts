/** Shared shapes of the webhook lab: providers, parameters, verdicts. */
export type Provider = 'twilio' | 'plivo' | 'exotel';
export const PROVIDERS: readonly Provider[] = ['twilio', 'plivo', 'exotel'];

/** Decoded form or query parameters; a repeated name holds every value in arrival order. */
export type Params = Record<string, string | string[]>;

/** One URL (or string-to-sign) a validator computed a signature for. */
export interface TriedVariant {
  url: string;
  signature: string;
  match: boolean;
  /** Which token of a rotated list (`old,new`) this was computed with: 1-based. */
  token?: number;
  /** What the variant is, in words: "as given", "default port added", ... */
  variant?: string;
  /** Plivo: the exact string that was HMAC'd (before `.nonce`). */
  stringToSign?: string;
}

export interface Verdict {
  provider: Provider;
  valid: boolean;
  /** Plain-words reason: what matched, or why nothing did. */
  reason: string;
  tried: TriedVariant[];
  /** Twilio JSON bodies: whether the bodySHA256 in the URL matched the body (undefined: not a JSON-body request). */
  bodyHashMatch?: boolean;
  /** The variant the provider most likely signed when nothing matched. */
  likelySigned?: string;
}

export function isProvider(text: string): text is Provider {
  return (PROVIDERS as readonly string[]).includes(text);
}

/** Every value of a parameter as a list. */
export function valuesOf(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** Add one value to a parameter map (repeated names collect into a list). */
export function addParam(params: Params, name: string, value: string): void {
  const prev = params[name];
  if (prev === undefined) params[name] = value;
  else params[name] = [...valuesOf(prev), value];
}

/** Decode `a=1&b=2` (application/x-www-form-urlencoded: `+` is a space). */
export function parseForm(text: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(text)) addParam(out, k, v);
  return out;
}

/** Encode parameters as application/x-www-form-urlencoded, names in the given order. */
export function encodeForm(params: Params): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of valuesOf(v)) sp.append(k, one);
  return sp.toString();
}

/** A secret as printed without --show-secrets: its length only. */
export function maskSecret(secret: string): string {
  return `****(${secret.length} chars)`;
}
