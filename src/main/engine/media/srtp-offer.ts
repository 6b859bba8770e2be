/**
 * What each side did about SRTP in one offer/answer (RFC 4568 SDES, RFC 3264), so verdicts and
 * reports say who offered what: an offer on RTP/AVP with a=crypto is best-effort SRTP (plain RTP
 * is an acceptable answer), one on RTP/SAVP requires it (RFC 3711 §1, RFC 4568 §7.1.1).
 */
export interface SrtpOffer {
  /** Who made the offer of this negotiation. */
  by: 'us' | 'peer';
  /** The offer carried a=crypto. */
  crypto: boolean;
  /** The offer's audio m= line used RTP/SAVP: SRTP required. */
  required: boolean;
}

/** The peer's offer, read from its SDP. */
export function peerSrtpOffer(sdp: string): SrtpOffer {
  return { by: 'peer', crypto: /^a=crypto:/m.test(sdp), required: /^m=audio \S+ RTP\/SAVP\b/m.test(sdp) };
}

/** One line for the report: who offered what, and what the answer did. */
export function describeSrtp(o: SrtpOffer | undefined, answerCrypto: boolean, policy: string): string | undefined {
  if (!o) return undefined;
  const offerer = o.by === 'us' ? 'we' : 'the peer';
  const answerer = o.by === 'us' ? 'the peer' : 'we';
  const offered = !o.crypto ? 'offered plain RTP' : o.required ? 'offered SRTP as required (RTP/SAVP, a=crypto)' : 'offered SRTP best-effort (RTP/AVP with a=crypto)';
  const answered = answerCrypto ? 'answered with SRTP (a=crypto)' : 'answered plain RTP';
  return `${offerer} ${offered}; ${answerer} ${answered} (our --srtp ${policy})`;
}
