/**
 * The offerer's side of RFC 3264 (§5, §6): read the answer to an offer we sent and decide what
 * to send, where, and how. Both SDPs are parsed; the answer must keep the m= line count, accept
 * our audio stream (port ≠ 0), name a codec we offered, and echo one of our crypto tags if we
 * offered SRTP.
 */
import {
  findCodec,
  formatLabel,
  formatMatches,
  TELEPHONE_EVENT,
  type CodecInfo,
  type SdpFormat,
} from './codecs.ts';
import {
  answerDirection,
  effectiveDirection,
  isLegacyHoldAddress,
  type SdpDirection,
} from './direction.ts';
import { parseCryptoLine } from './crypto-line.ts';
import { parseSdp } from './parse-sdp.ts';
import { malformed, notAcceptable, type SdpFailure } from './sdp-error.ts';
import type { NegotiatedCrypto, RemoteMedia } from './answer.ts';

export interface ParsedAnswer {
  ok: true;
  mediaIndex: number;
  codec: string;
  /** The answer's payload type for the codec (what we put in our RTP). */
  payloadType: number;
  clockRate: number;
  channels: number;
  telephoneEventPt?: number;
  /** Packetization we send with: the answer's a=ptime, else ours, else 20. */
  ptime: number;
  /** Our effective direction: what we offered, limited by what the answerer accepted. */
  direction: SdpDirection;
  remote: RemoteMedia;
  crypto?: NegotiatedCrypto;
}

function codecOf(f: SdpFormat): CodecInfo | undefined {
  const c = f.name !== undefined ? findCodec(f.name) : undefined;
  return c && formatMatches(f, c) ? c : undefined;
}

export function parseAnswer(answerSdp: string, offerSdp: string): ParsedAnswer | SdpFailure {
  const a = parseSdp(answerSdp);
  if (!a.ok) return a;
  const o = parseSdp(offerSdp);
  if (!o.ok) return malformed(`our own offer does not parse: ${o.reason}`);
  const answer = a.sdp;
  const offer = o.sdp;
  if (answer.media.length !== offer.media.length) {
    return malformed(
      `answer has ${answer.media.length} m= lines, the offer had ${offer.media.length} (RFC 3264 §6)`,
    );
  }
  const index = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (index < 0) return malformed('our offer has no active audio stream');
  const om = offer.media[index]!;
  const am = answer.media[index]!;
  if (am.type !== 'audio')
    return malformed(`answer m= line ${index + 1} is ${am.type}, offered audio`);
  if (am.port === 0) return notAcceptable('the answerer rejected the audio stream (port 0)');

  let chosen: { codec: CodecInfo; format: SdpFormat } | undefined;
  for (const f of am.formats) {
    const c = codecOf(f);
    if (c && om.formats.some((x) => formatMatches(x, c))) {
      chosen = { codec: c, format: f };
      break;
    }
  }
  if (!chosen) {
    const label = (fs: SdpFormat[]) =>
      fs.filter((f) => f.name?.toLowerCase() !== TELEPHONE_EVENT).map(formatLabel);
    return notAcceptable(
      `answer names no codec we offered: answer [${label(am.formats).join(', ')}], offer [${label(om.formats).join(', ')}]`,
    );
  }
  const { codec, format } = chosen;
  const te = am.formats.find(
    (f) => f.name?.toLowerCase() === TELEPHONE_EVENT && f.clockRate === codec.clockRate,
  );
  const offeredTe = om.formats.some(
    (f) => f.name?.toLowerCase() === TELEPHONE_EVENT && f.clockRate === codec.clockRate,
  );

  let crypto: NegotiatedCrypto | undefined;
  // Our best-effort offer (RTP/AVP + a=crypto) may be answered without crypto: plain RTP.
  const bestEffort = !/SAVP/i.test(om.protocol) && !/SAVP/i.test(am.protocol) && am.crypto.length === 0;
  if (om.crypto.length > 0 && !bestEffort) {
    const theirs = am.crypto.map(parseCryptoLine).filter((c) => c !== undefined);
    const ours = om.crypto.map(parseCryptoLine).filter((c) => c !== undefined);
    let match: NegotiatedCrypto | undefined;
    for (const t of theirs) {
      const mine = ours.find((c) => c.tag === t.tag && c.suite === t.suite);
      if (mine) {
        match = { tag: t.tag, suite: t.suite, local: mine.keyParams, remote: t.keyParams };
        break;
      }
    }
    if (!match) {
      return notAcceptable(
        `answer has no a=crypto matching our offer: answer [${theirs.map((c) => `${c.tag} ${c.suite}`).join(', ')}], ` +
          `offer [${ours.map((c) => `${c.tag} ${c.suite}`).join(', ')}]`,
      );
    }
    crypto = match;
  }

  const legacyHold = isLegacyHoldAddress(am.address);
  const answered = effectiveDirection(am.direction, am.address);
  const rtcpMux = om.rtcpMux && am.rtcpMux;
  return {
    ok: true,
    mediaIndex: index,
    codec: codec.name,
    payloadType: format.pt,
    clockRate: codec.clockRate,
    channels: codec.channels,
    telephoneEventPt: te && offeredTe ? te.pt : undefined,
    ptime: am.ptime ?? om.ptime ?? 20,
    direction: answerDirection(answered, om.direction),
    remote: {
      address: am.address,
      port: am.port,
      rtcpPort: rtcpMux ? undefined : (am.rtcpPort ?? am.port + 1),
      rtcpAddress: am.rtcpAddress,
      rtcpMux,
      direction: am.direction,
      legacyHold,
      ptime: am.ptime,
    },
    crypto,
  };
}
