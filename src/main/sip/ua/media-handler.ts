/**
 * The SIP stack carries session descriptions but does not make them: the engine plugs an
 * offer/answer provider in (DESIGN.md: sip imports only shared).
 */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** A failure may carry a Warning header value saying why (RFC 3261 §20.43), sent with the final response. */
export type AnswerResult = { ok: true; sdp: string } | { ok: false; status: number; reason: string; warning?: string };

export interface MediaHandler {
  /** An offer for an INVITE, re-INVITE or UPDATE with the given direction (RFC 3264 §5). */
  offer(direction: Direction): string;
  /** An answer to the peer's offer (RFC 3264 §6), or a rejection such as 488 with the reason. */
  answer(offer: string): AnswerResult;
  /** The peer's answer to our offer arrived (RFC 3264 §7). */
  onAnswer?(answer: string): void;
  /**
   * The call is ending (our BYE answered, or the peer's BYE received): stop sending, keep
   * receiving what is still in flight, resolve once it has arrived (bounded by the handler).
   */
  drain?(): Promise<void>;
}
