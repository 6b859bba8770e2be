/**
 * Results of SDP handling that fail. `400`: the SDP is malformed (the SIP layer answers 400 Bad
 * Request); `488`: well-formed but unacceptable (RFC 3261 §21.4.26 Not Acceptable Here), such as a
 * value out of the range we can honour. Each carries a Warning header value saying why
 * (RFC 3261 §20.43: 306 attribute not understood, 307 session description parameter not
 * understood, 399 miscellaneous).
 */
export type SdpFailure = { ok: false; status: 400 | 488; reason: string; warning?: string };

/** A Warning header value: warn-code, our pseudonym as warn-agent, quoted text (RFC 3261 §20.43). */
export function warningValue(code: number, text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/["\\]/g, "'").slice(0, 200);
  return `${code} trunkscope "${clean}"`;
}

export function malformed(reason: string): SdpFailure {
  const r = `malformed SDP: ${reason}`;
  return { ok: false, status: 400, reason: r, warning: warningValue(399, r) };
}

export function notAcceptable(reason: string): SdpFailure {
  return { ok: false, status: 488, reason };
}

/** A well-formed SDP with a value out of range (a=ptime:5000, a rate of 0 Hz): 488 + Warning. */
export function outOfRange(reason: string, code: 306 | 307): SdpFailure {
  return { ok: false, status: 488, reason: `SDP value out of range: ${reason}`, warning: warningValue(code, reason) };
}
