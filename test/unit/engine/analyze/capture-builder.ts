/**
 * Captures built from message templates for the diagnose tests: pcap files with Ethernet (and
 * VLAN), Linux cooked SLL/SLL2 or raw IP frames carrying UDP datagrams, TCP segments and IPv4
 * fragments — what cannot be staged on loopback (a remote peer's private c= address, a TCP gap).
 */
export type Link = 'ethernet' | 'vlan' | 'sll' | 'sll2' | 'raw';

export interface Packet {
  atMs: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Buffer;
  tcp?: { seq: number; flags?: number };
}

const LINKTYPE: Record<Link, number> = { ethernet: 1, vlan: 1, sll: 113, sll2: 276, raw: 101 };
const ip4 = (a: string): Buffer => Buffer.from(a.split('.').map(Number));

function ipv4(src: string, dst: string, proto: number, payload: Buffer, id: number, frag = 0): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(id, 4);
  h.writeUInt16BE(frag, 6);
  h[8] = 64;
  h[9] = proto;
  ip4(src).copy(h, 12);
  ip4(dst).copy(h, 16);
  return Buffer.concat([h, payload]);
}

function transport(p: Packet): { proto: number; bytes: Buffer } {
  if (p.tcp) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(p.sport, 0);
    h.writeUInt16BE(p.dport, 2);
    h.writeUInt32BE(p.tcp.seq >>> 0, 4);
    h[12] = 5 << 4;
    h[13] = p.tcp.flags ?? 0x18;
    return { proto: 6, bytes: Buffer.concat([h, p.payload]) };
  }
  const h = Buffer.alloc(8);
  h.writeUInt16BE(p.sport, 0);
  h.writeUInt16BE(p.dport, 2);
  h.writeUInt16BE(8 + p.payload.length, 4);
  return { proto: 17, bytes: Buffer.concat([h, p.payload]) };
}

function linkHeader(link: Link): Buffer {
  if (link === 'ethernet') return Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]);
  if (link === 'vlan') return Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00]);
  if (link === 'sll') {
    const b = Buffer.alloc(16);
    b.writeUInt16BE(0x0800, 14);
    return b;
  }
  if (link === 'sll2') {
    const b = Buffer.alloc(20);
    b.writeUInt16BE(0x0800, 0);
    return b;
  }
  return Buffer.alloc(0);
}

/** A pcap of the packets; with `fragmentAt`, UDP datagrams longer than it go as IPv4 fragments. */
export function buildPcap(packets: Packet[], o: { link?: Link; fragmentAt?: number } = {}): Buffer {
  const link = o.link ?? 'ethernet';
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(LINKTYPE[link], 20);
  const parts = [gh];
  let id = 1;
  const record = (atMs: number, ip: Buffer): void => {
    const frame = Buffer.concat([linkHeader(link), ip]);
    const h = Buffer.alloc(16);
    const us = Math.round((1_765_000_000_000 + atMs) * 1000);
    h.writeUInt32LE(Math.floor(us / 1e6), 0);
    h.writeUInt32LE(us % 1e6, 4);
    h.writeUInt32LE(frame.length, 8);
    h.writeUInt32LE(frame.length, 12);
    parts.push(h, frame);
  };
  for (const p of packets) {
    const t = transport(p);
    const pid = id++;
    if (o.fragmentAt && !p.tcp && t.bytes.length > o.fragmentAt) {
      const step = Math.floor(o.fragmentAt / 8) * 8;
      for (let off = 0; off < t.bytes.length; off += step) {
        const more = off + step < t.bytes.length;
        record(p.atMs, ipv4(p.src, p.dst, t.proto, t.bytes.subarray(off, off + step), pid, (more ? 0x2000 : 0) | (off / 8)));
      }
    } else record(p.atMs, ipv4(p.src, p.dst, t.proto, t.bytes, pid));
  }
  return Buffer.concat(parts);
}

const CALL = 'a84b4c76e66710@pc33.example.com';

/** The SIP messages of a call, CRLF line ends, with the SDP each side names. */
export function sipCall(o: { callerMedia: string; calleeMedia: string; final?: string; finalHeaders?: string[] }): { invite: string; trying: string; final: string; ack: string; bye: string; byeOk: string } {
  const sdp = (addr: string, port: number): string => ['v=0', `o=- 1 1 IN IP4 ${addr}`, 's=-', `c=IN IP4 ${addr}`, 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', ''].join('\r\n');
  const [ca, cp] = o.callerMedia.split(':');
  const [ea, epo] = o.calleeMedia.split(':');
  const head = (first: string, cseq: string, extra: string[], body = ''): string =>
    [first, 'Via: SIP/2.0/UDP 198.51.100.2:5060;branch=z9hG4bK776asdhds', 'From: <sip:alice@example.com>;tag=1928301774', `To: <sip:+15551234567@trunk.example.net>${first.startsWith('INVITE') ? '' : ';tag=314159'}`, `Call-ID: ${CALL}`, `CSeq: ${cseq}`, ...extra, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  const offer = sdp(ca!, Number(cp));
  const answer = sdp(ea!, Number(epo));
  const final = o.final ?? '200 OK';
  return {
    invite: head('INVITE sip:+15551234567@trunk.example.net SIP/2.0', '1 INVITE', ['Content-Type: application/sdp'], offer),
    trying: head('SIP/2.0 100 Trying', '1 INVITE', []),
    final: final.startsWith('200') ? head(`SIP/2.0 ${final}`, '1 INVITE', ['Content-Type: application/sdp', ...(o.finalHeaders ?? [])], answer) : head(`SIP/2.0 ${final}`, '1 INVITE', o.finalHeaders ?? []),
    ack: head('ACK sip:+15551234567@203.0.113.5 SIP/2.0', '1 ACK', []),
    bye: head('BYE sip:alice@198.51.100.2 SIP/2.0', '2 BYE', []),
    byeOk: head('SIP/2.0 200 OK', '2 BYE', []),
  };
}

export const CALL_ID = CALL;

/** `n` RTP packets of μ-law, 20 ms apart from `startMs`, with payload byte `fill` (0xFF: silence). */
export function rtpPackets(src: string, dst: string, n: number, startMs: number, fill: number | ((i: number) => Buffer), ssrc = 0x1234): Packet[] {
  const [sa, sp] = src.split(':');
  const [da, dp] = dst.split(':');
  return Array.from({ length: n }, (_, i) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = 0;
    h.writeUInt16BE(i, 2);
    h.writeUInt32BE(i * 160, 4);
    h.writeUInt32BE(ssrc, 8);
    const payload = typeof fill === 'number' ? Buffer.alloc(160, fill) : fill(i);
    return { atMs: startMs + i * 20, src: sa!, dst: da!, sport: Number(sp), dport: Number(dp), payload: Buffer.concat([h, payload]) };
  });
}
