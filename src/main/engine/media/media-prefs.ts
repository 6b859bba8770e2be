/**
 * What a call's media should be: codecs, DTMF method, SRTP policy, RTP ports, audio source and
 * recording. Validated once, before a call starts (DESIGN.md: bad input gets a clear answer).
 */
import { findCodec } from '../../sdp/codecs.ts';
import type { DtmfMethod } from '../../../shared/model/report.ts';

export type SrtpPolicy = 'off' | 'offer' | 'require';

export type SourceSpec =
  | { kind: 'echo' }
  | { kind: 'silence' }
  | { kind: 'tone'; hz: number; levelDbm0?: number }
  | { kind: 'wav'; path: string; loop?: boolean }
  | { kind: 'probe' };

export interface MediaPrefs {
  /** Codec names in our preference order. */
  codecs: string[];
  dtmf: DtmfMethod;
  srtp: SrtpPolicy;
  symmetric: boolean;
  portRange: { min: number; max: number };
  /** Address RTP sockets bind to. */
  bindAddress: string;
  /** Address written in SDP c= (never 0.0.0.0). */
  sdpAddress: string;
  ptime: number;
  rtcpMux: boolean;
  source: SourceSpec;
  /** Stereo WAV path (left = sent, right = received). */
  record?: string;
}

export const DEFAULT_CODECS = ['PCMU', 'PCMA'];

export class MediaPrefsError extends Error {
  override name = 'MediaPrefsError';
}

/** `PCMA,PCMU` → ['PCMA','PCMU'] (canonical spelling); unknown names are an error naming them. */
export function parseCodecList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new MediaPrefsError('--codec: empty codec list');
  const out: string[] = [];
  for (const n of names) {
    const c = findCodec(n);
    if (!c) throw new MediaPrefsError(`--codec: unknown codec "${n}" (use PCMU, PCMA, G722, opus, G729)`);
    if (!out.includes(c.name)) out.push(c.name);
  }
  return out;
}

export function parseDtmfMethod(text: string): DtmfMethod {
  const t = text.toLowerCase();
  if (t === 'rfc2833' || t === 'rfc4733') return 'rfc2833';
  if (t === 'info' || t === 'inband') return t;
  throw new MediaPrefsError(`--dtmf: expected rfc2833, info or inband; got "${text}"`);
}

export function parseSrtpPolicy(text: string): SrtpPolicy {
  if (text === 'off' || text === 'offer' || text === 'require') return text;
  throw new MediaPrefsError(`--srtp: expected off, offer or require; got "${text}"`);
}

/** `10000-20000` → an even-aligned range with room for RTP+RTCP pairs. */
export function parsePortRange(text: string): { min: number; max: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1024 || max > 65535 || max - min < 1) {
    throw new MediaPrefsError(`--rtp-ports: expected A-B with 1024 <= A < B <= 65535; got "${text}"`);
  }
  return { min, max };
}

/** DTMF digits to send: 0-9 * # A-D, case-insensitive; ',' is a 500 ms pause. */
export function parseDigits(text: string): string {
  const d = text.toUpperCase();
  if (!/^[0-9*#A-D,]+$/.test(d)) throw new MediaPrefsError(`--send-dtmf: "${text}" has characters other than 0-9 * # A-D ,`);
  return d;
}
