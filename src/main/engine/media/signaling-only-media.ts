/**
 * Media for signaling-only runs (`listen --no-media`, load tests): offers and answers SDP like a
 * real endpoint (first common G.711 codec, RFC 3264) but opens no RTP socket. The SDP names the
 * discard port 9 so a peer that does send RTP sends it nowhere harmful.
 */
import { negotiateAnswer } from '../../sdp/answer.ts';
import { buildOffer } from '../../sdp/offer.ts';
import type { AnswerResult, Direction, MediaHandler } from '../../sip/ua/media-handler.ts';

export class SignalingOnlyMedia implements MediaHandler {
  private version = 0;
  private readonly address: string;
  private readonly codecs: string[];

  constructor(address: string, codecs: string[] = ['PCMU', 'PCMA']) {
    this.address = address;
    this.codecs = codecs;
  }

  offer(direction: Direction): string {
    return buildOffer({ address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, direction, sessionVersion: ++this.version });
  }

  answer(offer: string): AnswerResult {
    const n = negotiateAnswer(offer, { address: this.address, port: 9, codecs: this.codecs, telephoneEvent: true, sessionVersion: ++this.version });
    return n.ok ? { ok: true, sdp: n.answerSdp } : { ok: false, status: n.status, reason: n.reason };
  }
}
