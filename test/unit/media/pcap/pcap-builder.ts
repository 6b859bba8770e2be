/**
 * Builds capture files byte by byte for tests: RTP packets, IPv4/IPv6 + UDP, link-layer headers,
 * and pcap / pcapng containers (independent of the readers under test).
 */

export interface RtpSpec {
  seq: number;
  ts: number;
  ssrc?: number;
  pt?: number;
  marker?: boolean;
  payloadLen?: number;
  csrcs?: number[];
  /** Header extension words (32-bit each). */
  extWords?: number;
  /** Padding octets (including the count octet). */
  padding?: number;
}

export function rtp(s: RtpSpec): Uint8Array {
  const cc = s.csrcs?.length ?? 0;
  const ext = s.extWords !== undefined;
  const head = 12 + cc * 4 + (ext ? 4 + 4 * s.extWords! : 0);
  const payloadLen = s.payloadLen ?? 160;
  const pad = s.padding ?? 0;
  const b = new Uint8Array(head + payloadLen + pad);
  const dv = new DataView(b.buffer);
  b[0] = 0x80 | (pad ? 0x20 : 0) | (ext ? 0x10 : 0) | cc;
  b[1] = ((s.marker ? 1 : 0) << 7) | ((s.pt ?? 0) & 0x7f);
  dv.setUint16(2, s.seq & 0xffff);
  dv.setUint32(4, s.ts >>> 0);
  dv.setUint32(8, (s.ssrc ?? 0x1234) >>> 0);
  s.csrcs?.forEach((c, i) => dv.setUint32(12 + i * 4, c));
  if (ext) {
    dv.setUint16(12 + cc * 4, 0xbede);
    dv.setUint16(14 + cc * 4, s.extWords!);
  }
  b.fill(0xff, head, head + payloadLen);
  if (pad) b[b.length - 1] = pad;
  return b;
}

function ipv4Bytes(a: string): number[] {
  return a.split('.').map(Number);
}

function ipv6Bytes(a: string): number[] {
  const [l, r] = a.includes('::') ? a.split('::') : [a, undefined];
  const left = l ? l.split(':').filter(Boolean) : [];
  const right = r ? r.split(':').filter(Boolean) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

export interface UdpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Uint8Array;
  /** IPv4 flags/fragment field (e.g. 0x2000 for "more fragments"). */
  fragment?: number;
}

export function udpIp(u: UdpSpec): Uint8Array {
  const udp = new Uint8Array(8 + u.payload.length);
  const udv = new DataView(udp.buffer);
  udv.setUint16(0, u.sport);
  udv.setUint16(2, u.dport);
  udv.setUint16(4, udp.length);
  udp.set(u.payload, 8);
  if (u.src.includes(':')) {
    const ip = new Uint8Array(40 + udp.length);
    const dv = new DataView(ip.buffer);
    ip[0] = 0x60;
    dv.setUint16(4, udp.length);
    ip[6] = 17;
    ip[7] = 64;
    ip.set(ipv6Bytes(u.src), 8);
    ip.set(ipv6Bytes(u.dst), 24);
    ip.set(udp, 40);
    return ip;
  }
  const ip = new Uint8Array(20 + udp.length);
  const dv = new DataView(ip.buffer);
  ip[0] = 0x45;
  dv.setUint16(2, ip.length);
  dv.setUint16(6, u.fragment ?? 0);
  ip[8] = 64;
  ip[9] = 17;
  ip.set(ipv4Bytes(u.src), 12);
  ip.set(ipv4Bytes(u.dst), 16);
  // IPv4 header checksum (RFC 791), so tshark shows no checksum error.
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  dv.setUint16(10, ~sum & 0xffff);
  ip.set(udp, 20);
  return ip;
}

export function ethernet(ip: Uint8Array, vlans: number[] = []): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const out = new Uint8Array(14 + vlans.length * 4 + ip.length);
  out.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6], 0);
  let at = 12;
  for (const id of vlans) {
    out.set([0x81, 0x00, (id >> 8) & 0x0f, id & 0xff], at);
    at += 4;
  }
  out.set(v6 ? [0x86, 0xdd] : [0x08, 0x00], at);
  out.set(ip, at + 2);
  return out;
}

/** DLT_NULL: AF_INET (2) / AF_INET6 (Linux 10 would be wrong for BSD: use 30) in little endian. */
export function nullLoopback(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + ip.length);
  out[0] = ip[0]! >> 4 === 6 ? 30 : 2;
  out.set(ip, 4);
  return out;
}

