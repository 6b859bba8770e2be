/**
 * Classic pcap (libpcap 2.4, microsecond timestamps) with LINKTYPE_RAW (101): each record is an
 * IPv4 or IPv6 packet we synthesize around a UDP datagram, so Wireshark and tshark decode SIP and
 * RTP without any capture having run. SIP that travelled over TCP or TLS is written as UDP
 * datagrams (one message each, same ports): the ladder is what matters, and TLS plaintext could
 * not be shown as TLS anyway.
 */

const LINKTYPE_RAW = 101;

export interface PcapRecord {
  /** Wall clock, ms since epoch (fractional). */
  at: number;
  src: { address: string; port: number };
  dst: { address: string; port: number };
  payload: Buffer;
}

export function pcapFile(records: readonly PcapRecord[]): Buffer {
  const parts: Buffer[] = [globalHeader()];
  for (const r of records) parts.push(packetRecord(r));
  return Buffer.concat(parts);
}

function globalHeader(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // thiszone
  b.writeUInt32LE(0, 12); // sigfigs
  b.writeUInt32LE(262_144, 16); // snaplen
  b.writeUInt32LE(LINKTYPE_RAW, 20);
  return b;
}

function packetRecord(r: PcapRecord): Buffer {
  const v6 = r.src.address.includes(':') || r.dst.address.includes(':');
  const udp = udpDatagram(r, v6);
  const ip = v6 ? ipv6Header(r, udp.length) : ipv4Header(r, udp.length);
  const len = ip.length + udp.length;
  const h = Buffer.alloc(16);
  const usTotal = Math.max(0, Math.round(r.at * 1000));
  h.writeUInt32LE(Math.floor(usTotal / 1e6) >>> 0, 0);
  h.writeUInt32LE(usTotal % 1e6, 4);
  h.writeUInt32LE(len, 8);
  h.writeUInt32LE(len, 12);
  return Buffer.concat([h, ip, udp]);
}

let ipId = 1;

function ipv4Header(r: PcapRecord, udpLen: number): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 0x45;
  b.writeUInt16BE(20 + udpLen, 2);
  b.writeUInt16BE(ipId++ & 0xffff, 4);
  b.writeUInt16BE(0x4000, 6); // DF
  b[8] = 64;
  b[9] = 17;
  ipv4Bytes(r.src.address).copy(b, 12);
  ipv4Bytes(r.dst.address).copy(b, 16);
  b.writeUInt16BE(checksum(b), 10);
  return b;
}

function ipv6Header(r: PcapRecord, udpLen: number): Buffer {
  const b = Buffer.alloc(40);
  b.writeUInt32BE(0x60000000, 0);
  b.writeUInt16BE(udpLen, 4);
  b[6] = 17;
  b[7] = 64;
  ipv6Bytes(r.src.address).copy(b, 8);
  ipv6Bytes(r.dst.address).copy(b, 24);
  return b;
}

function udpDatagram(r: PcapRecord, v6: boolean): Buffer {
  const b = Buffer.alloc(8 + r.payload.length);
  b.writeUInt16BE(r.src.port & 0xffff, 0);
  b.writeUInt16BE(r.dst.port & 0xffff, 2);
  b.writeUInt16BE(b.length & 0xffff, 4);
  r.payload.copy(b, 8);
  // RFC 768 / RFC 8200 §8.1: checksum over the pseudo-header (mandatory for IPv6).
  const src = v6 ? ipv6Bytes(r.src.address) : ipv4Bytes(r.src.address);
  const dst = v6 ? ipv6Bytes(r.dst.address) : ipv4Bytes(r.dst.address);
  const pseudo = Buffer.alloc(v6 ? 40 : 12);
  src.copy(pseudo, 0);
  dst.copy(pseudo, src.length);
  if (v6) {
    pseudo.writeUInt32BE(b.length, 32);
    pseudo[39] = 17;
  } else {
    pseudo[9] = 17;
    pseudo.writeUInt16BE(b.length & 0xffff, 10);
  }
  const sum = checksum(Buffer.concat([pseudo, b])) || 0xffff;
  b.writeUInt16BE(sum, 6);
  return b;
}

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ipv4Bytes(a: string): Buffer {
  const parts = a.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return Buffer.alloc(4);
  return Buffer.from(parts);
}

export function ipv6Bytes(a: string): Buffer {
  const out = Buffer.alloc(16);
  let s = a.replace(/^\[|\]$/g, '').split('%')[0]!;
  if (!s.includes(':')) {
    // An IPv4 peer in an IPv6 packet: IPv4-mapped (RFC 4291 §2.5.5.2).
    s = `::ffff:${s}`;
  }
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    const b = ipv4Bytes(v4[1]!);
    tail = [b.readUInt16BE(0), b.readUInt16BE(2)];
    s = s.slice(0, v4.index);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [l, r] = s.includes('::') ? s.split('::') : [s, undefined];
  const left = l
    ? l
        .split(':')
        .filter(Boolean)
        .map((h) => parseInt(h, 16))
    : [];
  const right =
    r !== undefined && r
      ? r
          .split(':')
          .filter(Boolean)
          .map((h) => parseInt(h, 16))
      : [];
  const fill = 8 - left.length - right.length - tail.length;
  const groups = [
    ...left,
    ...(r !== undefined ? new Array<number>(Math.max(0, fill)).fill(0) : []),
    ...right,
    ...tail,
  ];
  groups.slice(0, 8).forEach((g, i) => out.writeUInt16BE((g || 0) & 0xffff, i * 2));
  return out;
}

/** "1.2.3.4:5060" or "[::1]:5060" → address and port. */
export function splitHostPort(text: string): { address: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m ? { address: m[1]!, port: Number(m[2]) } : { address: '0.0.0.0', port: 0 };
}
