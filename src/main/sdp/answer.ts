/**
 * Answer an SDP offer (RFC 3264 §6): accept the first audio stream we can serve with one codec
 * (plus telephone-event at the same clock), reject every other m= line with port 0, mirror the
 * direction, echo the offerer's payload type numbers, accept rtcp-mux and one SDES crypto line.
 */
import { write, type SdpMedia } from 'sdp-transform';
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
import { cryptoAttributes, sessionSkeleton } from './offer.ts';
import {
  DEFAULT_SRTP_SUITES,
  formatCryptoLine,
  parseCryptoLine,
  randomInlineKey,
} from './crypto-line.ts';
import { parseSdp, type SdpMediaInfo } from './parse-sdp.ts';
import { notAcceptable, type SdpFailure } from './sdp-error.ts';

export interface AnswerPrefs {
  address: string;
  port: number;
  /** Codecs we accept, in our preference order. */
  codecs: string[];
  telephoneEvent: boolean;
  /** Packetization we ask to receive (our a=ptime), default 20. */
  ptime?: number;
  /** What we want locally (e.g. 'sendonly' to hold the offerer), default sendrecv. */
  direction?: SdpDirection;
  /** Whose order picks the codec: the offerer's (RFC 3264 §5.1 preference), default, or ours. */
  prefer?: 'offerer' | 'ours';
  /** Accept a=rtcp-mux when offered, default true. */
  rtcpMux?: boolean;
  /** SDES-SRTP: suites we accept (default both AES_CM_128), whether plain RTP is refused. */
  srtp?: { suites?: string[]; required?: boolean; createKeyParams?: (suite: string) => string };
  sessionVersion: number;
  sessionId?: number | string;
  username?: string;
  sessionName?: string;
}

export interface RemoteMedia {
  address: string;
  port: number;
  rtcpPort?: number;
  rtcpAddress?: string;
  rtcpMux: boolean;
  /** Direction as the remote wrote it. */
  direction: SdpDirection;
  /** RFC 3264 §8.4: c=0.0.0.0 (RFC 2543 hold). */
  legacyHold: boolean;
  ptime?: number;
}

export interface NegotiatedCrypto {
  tag: number;
  suite: string;
  /** Our key parameters (`inline:…`) and the peer's. */
  local: string;
  remote: string;
}

export interface NegotiatedAnswer {
  ok: true;
  answerSdp: string;
  mediaIndex: number;
  codec: string;
  payloadType: number;
  clockRate: number;
  channels: number;
  telephoneEventPt?: number;
  /** Packetization we send with: the remote's a=ptime, else ours, else 20. */
  ptime: number;
  /** Direction of our answer (from our side). */
  direction: SdpDirection;
  remote: RemoteMedia;
  crypto?: NegotiatedCrypto;
}

const RTP_PROFILES = /^RTP\/S?AVPF?$/i;

/** The chosen codec for one offered stream, or a reason it has none. */
function chooseCodec(
  m: SdpMediaInfo,
  prefs: AnswerPrefs,
): { codec: CodecInfo; format: SdpFormat } | undefined {
  const ours = prefs.codecs.map((n) => findCodec(n)).filter((c): c is CodecInfo => c !== undefined);
  if (prefs.prefer === 'ours') {
    for (const c of ours) {
      const f = m.formats.find((x) => formatMatches(x, c));
      if (f) return { codec: c, format: f };
    }
    return undefined;
  }
  for (const f of m.formats) {
    const c = ours.find((x) => formatMatches(f, x));
    if (c) return { codec: c, format: f };
  }
  return undefined;
}

function rejected(raw: SdpMedia): SdpMedia {
  // RFC 3264 §6: a rejected stream keeps its m= line, with port 0 and at least one format.
  const first =
    String(raw.payloads ?? '0')
      .trim()
      .split(/\s+/)[0] ?? '0';
  return { type: raw.type, port: 0, protocol: raw.protocol, payloads: first, rtp: [], fmtp: [] };
}

