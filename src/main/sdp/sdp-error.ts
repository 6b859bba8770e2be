/**
 * Results of SDP handling that fail. `400`: the SDP is malformed (the SIP layer answers 400 Bad
 * Request); `488`: well-formed but unacceptable (RFC 3261 §21.4.26 Not Acceptable Here).
 */
export type SdpFailure = { ok: false; status: 400 | 488; reason: string };

export function malformed(reason: string): SdpFailure {
  return { ok: false, status: 400, reason: `malformed SDP: ${reason}` };
}

export function notAcceptable(reason: string): SdpFailure {
  return { ok: false, status: 488, reason };
}
