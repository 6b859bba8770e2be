/**
 * Parse and validate an SDP body (RFC 4566) into the model offer/answer needs. sdp-transform
 * does the field parsing; it silently skips lines it does not understand, so the structural
 * checks (v= first, type=value lines, o=, m= and c= present and well formed) are done here.
 */
import { parse, type SdpMedia, type SdpSession } from 'sdp-transform';
import { isDirection, type SdpDirection } from './direction.ts';
import { STATIC_PAYLOAD_TYPES, type SdpFormat } from './codecs.ts';
import { malformed, type SdpFailure } from './sdp-error.ts';
import { checkMediaRanges } from './sdp-ranges.ts';

export interface SdpMediaInfo {
  index: number;
  type: string;
  /** 0 = stream rejected or disabled (RFC 3264 §5.1, §6). */
  port: number;
  protocol: string;
  /** In m= line order (the author's preference, RFC 3264 §5.1). */
  formats: SdpFormat[];
  /** Connection address (media-level c= wins over session-level, RFC 4566 §5.7). */
  address: string;
  ipVersion: 4 | 6;
  /** Media-level direction, else session-level, else sendrecv (RFC 3264 §5.1). */
  direction: SdpDirection;
  ptime?: number;
  maxptime?: number;
  /** RFC 3605 a=rtcp port and optional address. */
  rtcpPort?: number;
  rtcpAddress?: string;
  /** RFC 5761 a=rtcp-mux. */
  rtcpMux: boolean;
  /** a=crypto values (RFC 4568), verbatim, without the `a=crypto:` prefix. */
  crypto: string[];
}

export interface ParsedSdp {
  origin: { username: string; sessionId: string; sessionVersion: number; address: string };
  sessionName: string;
  media: SdpMediaInfo[];
  raw: SdpSession;
}

/** Raw `a=crypto:` values per m= section (sdp-transform keeps only one session parameter). */
function cryptoLines(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const l of lines) {
    if (l.startsWith('m=')) out.push([]);
    else if (l.toLowerCase().startsWith('a=crypto:') && out.length > 0)
      out[out.length - 1]!.push(l.slice(9).trim());
  }
  return out;
}

function num(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function formatsOf(m: SdpMedia, index: number): SdpFormat[] | string {
  const list = String(m.payloads ?? '').trim();
  if (list === '') return `m=${m.type} line ${index + 1} lists no formats`;
  const out: SdpFormat[] = [];
  for (const tok of list.split(/\s+/)) {
    if (!/^\d{1,3}$/.test(tok) || Number(tok) > 127) {
      if (m.protocol?.toUpperCase().includes('RTP')) return `payload type "${tok}" is not 0-127`;
      continue; // non-RTP formats (e.g. image/t38 "t38") are kept out of the model
    }
    const pt = Number(tok);
    const map = m.rtp.find((r) => r.payload === pt);
    const fmtp = m.fmtp.find((f) => f.payload === pt)?.config;
    const f: SdpFormat = { pt };
    if (map) {
      f.name = map.codec;
      f.clockRate = map.rate;
      f.channels = map.encoding !== undefined ? Number(map.encoding) : 1;
    } else if (STATIC_PAYLOAD_TYPES[pt]) {
      Object.assign(f, STATIC_PAYLOAD_TYPES[pt]);
    }
    if (fmtp !== undefined) f.fmtp = String(fmtp);
    out.push(f);
  }
  return out;
}

export function parseSdp(text: string): { ok: true; sdp: ParsedSdp } | SdpFailure {
  if (typeof text !== 'string' || text.trim() === '') return malformed('empty body');
  // trimEnd, not /\s+$/: that expression is quadratic on a long run of blanks (issue 15).
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (!/^v=0$/.test(lines[0] ?? ''))
    return malformed(`first line must be "v=0", got "${(lines[0] ?? '').slice(0, 40)}"`);
  for (const [i, l] of lines.entries()) {
    if (!/^[a-z]=/.test(l))
      return malformed(`line ${i + 1} is not <type>=<value>: "${l.slice(0, 60)}"`);
  }
  const raw = parse(lines.join('\r\n') + '\r\n');
  const o = raw.origin;
  if (!o) return malformed('missing or invalid o= line');
  if (!lines.some((l) => l.startsWith('m='))) return malformed('no m= line');
  const crypto = cryptoLines(lines);
  const media: SdpMediaInfo[] = [];
  for (const [index, m] of raw.media.entries()) {
    if (m.type === undefined || m.port === undefined || m.protocol === undefined) {
      const line = lines.filter((l) => l.startsWith('m='))[index] ?? '';
      return malformed(`bad m= line "${line.slice(0, 60)}"`);
    }
    if (m.port > 65535) return malformed(`m= port ${m.port} is out of range`);
    const formats = formatsOf(m, index);
    if (typeof formats === 'string') return malformed(formats);
    const bad = checkMediaRanges(m, formats, lines);
    if (bad) return bad;
    const conn = m.connection ?? raw.connection;
    if (!conn && m.port !== 0)
      return malformed(`no c= line for m=${m.type} (session or media level, RFC 4566 §5.7)`);
    const direction = m.direction ?? raw.direction ?? 'sendrecv';
    if (!isDirection(direction)) return malformed(`bad direction ${String(direction)}`);
    media.push({
      index,
      type: m.type,
      port: m.port,
      protocol: m.protocol,
      formats,
      address: conn?.ip ?? '0.0.0.0',
      ipVersion: conn?.version === 6 ? 6 : 4,
      direction,
      ptime: num(m.ptime),
      maxptime: num(m.maxptime),
      rtcpPort: m.rtcp?.port,
      rtcpAddress: m.rtcp?.address,
      rtcpMux: m.rtcpMux === 'rtcp-mux',
      crypto: crypto[index] ?? [],
    });
  }
  return {
    ok: true,
    sdp: {
      origin: {
        username: String(o.username),
        sessionId: String(o.sessionId),
        sessionVersion: Number(o.sessionVersion),
        address: o.address,
      },
      sessionName: String(raw.name ?? ''),
      media,
      raw,
    },
  };
}