export function negotiateAnswer(
  offerSdp: string,
  prefs: AnswerPrefs,
): NegotiatedAnswer | SdpFailure {
  const parsed = parseSdp(offerSdp);
  if (!parsed.ok) return parsed;
  const { sdp } = parsed;
  const audio = sdp.media.filter((m) => m.type === 'audio' && m.port !== 0);
  if (audio.length === 0) {
    const types = sdp.media.map((m) => `m=${m.type} ${m.port}`).join(', ');
    return notAcceptable(`no active audio stream in the offer (${types})`);
  }
  const reasons: string[] = [];
  for (const m of audio) {
    if (!RTP_PROFILES.test(m.protocol)) {
      reasons.push(`m=audio profile ${m.protocol} is not supported (RTP/AVP or RTP/SAVP)`);
      continue;
    }
    // Best-effort SRTP: RTP/AVP carrying a=crypto is answered with crypto when we do SRTP.
    const secure = /SAVP/i.test(m.protocol) || (prefs.srtp !== undefined && m.crypto.length > 0);
    if (!secure && prefs.srtp?.required) {
      reasons.push(`SRTP is required but the offer uses ${m.protocol}`);
      continue;
    }
    const choice = chooseCodec(m, prefs);
    if (!choice) {
      const offered = m.formats
        .filter((f) => f.name?.toLowerCase() !== TELEPHONE_EVENT)
        .map(formatLabel);
      reasons.push(
        `no common codec: offered [${offered.join(', ')}], accepted [${prefs.codecs.join(', ')}]`,
      );
      continue;
    }
    let crypto: NegotiatedCrypto | undefined;
    if (secure) {
      const suites = prefs.srtp ? (prefs.srtp.suites ?? DEFAULT_SRTP_SUITES) : [];
      const lines = m.crypto.map(parseCryptoLine);
      const pick = lines.find((c) => c !== undefined && suites.includes(c.suite));
      if (!pick) {
        const offered = lines.map((c, i) => c?.suite ?? `unreadable "${m.crypto[i]}"`);
        reasons.push(
          prefs.srtp
            ? `no common SRTP crypto suite: offered [${offered.join(', ')}], accepted [${suites.join(', ')}]`
            : `SRTP offered (${m.protocol}) but SRTP is not enabled`,
        );
        continue;
      }
      const local = (prefs.srtp?.createKeyParams ?? randomInlineKey)(pick.suite);
      crypto = { tag: pick.tag, suite: pick.suite, local, remote: pick.keyParams };
    }
    return accept(sdp.raw.media, m, choice, crypto, prefs);
  }
  return notAcceptable(reasons.join('; '));
}

/** RFC 3551 §6: the static payload type of comfort noise (RFC 3389). */
const COMFORT_NOISE_PT = 13;

function accept(
  rawMedia: SdpMedia[],
  m: SdpMediaInfo,
  choice: { codec: CodecInfo; format: SdpFormat },
  crypto: NegotiatedCrypto | undefined,
  prefs: AnswerPrefs,
): NegotiatedAnswer {
  const { codec, format } = choice;
  const te = prefs.telephoneEvent
    ? m.formats.find(
        (f) => f.name?.toLowerCase() === TELEPHONE_EVENT && f.clockRate === codec.clockRate,
      )
    : undefined;
  // RFC 3389 §5: comfort noise (CN/8000, static PT 13) is accepted when offered, so a peer's
  // silence suppression is negotiated and its CN packets are not an unknown payload type.
  const cn = m.formats.find((f) => f.pt === COMFORT_NOISE_PT || (f.name?.toLowerCase() === 'cn' && f.clockRate === 8000));
  const legacyHold = isLegacyHoldAddress(m.address);
  const offered = effectiveDirection(m.direction, m.address);
  const direction = answerDirection(offered, prefs.direction ?? 'sendrecv');
  const rtcpMux = m.rtcpMux && prefs.rtcpMux !== false;
  const session = sessionSkeleton(prefs);
  const payloads = [format.pt, ...(te ? [te.pt] : []), ...(cn && cn.pt !== format.pt ? [cn.pt] : [])];
  const media: SdpMedia = {
    type: 'audio',
    port: prefs.port,
    protocol: m.protocol,
    payloads: payloads.join(' '),
    // RFC 3264 §6.1: the answer uses the offer's payload type numbers.
    rtp: [
      {
        payload: format.pt,
        codec: codec.name,
        rate: codec.clockRate,
        ...(codec.channels > 1 ? { encoding: codec.channels } : {}),
      },
      ...(te ? [{ payload: te.pt, codec: TELEPHONE_EVENT, rate: codec.clockRate }] : []),
      ...(cn && cn.pt !== format.pt ? [{ payload: cn.pt, codec: 'CN', rate: 8000 }] : []),
    ],
    fmtp: [
      ...(codec.fmtp ? [{ payload: format.pt, config: codec.fmtp }] : []),
      ...(te ? [{ payload: te.pt, config: te.fmtp ?? '0-15' }] : []),
    ],
    ...(crypto
      ? {
          crypto: cryptoAttributes([
            formatCryptoLine({
              tag: crypto.tag,
              suite: crypto.suite,
              keyParams: crypto.local,
              sessionParams: [],
            }),
          ]),
        }
      : {}),
    ptime: prefs.ptime ?? 20,
    direction,
    ...(rtcpMux ? { rtcpMux: 'rtcp-mux' } : {}),
  };
  session.media = rawMedia.map((r, i) => (i === m.index ? media : rejected(r)));
  return {
    ok: true,
    answerSdp: write(session),
    mediaIndex: m.index,
    codec: codec.name,
    payloadType: format.pt,
    clockRate: codec.clockRate,
    channels: codec.channels,
    telephoneEventPt: te?.pt,
    ptime: m.ptime ?? prefs.ptime ?? 20,
    direction,
    remote: {
      address: m.address,
      port: m.port,
      rtcpPort: rtcpMux ? undefined : (m.rtcpPort ?? m.port + 1),
      rtcpAddress: m.rtcpAddress,
      rtcpMux,
      direction: m.direction,
      legacyHold,
      ptime: m.ptime,
    },
    crypto,
  };
}