export function sll(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + ip.length);
  out.set([0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0], 0);
  out.set(ip[0]! >> 4 === 6 ? [0x86, 0xdd] : [0x08, 0x00], 14);
  out.set(ip, 16);
  return out;
}

export function sll2(ip: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + ip.length);
  out.set(ip[0]! >> 4 === 6 ? [0x86, 0xdd] : [0x08, 0x00], 0);
  out.set([0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0], 2);
  out.set(ip, 20);
  return out;
}

export interface FrameSpec {
  /** Seconds since the epoch (fractional). */
  t: number;
  data: Uint8Array;
}

export function pcapFile(
  frames: FrameSpec[],
  o: { linkType?: number; nanos?: boolean; bigEndian?: boolean } = {},
): Uint8Array {
  const le = !o.bigEndian;
  const total = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, o.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, 65535, le);
  dv.setUint32(20, o.linkType ?? 1, le);
  let at = 24;
  for (const f of frames) {
    const sec = Math.floor(f.t);
    const frac = Math.round((f.t - sec) * (o.nanos ? 1e9 : 1e6));
    dv.setUint32(at, sec, le);
    dv.setUint32(at + 4, frac, le);
    dv.setUint32(at + 8, f.data.length, le);
    dv.setUint32(at + 12, f.data.length, le);
    b.set(f.data, at + 16);
    at += 16 + f.data.length;
  }
  return b;
}

export interface NgInterface {
  linkType: number;
  /** if_tsresol option byte; default none (microseconds). */
  tsresol?: number;
}

export type NgBlock =
  | { kind: 'epb'; iface: number; units: bigint; data: Uint8Array }
  | { kind: 'spb'; data: Uint8Array }
  | { kind: 'raw'; type: number; body: Uint8Array };

function block(type: number, body: Uint8Array, le: boolean): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, len, le);
  b.set(body, 8);
  dv.setUint32(len - 4, len, le);
  return b;
}

export function pcapngSection(
  ifaces: NgInterface[],
  blocks: NgBlock[],
  o: { bigEndian?: boolean } = {},
): Uint8Array {
  const le = !o.bigEndian;
  const parts: Uint8Array[] = [];
  const shb = new Uint8Array(16);
  const sdv = new DataView(shb.buffer);
  sdv.setUint32(0, 0x1a2b3c4d, le);
  sdv.setUint16(4, 1, le);
  sdv.setBigInt64(8, -1n, le);
  parts.push(block(0x0a0d0d0a, shb, le));
  for (const i of ifaces) {
    const opts = i.tsresol !== undefined ? 12 : 0;
    const body = new Uint8Array(8 + opts);
    const dv = new DataView(body.buffer);
    dv.setUint16(0, i.linkType, le);
    dv.setUint32(4, 0, le);
    if (opts) {
      dv.setUint16(8, 9, le);
      dv.setUint16(10, 1, le);
      body[12] = i.tsresol!;
      // opt_endofopt follows (zeros).
    }
    parts.push(block(1, body, le));
  }
  for (const bl of blocks) {
    if (bl.kind === 'epb') {
      const body = new Uint8Array(20 + bl.data.length);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, bl.iface, le);
      dv.setUint32(4, Number(bl.units >> 32n), le);
      dv.setUint32(8, Number(bl.units & 0xffffffffn), le);
      dv.setUint32(12, bl.data.length, le);
      dv.setUint32(16, bl.data.length, le);
      body.set(bl.data, 20);
      parts.push(block(6, body, le));
    } else if (bl.kind === 'spb') {
      const body = new Uint8Array(4 + bl.data.length);
      new DataView(body.buffer).setUint32(0, bl.data.length, le);
      body.set(bl.data, 4);
      parts.push(block(3, body, le));
    } else {
      parts.push(block(bl.type, bl.body, le));
    }
  }
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A SIP INVITE/200 carrying SDP that announces `address:port` with the given formats. */
export function sipWithSdp(
  first: string,
  address: string,
  port: number,
  formats: Array<[number, string, number]>,
): Uint8Array {
  const sdp = [
    'v=0',
    `o=- 1 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats.map((f) => f[0]).join(' ')}`,
    ...formats.map(([pt, name, rate]) => `a=rtpmap:${pt} ${name}/${rate}`),
    '',
  ].join('\r\n');
  const head = [
    first,
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1',
    'Call-ID: test@127.0.0.1',
    'CSeq: 1 INVITE',
    'Content-Type: application/sdp',
    `Content-Length: ${sdp.length}`,
    '',
    '',
  ].join('\r\n');
  return new TextEncoder().encode(head + sdp);
}
