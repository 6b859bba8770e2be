/**
 * A capture's frames as transport segments: UDP datagrams and TCP segments over IPv4 or IPv6,
 * with IP fragments reassembled (RFC 791 §3.2 "reassembly", RFC 8200 §4.5) — what `diagnose` needs
 * to read SIP, which is often fragmented over UDP and split across segments over TCP. Bad input
 * is counted and skipped, never thrown.
 */
import { ipPacketOf } from './link-layer.ts';
import { ipv6Text } from './ip-udp.ts';
import type { CaptureFile } from './types.ts';
import { relativeMs } from './capture.ts';

export interface Segment {
  frame: number;
  /** ms since the first frame; epoch ms of the frame (null: no timestamp). */
  timeMs: number;
  epochMs: number | null;
  proto: 'udp' | 'tcp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** TCP only: sequence number and flags (SYN 0x02, FIN 0x01, RST 0x04). */
  seq?: number;
  flags?: number;
}

export interface SegmentSummary {
  frames: number;
  segments: number;
  /** Fragments seen, and packets rebuilt from them. */
  fragments: number;
  reassembled: number;
  skipped: Record<string, number>;
}

const UDP = 17;
const TCP = 6;
const u16 = (d: Uint8Array, o: number): number => (d[o]! << 8) | d[o + 1]!;
const u32 = (d: Uint8Array, o: number): number => ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;

interface Pending {
  parts: Array<{ offset: number; data: Uint8Array }>;
  totalLength: number | undefined;
  proto: number;
  src: string;
  dst: string;
  version: 4 | 6;
}

/** At most this many incomplete fragment sets kept at once (oldest dropped). */
const MAX_PENDING = 1024;

export function transportSegments(cap: CaptureFile): { segments: Segment[]; summary: SegmentSummary } {
  const summary: SegmentSummary = { frames: cap.frames.length, segments: 0, fragments: 0, reassembled: 0, skipped: {} };
  const skip = (why: string): void => {
    summary.skipped[why] = (summary.skipped[why] ?? 0) + 1;
  };
  const first = cap.frames.find((f) => f.timeNs !== null)?.timeNs ?? 0n;
  const pending = new Map<string, Pending>();
  const segments: Segment[] = [];
  for (const f of cap.frames) {
    if (f.data.length === 0) {
      skip('zero-length frame');
      continue;
    }
    const link = ipPacketOf(f.linkType, f.data);
    if (!link.ok) {
      skip(link.reason === 'unsupported-link' ? `unsupported ${link.detail}` : link.reason === 'truncated' ? 'truncated link header' : 'not IP');
      continue;
    }
    const ip = ipHeader(link.ip);
    if (!ip.ok) {
      skip(ip.why);
      continue;
    }
    let { payload, proto } = ip;
    if (ip.fragment) {
      summary.fragments++;
      const key = `${ip.src}>${ip.dst}#${ip.fragment.id}/${proto}`;
      let p = pending.get(key);
      if (!p) {
        if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
        pending.set(key, (p = { parts: [], totalLength: undefined, proto, src: ip.src, dst: ip.dst, version: ip.version }));
      }
      p.parts.push({ offset: ip.fragment.offset, data: payload });
      if (!ip.fragment.more) p.totalLength = ip.fragment.offset + payload.length;
      const whole = complete(p);
      if (!whole) continue;
      pending.delete(key);
      summary.reassembled++;
      payload = whole;
      proto = p.proto;
    }
    const timeMs = relativeMs(f.timeNs ?? first, first);
    const epochMs = f.timeNs !== null ? Number(f.timeNs / 1_000_000n) : null;
    const base = { frame: f.number, timeMs, epochMs, src: ip.src, dst: ip.dst };
    if (proto === UDP) {
      if (payload.length < 8) {
        skip('truncated UDP header');
        continue;
      }
      const len = u16(payload, 4);
      const end = len >= 8 ? Math.min(payload.length, len) : payload.length;
      segments.push({ ...base, proto: 'udp', srcPort: u16(payload, 0), dstPort: u16(payload, 2), payload: payload.subarray(8, end) });
    } else if (proto === TCP) {
      if (payload.length < 20) {
        skip('truncated TCP header');
        continue;
      }
      const off = (payload[12]! >> 4) * 4;
      if (off < 20 || off > payload.length) {
        skip('bad TCP header');
        continue;
      }
      segments.push({ ...base, proto: 'tcp', srcPort: u16(payload, 0), dstPort: u16(payload, 2), seq: u32(payload, 4), flags: payload[13]!, payload: payload.subarray(off) });
    } else {
      skip('not UDP or TCP');
      continue;
    }
    summary.segments++;
  }
  if (pending.size > 0) summary.skipped['incomplete IP fragments'] = pending.size;
  return { segments, summary };
}

