import { describe, expect, it } from 'vitest';
import {
  PayloadBudget,
  RtpStream,
} from '../../../src/main/engine/media/rtp-stream.ts';
import { exportPcap } from '../../../src/main/engine/trace/trace-export.ts';
import type { PacketInfo } from '../../../src/main/media/session/types.ts';

function pkt(seq: number, payload: Uint8Array): PacketInfo {
  return {
    arrivalMs: seq * 20,
    sequenceNumber: seq,
    timestamp: seq * 160,
    ssrc: 0x1234,
    payloadType: 0,
    marker: seq === 0,
    payloadBytes: payload.length,
    payload,
    from: { address: '127.0.0.1', port: 40000 },
    kind: 'audio',
  };
}

/** RTP payloads of a classic pcap with LINKTYPE_RAW IPv4/UDP records (24-byte file header). */
function rtpPayloads(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 24; o + 16 <= file.length; ) {
    const len = file.readUInt32LE(o + 8);
    const rec = file.subarray(o + 16, o + 16 + len);
    o += 16 + len;
    const ihl = (rec[0]! & 0x0f) * 4;
    const udp = rec.subarray(ihl + 8);
    if (udp[0] === 0x80) out.push(udp.subarray(12));
  }
  return out;
}

describe('RtpStream payloads for the pcap export', () => {
  it('keeps payload copies, writes them into the pcap, and silence when redacted', () => {
    const s = new RtpStream('call-1', 'sent', '127.0.0.1:30000', 4, new PayloadBudget(10_000));
    const view = Buffer.alloc(160, 0x42);
    s.add(pkt(0, view), 1000);
    view.fill(0x00); // the session reuses nothing, but a kept payload must be a copy anyway
    s.add(pkt(1, Buffer.alloc(160, 0x43)), 1020);
    const input = { entries: [], summaries: [], packets: () => s.records(), redact: false };
    expect(rtpPayloads(exportPcap(input)).map((p) => [p.length, p[0], p[159]])).toEqual([
      [160, 0x42, 0x42],
      [160, 0x43, 0x43],
    ]);
    const redacted = rtpPayloads(exportPcap({ ...input, redact: true }));
    expect(redacted.every((p) => p.length === 160 && p.every((b) => b === 0xff))).toBe(true);
  });

  it('stops keeping payloads past the budget, and gives bytes back when the ring wraps or drops', () => {
    const budget = new PayloadBudget(500);
    const a = new RtpStream('a', 'received', '127.0.0.1:30000', 2, budget);
    const b = new RtpStream('b', 'received', '127.0.0.1:30002', 8, budget);
    for (let i = 0; i < 5; i++) a.add(pkt(i, Buffer.alloc(160, i)), i); // ring of 2: holds 320
    expect(budget.used).toBe(320);
    b.add(pkt(0, Buffer.alloc(160, 7)), 0); // 480
    b.add(pkt(1, Buffer.alloc(160, 8)), 1); // over 500: header only
    expect(budget.used).toBe(480);
    expect([...b.records()].map((r) => r.payload?.[0])).toEqual([7, undefined]);
    a.dropPayloads();
    expect(budget.used).toBe(160);
    expect([...a.records()].map((r) => r.payload)).toEqual([undefined, undefined]);
    expect([...a.records()].map((r) => r.seq)).toEqual([3, 4]); // headers stay
  });
});
