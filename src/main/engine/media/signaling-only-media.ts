/**
 * Media for signaling-only runs (`listen --no-media`, load tests): offers and answers SDP like a
 * real endpoint (first common G.711 codec, RFC 3264) but opens no RTP socket. The SDP names the
 * discard port 9 so a peer that does send RTP sends it nowhere harmful.
 *
 * A load generator sends the same offer call after call; the answer to an identical offer for the
 * same address and codecs differs only in its o= line (RFC 3264 §6: the answer depends on the
 * offer and our capabilities), so it is negotiated once and only the o= line is written per call:
 * the session id fixed for the call and the version counting up (RFC 3264 §8, RFC 4566 §5.2).
 */
import { negotiateAnswer } from '../../sdp/answer.ts';
import { buildOffer, newSdpSessionId } from '../../sdp/offer.ts';
import type { AnswerResult, Direction, MediaHandler } from '../../sip/ua/media-handler.ts';

/** Answers by address, codecs and offer; cleared when it grows past the cap. */
const answers = new Map<string, AnswerResult>();
const MAX_CACHED = 64;
const ORIGIN = /^o=(\S+) \S+ \S+ /m;

export class SignalingOnlyMedia implements MediaHandler {
  private version = 0;
  private readonly sessionId = newSdpSessionId();
  private readonly address: string;
  private readonly codecs: string[];
  private readonly codecKey: string;

  constructor(address: string, codecs: string[] = ['PCMU', 'PCMA']) {
    this.address = address;
    this.codecs = codecs;
    this.codecKey = codecs.join(',');
  }

  offer(direction: Direction): string {
    return buildOffer({ address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, direction, sessionId: this.sessionId, sessionVersion: ++this.version });
  }

  answer(offer: string): AnswerResult {
    const sessionVersion = ++this.version;
    const key = `${this.address}\n${this.codecKey}\n${offer}`;
    let cached = answers.get(key);
    if (!cached) {
      const n = negotiateAnswer(offer, { address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, sessionId: 1, sessionVersion: 1 });
      cached = n.ok ? { ok: true, sdp: n.answerSdp } : { ok: false, status: n.status, reason: n.reason, ...(n.warning !== undefined ? { warning: n.warning } : {}) };
      if (answers.size >= MAX_CACHED) answers.clear();
      answers.set(key, cached);
    }
    if (!cached.ok) return cached;
    return { ok: true, sdp: cached.sdp.replace(ORIGIN, (_, user: string) => `o=${user} ${this.sessionId} ${sessionVersion} `) };
  }
}
