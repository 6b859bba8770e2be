import { describe, expect, it } from 'vitest';
import {
  ipv6Bytes,
  pcapFile,
  splitHostPort,
} from '../../../src/main/engine/trace/pcap-writer.ts';

function sum16(buf: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) s += buf.readUInt16BE(i);
  if (buf.length % 2) s += buf[buf.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

describe('pcap writer', () => {
  it('writes a classic pcap with LINKTYPE_RAW and IPv4/UDP around each payload', () => {
    const payload = Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n');
    const at = 1_700_000_000_123.456;
    const f = pcapFile([
      {
        at,
        src: { address: '10.0.0.1', port: 5060 },
        dst: { address: '10.0.0.2', port: 5070 },
        payload,
      },
    ]);
    expect(f.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(f.readUInt32LE(20)).toBe(101);
    const rec = f.subarray(24);
    expect(rec.readUInt32LE(0)).toBe(1_700_000_000);
    expect(rec.readUInt32LE(4)).toBe(123_456);
    const len = rec.readUInt32LE(8);
    expect(len).toBe(20 + 8 + payload.length);
    const ip = rec.subarray(16, 16 + len);
    expect(ip[0]).toBe(0x45);
    expect(ip[9]).toBe(17);
    expect(sum16(ip.subarray(0, 20))).toBe(0xffff); // header checksum verifies
    expect([...ip.subarray(12, 20)]).toEqual([10, 0, 0, 1, 10, 0, 0, 2]);
    expect(ip.readUInt16BE(20)).toBe(5060);
    expect(ip.readUInt16BE(22)).toBe(5070);
    expect(ip.subarray(28).toString()).toBe(payload.toString());
  });

  it('writes IPv6 with a valid UDP checksum', () => {
    const payload = Buffer.from('abc');
    const f = pcapFile([
      {
        at: 0,
        src: { address: '::1', port: 1 },
        dst: { address: '2001:db8::2', port: 2 },
        payload,
      },
    ]);
    const ip = f.subarray(24 + 16);
    expect(ip[0]! >> 4).toBe(6);
    const udp = ip.subarray(40);
    const pseudo = Buffer.concat([
      ip.subarray(8, 40),
      Buffer.from([0, 0, 0, udp.length, 0, 0, 0, 17]),
    ]);
    expect(sum16(Buffer.concat([pseudo, udp]))).toBe(0xffff);
  });

  it('parses addresses', () => {
    expect(ipv6Bytes('::ffff:1.2.3.4').toString('hex')).toBe('00000000000000000000ffff01020304');
    expect(ipv6Bytes('2001:db8::1').toString('hex')).toBe('20010db8000000000000000000000001');
    expect(splitHostPort('[::1]:5060')).toEqual({ address: '::1', port: 5060 });
    expect(splitHostPort('1.2.3.4:10')).toEqual({ address: '1.2.3.4', port: 10 });
  });
});
