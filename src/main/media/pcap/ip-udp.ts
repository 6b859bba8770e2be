/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) down to UDP (RFC 768). Fragments are not reassembled: they
 * are reported so the caller can count them (RTP is rarely fragmented; SIP over UDP sometimes is).
 */

export interface UdpDatagram {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** UDP payload as captured (may be shorter than `payloadLength` when the snap length cut it). */
  payload: Uint8Array;
  /** UDP payload length from the UDP header. */
  payloadLength: number;
}

export type IpResult =
  | { ok: true; udp: UdpDatagram }
  | { ok: false; reason: 'not-udp' | 'fragment' | 'truncated' | 'bad-ip'; detail: string };

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

export function ipv6Text(d: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(u16(d, at + i).toString(16));
  // RFC 5952 §4.2.2: compress the longest run of two or more zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function udpOf(version: 4 | 6, src: string, dst: string, d: Uint8Array): IpResult {
  if (d.length < 8) return { ok: false, reason: 'truncated', detail: 'UDP header' };
  const len = u16(d, 4);
  const payloadLength = len >= 8 ? len - 8 : d.length - 8;
  const payload = d.subarray(8, 8 + Math.min(payloadLength, d.length - 8));
  return {
    ok: true,
    udp: {
      ipVersion: version,
      src,
      dst,
      srcPort: u16(d, 0),
      dstPort: u16(d, 2),
      payload,
      payloadLength,
    },
  };
}

// IPv6 extension headers that can precede UDP (RFC 8200 §4).
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DEST_OPTS = 60;
const UDP = 17;

export function udpOfIp(ip: Uint8Array): IpResult {
  if (ip.length < 1) return { ok: false, reason: 'truncated', detail: 'IP header' };
  const version = ip[0]! >> 4;
  if (version === 4) {
    const ihl = (ip[0]! & 0x0f) * 4;
    if (ihl < 20 || ip.length < ihl)
      return {
        ok: false,
        reason: ip.length < 20 ? 'truncated' : 'bad-ip',
        detail: `IPv4 header length ${ihl}`,
      };
    const total = u16(ip, 2);
    // Ethernet pads short frames: trust the IP total length (when it fits).
    const packet = total >= ihl && total <= ip.length ? ip.subarray(0, total) : ip;
    const flagsFrag = u16(ip, 6);
    const src = `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
    const dst = `${ip[16]}.${ip[17]}.${ip[18]}.${ip[19]}`;
    if (flagsFrag & 0x3fff)
      return {
        ok: false,
        reason: 'fragment',
        detail: `IPv4 fragment ${src} → ${dst} (offset ${(flagsFrag & 0x1fff) * 8})`,
      };
    if (ip[9] !== UDP) return { ok: false, reason: 'not-udp', detail: `IP protocol ${ip[9]}` };
    return udpOf(4, src, dst, packet.subarray(ihl));
  }
  if (version === 6) {
    if (ip.length < 40) return { ok: false, reason: 'truncated', detail: 'IPv6 header' };
    const payloadLen = u16(ip, 4);
    const end = Math.min(ip.length, 40 + payloadLen);
    const src = ipv6Text(ip, 8);
    const dst = ipv6Text(ip, 24);
    let next = ip[6]!;
    let at = 40;
    while (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS || next === FRAGMENT) {
      if (end < at + 8) return { ok: false, reason: 'truncated', detail: 'IPv6 extension header' };
      if (next === FRAGMENT) {
        const offM = u16(ip, at + 2);
        // An atomic fragment (offset 0, M = 0; RFC 6946) is a whole packet.
        if (offM & 0xfff9)
          return { ok: false, reason: 'fragment', detail: `IPv6 fragment ${src} → ${dst}` };
        next = ip[at]!;
        at += 8;
      } else {
        const n = ip[at]!;
        at += (ip[at + 1]! + 1) * 8;
        next = n;
      }
    }
    if (next !== UDP) return { ok: false, reason: 'not-udp', detail: `IPv6 next header ${next}` };
    return udpOf(6, src, dst, ip.subarray(at, end));
  }
  return { ok: false, reason: 'bad-ip', detail: `IP version ${version}` };
}
