/**
 * The minimal SDP calls carry until the media engine negotiates real sessions: PCMU/PCMA
 * (+ telephone-event) on a placeholder port (RFC 4566 §5, RFC 3264 §5–6). Plugged into the SIP
 * stack as its MediaHandler.
 */
import type { AnswerResult, Direction, MediaHandler } from '../../src/main/sip/ua/media-handler.ts';

const NAMES: Readonly<Record<number, string>> = { 0: 'PCMU/8000', 8: 'PCMA/8000' };

export function minimalSdp(address: string, port: number, version: number, direction: Direction, pts: number[]): string {
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=trunkscope 1 ${version} IN ${ip} ${address}`,
    's=trunkscope',
    `c=IN ${ip} ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${[...pts, 101].join(' ')}`,
    ...pts.map((pt) => `a=rtpmap:${pt} ${NAMES[pt] ?? `PT${pt}/8000`}`),
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    `a=${direction}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The media direction an SDP body states, sendrecv if none (RFC 3264 §5.1). */
export function sdpDirection(sdp: string): Direction {
  const m = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp);
  if (m) return m[1] as Direction;
  return /^c=IN IP4 0\.0\.0\.0\s*$/m.test(sdp) ? 'sendonly' : 'sendrecv';
}

/** RFC 3264 §6.1: the answer's direction mirrors the offer's. */
export function mirrorDirection(offer: Direction): Direction {
  if (offer === 'sendonly') return 'recvonly';
  if (offer === 'recvonly') return 'sendonly';
  return offer;
}

/** A MediaHandler offering PCMU/PCMA on a placeholder port and answering with the first match. */
export class MinimalMedia implements MediaHandler {
  private version = 0;
  private readonly address: string;
  private readonly port: number;
  remoteSdp: string | undefined;

  constructor(address: string, port = 40000) {
    this.address = address;
    this.port = port;
  }

  offer(direction: Direction): string {
    return minimalSdp(this.address, this.port, ++this.version, direction, [0, 8]);
  }

  answer(offer: string): AnswerResult {
    this.remoteSdp = offer;
    const m = /^m=audio \d+ [A-Za-z/]+ ([\d ]+)/m.exec(offer);
    if (!m) return { ok: false, status: 488, reason: 'no audio m-line in the offer' };
    const theirs = m[1]!.trim().split(/\s+/).map(Number);
    const common = [0, 8].filter((pt) => theirs.includes(pt));
    if (common.length === 0) {
      return { ok: false, status: 488, reason: `no common codec: offered [${theirs.join(',')}], ours [PCMU,PCMA]` };
    }
    return { ok: true, sdp: minimalSdp(this.address, this.port, ++this.version, mirrorDirection(sdpDirection(offer)), [common[0]!]) };
  }

  onAnswer(answer: string): void {
    this.remoteSdp = answer;
  }
}