/** The payload rebuilt from its fragments once every byte from 0 to the end is there. */
function complete(p: Pending): Uint8Array | undefined {
  if (p.totalLength === undefined) return undefined;
  const parts = [...p.parts].sort((a, b) => a.offset - b.offset);
  let have = 0;
  for (const x of parts) {
    if (x.offset > have) return undefined;
    have = Math.max(have, x.offset + x.data.length);
  }
  if (have < p.totalLength) return undefined;
  const out = new Uint8Array(p.totalLength);
  for (const x of parts) out.set(x.data.subarray(0, Math.max(0, Math.min(x.data.length, p.totalLength - x.offset))), x.offset);
  return out;
}

type IpHeader =
  | { ok: true; version: 4 | 6; src: string; dst: string; proto: number; payload: Uint8Array; fragment?: { id: number; offset: number; more: boolean } }
  | { ok: false; why: string };

// IPv6 extension headers before the upper layer (RFC 8200 §4).
const EXTENSIONS = new Set([0, 43, 60]);
const FRAGMENT6 = 44;

function ipHeader(ip: Uint8Array): IpHeader {
  if (ip.length < 1) return { ok: false, why: 'truncated IP header' };
  const version = ip[0]! >> 4;
  if (version === 4) {
    const ihl = (ip[0]! & 0x0f) * 4;
    if (ip.length < 20) return { ok: false, why: 'truncated IP header' };
    if (ihl < 20 || ip.length < ihl) return { ok: false, why: 'bad IP header' };
    const total = u16(ip, 2);
    const packet = total >= ihl && total <= ip.length ? ip.subarray(0, total) : ip;
    const ff = u16(ip, 6);
    const src = `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
    const dst = `${ip[16]}.${ip[17]}.${ip[18]}.${ip[19]}`;
    const fragment = ff & 0x3fff ? { id: u16(ip, 4), offset: (ff & 0x1fff) * 8, more: (ff & 0x2000) !== 0 } : undefined;
    return { ok: true, version: 4, src, dst, proto: ip[9]!, payload: packet.subarray(ihl), ...(fragment ? { fragment } : {}) };
  }
  if (version === 6) {
    if (ip.length < 40) return { ok: false, why: 'truncated IP header' };
    const end = Math.min(ip.length, 40 + u16(ip, 4));
    const src = ipv6Text(ip, 8);
    const dst = ipv6Text(ip, 24);
    let next = ip[6]!;
    let at = 40;
    let fragment: { id: number; offset: number; more: boolean } | undefined;
    while (EXTENSIONS.has(next) || next === FRAGMENT6) {
      if (end < at + 8) return { ok: false, why: 'truncated IPv6 extension header' };
      if (next === FRAGMENT6) {
        const offM = u16(ip, at + 2);
        if (offM & 0xfff9) fragment = { id: u32(ip, at + 4), offset: offM & 0xfff8, more: (offM & 1) === 1 };
        next = ip[at]!;
        at += 8;
        // The fragmentable part follows: only the first fragment holds the upper-layer header.
        if (fragment) break;
      } else {
        const n = ip[at]!;
        at += (ip[at + 1]! + 1) * 8;
        next = n;
      }
    }
    return { ok: true, version: 6, src, dst, proto: next, payload: ip.subarray(at, end), ...(fragment ? { fragment } : {}) };
  }
  return { ok: false, why: 'not IP' };
}
