/**
 * Media direction attributes (RFC 4566 §6, RFC 3264 §5.1, §6.1, §8.4) and hold/resume.
 * Directions are always from the point of view of the SDP's author.
 */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const SDP_DIRECTIONS: readonly SdpDirection[] = [
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
];

const sends = (d: SdpDirection) => d === 'sendrecv' || d === 'sendonly';
const receives = (d: SdpDirection) => d === 'sendrecv' || d === 'recvonly';

function fromFlags(send: boolean, recv: boolean): SdpDirection {
  return send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive';
}

/** The same stream seen from the other side: sendonly ↔ recvonly. */
export function mirrorDirection(d: SdpDirection): SdpDirection {
  return fromFlags(receives(d), sends(d));
}

/**
 * RFC 3264 §6.1: the answer's direction given the offer's and what we want locally. We send only
 * if we want to and the offerer receives; we receive only if we want to and the offerer sends.
 * Offer sendonly → recvonly, recvonly → sendonly, inactive → inactive.
 */
export function answerDirection(
  offered: SdpDirection,
  local: SdpDirection = 'sendrecv',
): SdpDirection {
  return fromFlags(sends(local) && receives(offered), receives(local) && sends(offered));
}

/** RFC 3264 §8.4: direction of a re-offer that puts the peer on hold. */
export function holdDirection(current: SdpDirection): SdpDirection {
  return fromFlags(sends(current), false);
}

/** Direction of a re-offer that takes the peer off hold (we want to receive again). */
export function resumeDirection(current: SdpDirection, wantSend = true): SdpDirection {
  return fromFlags(wantSend || sends(current), true);
}

/**
 * RFC 3264 §8.4: `c=0.0.0.0` (RFC 2543 hold) means the author cannot receive; its direction is
 * then read without the "recv" part (sendrecv → sendonly, recvonly → inactive).
 */
export function effectiveDirection(direction: SdpDirection, address: string): SdpDirection {
  return isLegacyHoldAddress(address) ? fromFlags(sends(direction), false) : direction;
}

export function isLegacyHoldAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

export function isDirection(s: unknown): s is SdpDirection {
  return typeof s === 'string' && (SDP_DIRECTIONS as readonly string[]).includes(s);
}
