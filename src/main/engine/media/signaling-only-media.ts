/**
 * Media for signaling-only runs (`listen --no-media`, load tests): offers and answers SDP like a
 * real endpoint (first common G.711 codec, RFC 3264) but opens no RTP socket. The SDP names the
 * discard port 9 so a peer that does send RTP sends it nowhere harmful.
 *
 * A load generator sends the same offer call after call; the answer to an identical offer, for
 * the same address, codecs, o= session id (seconds, as buildOffer's default) and version, is
 * identical too, so it is computed once and reused (RFC 3264 §6: the answer depends only on
 * the offer and our capabilities).
 */
import { negotiateAnswer } from '../../sdp/answer.ts';
import { buildOffer } from '../../sdp/offer.ts';
import type { AnswerResult, Direction, MediaHandler } from '../../sip/ua/media-handler.ts';

/** Answers by offer (and everything else they depend on); cleared when it grows past the cap. */
const answers = new Map<string, AnswerResult>();
const MAX_CACHED = 64;

export class SignalingOnlyMedia implements MediaHandler {
  private version = 0;
  private readonly address: string;
  private readonly codecs: string[];
  private readonly codecKey: string;

  constructor(address: string, codecs: string[] = ['PCMU', 'PCMA']) {
    this.address = address;
    this.codecs = codecs;
    this.codecKey = codecs.join(',');
  }

  offer(direction: Direction): string {
    return buildOffer({ address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, direction, sessionVersion: ++this.version });
  }

  answer(offer: string): AnswerResult {
    const sessionVersion = ++this.version;
    const sessionId = Math.floor(Date.now() / 1000);
    const key = `${this.address}\n${this.codecKey}\n${sessionVersion}\n${sessionId}\n${offer}`;
    const cached = answers.get(key);
    if (cached) return cached;
    const n = negotiateAnswer(offer, { address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, sessionId, sessionVersion });
    const result: AnswerResult = n.ok ? { ok: true, sdp: n.answerSdp } : { ok: false, status: n.status, reason: n.reason };
    if (answers.size >= MAX_CACHED) answers.clear();
    answers.set(key, result);
    return result;
  }
}
