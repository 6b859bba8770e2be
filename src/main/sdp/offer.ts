/**
 * Build an SDP offer for one audio stream (RFC 3264 §5, RFC 4566), written by sdp-transform.
 *
 *   m=audio <port> RTP/AVP 0 8 9 111 18 101      (RTP/SAVP when crypto lines are given)
 *   a=rtpmap:… a=fmtp:…  a=crypto:…  a=ptime:20  a=sendrecv  a=rtcp-mux
 */
import { randomInt } from 'node:crypto';
import { write, type SdpFmtp, type SdpRtpMap, type SdpSession } from 'sdp-transform';
import {
  CODECS,
  findCodec,
  TELEPHONE_EVENT,
  TELEPHONE_EVENT_FMTP,
  TELEPHONE_EVENT_PT,
} from './codecs.ts';
import type { SdpDirection } from './direction.ts';
import { parseCryptoLine } from './crypto-line.ts';

export interface OfferOptions {
  /** Our media address (also used in o=). IPv6 if it contains ':'. */
  address: string;
  port: number;
  /** Codec names in preference order, e.g. ['PCMU', 'PCMA', 'G722', 'opus', 'G729']. */
  codecs: string[];
  telephoneEvent: boolean;
  ptime?: number;
  direction?: SdpDirection;
  /** a=crypto values (`<tag> <suite> inline:…`); makes the profile RTP/SAVP. */
  srtp?: string[];
  /**
   * With crypto lines: 'RTP/SAVP' (SRTP required, default) or 'RTP/AVP' (best-effort SRTP: the
   * answerer may accept the crypto or answer plain RTP, as Asterisk and FreeSWITCH offer it).
   */
  srtpProfile?: 'RTP/SAVP' | 'RTP/AVP';
  rtcpMux?: boolean;
  /** RFC 4566 §5.2: increases with every new offer/answer of the session. */
  sessionVersion: number;
  sessionId?: number | string;
  username?: string;
  sessionName?: string;
}

export interface BuiltMedia {
  payloads: number[];
  rtp: SdpRtpMap[];
  fmtp: SdpFmtp[];
}

/** rtpmap/fmtp lines for a list of codec names; throws naming an unknown codec. */
export function mediaFormats(codecs: string[], telephoneEvent: boolean): BuiltMedia {
  if (codecs.length === 0) throw new RangeError('codecs: at least one codec is needed');
  const out: BuiltMedia = { payloads: [], rtp: [], fmtp: [] };
  const clocks = new Set<number>();
  for (const name of codecs) {
    const c = findCodec(name);
    if (!c)
      throw new RangeError(
        `codecs: unknown codec "${name}" (known: ${Object.keys(CODECS).join(', ')})`,
      );
    const pt = c.staticPt ?? c.dynamicPt!;
    if (out.payloads.includes(pt)) continue;
    out.payloads.push(pt);
    out.rtp.push({
      payload: pt,
      codec: c.name,
      rate: c.clockRate,
      ...(c.channels > 1 ? { encoding: c.channels } : {}),
    });
    if (c.fmtp) out.fmtp.push({ payload: pt, config: c.fmtp });
    clocks.add(c.clockRate);
  }
  if (telephoneEvent) {
    // RFC 4733 §7.1.1: one telephone-event per audio clock rate in use.
    for (const rate of [...clocks].sort((a, b) => a - b)) {
      const pt = TELEPHONE_EVENT_PT[rate];
      if (pt === undefined) continue;
      out.payloads.push(pt);
      out.rtp.push({ payload: pt, codec: TELEPHONE_EVENT, rate });
      out.fmtp.push({ payload: pt, config: TELEPHONE_EVENT_FMTP });
    }
  }
  return out;
}

export function sessionSkeleton(o: {
  address: string;
  sessionVersion: number;
  sessionId?: number | string;
  username?: string;
  sessionName?: string;
}): SdpSession {
  const ipVer = o.address.includes(':') ? 6 : 4;
  return {
    version: 0,
    origin: {
      username: o.username ?? 'trunkscope',
      sessionId: o.sessionId ?? Math.floor(Date.now() / 1000),
      sessionVersion: o.sessionVersion,
      netType: 'IN',
      ipVer,
      address: o.address,
    },
    name: o.sessionName ?? 'trunkscope',
    connection: { version: ipVer, ip: o.address },
    timing: { start: 0, stop: 0 },
    media: [],
  };
}

export function cryptoAttributes(
  values: string[],
): NonNullable<SdpSession['media'][number]['crypto']> {
  return values.map((v) => {
    const c = parseCryptoLine(v);
    if (!c) throw new RangeError(`srtp: "${v}" is not "<tag> <suite> inline:<key>"`);
    return {
      id: c.tag,
      suite: c.suite,
      config: c.keyParams,
      ...(c.sessionParams.length ? { sessionConfig: c.sessionParams.join(' ') } : {}),
    };
  });
}

/**
 * A session id for one call's SDP (RFC 4566 §5.2: numeric, unique per session). Keep it for the
 * whole call: later offers and answers change only the version (RFC 3264 §8).
 */
export function newSdpSessionId(): number {
  return randomInt(1, 2 ** 47);
}

export function buildOffer(opts: OfferOptions): string {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    throw new RangeError(`port: ${opts.port}`);
  const f = mediaFormats(opts.codecs, opts.telephoneEvent);
  const session = sessionSkeleton(opts);
  const srtp = opts.srtp ?? [];
  session.media.push({
    type: 'audio',
    port: opts.port,
    protocol: srtp.length ? (opts.srtpProfile ?? 'RTP/SAVP') : 'RTP/AVP',
    payloads: f.payloads.join(' '),
    rtp: f.rtp,
    fmtp: f.fmtp,
    ...(srtp.length ? { crypto: cryptoAttributes(srtp) } : {}),
    ptime: opts.ptime ?? 20,
    direction: opts.direction ?? 'sendrecv',
    ...(opts.rtcpMux ? { rtcpMux: 'rtcp-mux' } : {}),
  });
  return write(session);
}
